/**
 * The post step under failure: when main fails after writing anything, the post step still
 * removes it; with state missing or corrupt it warns and exits 0. Bundles as the runner runs
 * them, under the local Node and Node 24.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { startMoto, trustPolicy, type Moto, type MotoUser } from './support/moto.js';
import { startProxy, type StsProxy } from './support/proxy.js';
import { runPost, runStep } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';
import { NODES } from './support/nodes.js';

const MAIN = 'dist/main/index.js';
const POST = 'dist/cleanup/index.js';

let moto: Moto;
let proxy: StsProxy;
let user: MotoUser;
let role: string;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ moto });
  user = await moto.createUser('ci');
  role = await moto.createRole('r1', trustPolicy({ principalArn: user.arn }));
});
afterAll(async () => {
  await proxy.stop();
  await moto.stop();
});

describe.each(NODES)('under %s', (_label, node) => {
  test('main cannot write GITHUB_OUTPUT after its profiles: it removes them itself, exports nothing, and the post step has nothing to undo', async () => {
    const main = await runStep({
      entry: MAIN,
      node,
      broken: 'GITHUB_OUTPUT',
      inputs: {
        'aws-region': 'us-east-1',
        'aws-access-key-id': user.accessKeyId,
        'aws-secret-access-key': user.secretAccessKey,
        connections: `app:\n  role-arn: ${role}\n`,
      },
      env: { AWS_ENDPOINT_URL_STS: proxy.url },
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      /::error::writing GITHUB_OUTPUT \(.*\) failed: .*nothing was written/,
    );
    expect(readdirSync(main.runnerTemp).filter((f) => f.startsWith('aws-connection-'))).toEqual([]);
    expect(main.env).toEqual({});
    assertNoLeaks(main, collectSecrets(main, user.accessKeyId, user.secretAccessKey));

    const post = await runPost(main, { entry: POST, node });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('put back 0 variables');
    expect(post.env).toEqual({});
  });

  test.each([
    ['missing', {}, 'No cleanup state'],
    ['corrupt', { cleanup: '{"variables": 3' }, 'unreadable'],
    [
      'of the wrong shape',
      { cleanup: '{"variables": "AWS_ACCESS_KEY_ID", "paths": []}' },
      'unreadable',
    ],
  ])('state %s: the post step warns and exits 0', async (_what, state, warning) => {
    const post = await runStep({ entry: POST, node, state });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(new RegExp(`::warning::.*${warning}`));
    expect(post.env).toEqual({});
  });

  test('a path outside RUNNER_TEMP in state is left alone, with a warning', async () => {
    const post = await runStep({
      entry: POST,
      node,
      state: {
        cleanup: JSON.stringify({
          variables: [
            {
              name: 'AWS_PROFILE',
              previous: 'old',
              set: createHash('sha256').update('default').digest('hex'),
            },
          ],
          paths: ['/etc/hostname'],
        }),
      },
      env: { AWS_PROFILE: 'default' },
    });
    expect(post.code).toBe(0);
    expect(existsSync('/etc/hostname')).toBe(true);
    expect(post.stdout).toContain('::warning::Not removing /etc/hostname');
    // The variables are still put back.
    expect(post.env['AWS_PROFILE']).toBe('old');
  });
});
