/**
 * Trust boundaries, through the bundles as the runner runs them, against moto with signature
 * checking on (the test proxy in front only records requests here):
 * - external IDs differ per GitHub instance (github.com keeps its form);
 * - a runner-wide proxy variable the step does not use never fails it, and one it uses with a
 *   raw `%` in its password fails with one line that names the variable, not the password;
 * - the post step's removal survives a renewal that is writing into the folder;
 * - an OIDC refusal shows the token's claims and the statement that admits exactly this job
 *   (the proxy evaluates the web-identity trust policy, which moto does not).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trustPolicy } from './support/moto.js';
import { motoSuite } from './support/suite.js';
import { errorLines, runPost, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';
import { NODE24 } from './support/nodes.js';
import { startOidc } from './support/oidc.js';

const MAIN = 'dist/main/index.js';
const POST = 'dist/cleanup/index.js';
/** The IDs the runner fake sets (support/runner.ts). */
const IDS = '4040:100200300';

const emulator = motoSuite();

async function runMain(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StepResult> {
  const result = await runStep({
    entry: MAIN,
    node: NODE24,
    inputs: {
      'aws-region': 'us-east-1',
      'aws-access-key-id': emulator.user.accessKeyId,
      'aws-secret-access-key': emulator.user.secretAccessKey,
      ...inputs,
    },
    env: { AWS_ENDPOINT_URL_STS: emulator.proxy.url, ...env },
  });
  assertNoLeaks(
    result,
    collectSecrets(result, emulator.user.accessKeyId, emulator.user.secretAccessKey, '50%off'),
  );
  return result;
}

function expectSuccess(result: StepResult): void {
  expect({ code: result.code, errors: errorLines(result) }).toEqual({ code: 0, errors: [] });
}

describe('external IDs per GitHub instance', () => {
  test.each([
    ['github.com', 'https://github.com', `github:${IDS}`],
    ['a GitHub Enterprise Server', 'https://ghe.example.com', `github@ghe.example.com:${IDS}`],
    ['a ghe.com tenant', 'https://octo.ghe.com', `github@octo.ghe.com:${IDS}`],
  ])('on %s the derived ID names the instance', async (_label, serverUrl, prefix) => {
    const role = await emulator.moto.createRole(
      'deployer',
      trustPolicy({ principalArn: emulator.user.arn, externalId: `${prefix}:chain:1:deployer` }),
    );
    const result = await runMain({ 'role-to-assume': role }, { GITHUB_SERVER_URL: serverUrl });
    expectSuccess(result);
    expect(result.outputs['external-id']).toBe(`${prefix}:chain:1:deployer`);
  });

  test('the same repository IDs on another instance are refused by a github.com trust policy', async () => {
    const role = await emulator.moto.createRole(
      'deployer',
      trustPolicy({
        principalArn: emulator.user.arn,
        externalId: `github:${IDS}:chain:1:deployer`,
      }),
    );
    const result = await runMain(
      { 'role-to-assume': role },
      { GITHUB_SERVER_URL: 'https://ghe.example.com' },
    );
    expect(result.code).toBe(1);
    expect(errorLines(result).join('\n')).toContain(
      `github@ghe.example.com:${IDS}:chain:1:deployer`,
    );
    expect(result.env['AWS_ACCESS_KEY_ID']).toBeUndefined();
  });
});

describe('runner-wide proxy variables', () => {
  const RAW = 'http://ci:50%off@proxy.invalid:3128';

  test('one the step does not use (NO_PROXY exempts the endpoint) never fails it', async () => {
    const result = await runMain(
      {},
      { HTTP_PROXY: RAW, HTTPS_PROXY: RAW, http_proxy: RAW, NO_PROXY: '127.0.0.1' },
    );
    expectSuccess(result);
    expect(emulator.proxy.count('GetSessionToken')).toBe(1);
  });

  test('one the step uses fails it before any call, naming the variable, never the password', async () => {
    const result = await runMain({}, { HTTP_PROXY: RAW });
    expect(result.code).toBe(1);
    // As the runner reads it: a workflow command escapes `%` as `%25`.
    expect(errorLines(result)).toEqual([
      '::error::HTTP_PROXY: has a user or password that is not percent-encoded: write `%25` as `%2525`',
    ]);
    expect(result.stdout).not.toContain('50%off');
    expect(emulator.proxy.count()).toBe(0);
    expect(result.env).toEqual({});
  });
});

describe('the post step and a renewal writing into its folder', () => {
  test('the folder is removed once the writer stops, with no warning', async () => {
    const main = await runMain({
      connections: `deployer:\n  role-arn: ${await emulator.moto.createRole('deployer', trustPolicy({ principalArn: emulator.user.arn, externalId: `github:${IDS}:connection:deployer` }))}\n`,
    });
    expectSuccess(main);
    const paths = (JSON.parse(main.state['cleanup'] ?? '{}') as { paths: string[] }).paths;
    expect(paths).toHaveLength(1);
    const dir = paths[0] ?? '';

    // A renewal's writes, from another process, for 400 ms after the first one. Like a real
    // renewal it writes only inside the folder: once the folder is gone, nothing recreates it.
    const script = `
      const fs = require('node:fs'), path = require('node:path');
      const dir = path.join(process.argv[1], 'cache');
      const until = Date.now() + 400;
      let n = 0;
      for (;;) {
        try { fs.mkdirSync(dir); } catch {}
        try { fs.writeFileSync(path.join(dir, 'f' + n++), 'x'); } catch {}
        if (n === 1) process.stdout.write('ready\\n');
        if (Date.now() > until) break;
      }`;
    const writer = spawn(NODE24, ['-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Listened for at once: on a slow machine the writer may be done before the post step is.
    const exited = new Promise((done) => writer.once('exit', done));
    await new Promise<void>((ready) => writer.stdout.once('data', () => ready()));
    const post = await runPost(main, { entry: POST, node: NODE24 });
    await exited;

    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('::warning::');
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  }, 30_000);
});

describe('an OIDC refusal says how to fix it', () => {
  const IMMUTABLE = 'repo:octo@4040/app@100200300:ref:refs/heads/main';

  test('a policy for the classic sub refuses the immutable one; the statement in the hint admits it', async () => {
    const oidc = await startOidc({ claims: { sub: IMMUTABLE } });
    try {
      await emulator.moto.createGitHubOidcProvider();
      const run = (role: string): Promise<StepResult> =>
        runStep({
          entry: MAIN,
          node: NODE24,
          inputs: { 'aws-region': 'us-east-1', 'role-to-assume': role },
          env: {
            AWS_ENDPOINT_URL_STS: emulator.proxy.url,
            ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
          },
        });
      const classic = await emulator.moto.createRole(
        'classic',
        trustPolicy({ webIdentity: true, subject: 'repo:octo/app:*' }),
      );
      const refused = await run(classic);
      expect(refused.code).toBe(1);
      expect(refused.env).toEqual({});
      const [line = ''] = errorLines(refused);
      expect(line).toContain('AccessDenied');
      expect(line).toContain(`the token sent has sub "${IMMUTABLE}" (immutable form)`);
      expect(line).toContain('aud "sts.amazonaws.com", repository "octo/app"');
      expect(line).toContain(
        'job_workflow_ref "octo/app/.github/workflows/ci.yml@refs/heads/main"',
      );
      const marker = 'a trust-policy statement that admits exactly this job: ';
      const statement = line.slice(line.indexOf(marker) + marker.length);

      const admitted = await emulator.moto.createRole('admitted', {
        Version: '2012-10-17',
        Statement: [JSON.parse(statement) as Record<string, unknown>],
      });
      const ok = await run(admitted);
      expectSuccess(ok);
      expect(ok.outputs['authenticated-arn']).toBe(
        'arn:aws:sts::123456789012:assumed-role/admitted/GitHubActions',
      );
    } finally {
      await oidc.stop();
    }
  }, 30_000);
});
