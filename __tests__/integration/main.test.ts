/**
 * The bundled main and post steps, run as the runner runs them, against moto with signature
 * checking on, behind the test proxy (which adds GetSessionToken credentials that work, the
 * web-identity check and STS's duration limits: see support/sts-emulation.ts). Every run goes
 * through the leak detector. Each case runs under the local Node and under Node 24, the
 * runtime action.yml declares.
 */
import { existsSync } from 'node:fs';
import { startMoto, trustPolicy, type Moto, type MotoUser } from './support/moto.js';
import { startProxy, type StsProxy } from './support/proxy.js';
import { errorLines, laterStepEnv, runPost, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';
import { startOidc, type OidcServer } from './support/oidc.js';
import { NODES } from './support/nodes.js';

const MAIN = 'dist/main/index.js';
const POST = 'dist/cleanup/index.js';
const OWNER_ID = '4040';
const REPO_ID = '100200300';
const ID_PREFIX = `github:${OWNER_ID}:${REPO_ID}`;

let moto: Moto;
let proxy: StsProxy;
let user: MotoUser;
let leakChecks = 0;
/** The debug variables of the run in progress. */
let debugEnv: Record<string, string> = {};

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ moto });
});
afterAll(async () => {
  await proxy.stop();
  await moto.stop();
  console.log(`main.test.ts: ${leakChecks} leak checks`);
});
beforeEach(async () => {
  await moto.reset();
  proxy.clear();
  proxy.clearFaults();
  user = await moto.createUser('ci');
});

const keys = (): Record<string, string> => ({
  'aws-access-key-id': user.accessKeyId,
  'aws-secret-access-key': user.secretAccessKey,
});

/** Exported credentials as a later step would read them. */
function exported(result: StepResult): {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
} {
  const env = laterStepEnv(result);
  const creds = {
    accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '',
    secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '',
  };
  const token = env['AWS_SESSION_TOKEN'];
  return token ? { ...creds, sessionToken: token } : creds;
}

/** Runs main with the proxy as STS endpoint, and checks it for leaks. */
async function runMain(
  node: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  extraSecrets: string[] = [],
): Promise<StepResult> {
  const result = await runStep({
    entry: MAIN,
    node,
    inputs: { 'aws-region': 'us-east-1', ...inputs },
    env: { AWS_ENDPOINT_URL_STS: proxy.url, ...debugEnv, ...env },
  });
  const secrets = collectSecrets(result, user.accessKeyId, user.secretAccessKey, ...extraSecrets);
  leakChecks += assertNoLeaks(result, secrets);
  return result;
}

/** Creates roles r1..rn, each trusting the one before (the first: the user) with its derived ID. */
async function chainOfRoles(n: number, first: string = user.arn): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 1; i <= n; i++) {
    const principal = i === 1 ? first : (arns[i - 2] ?? '');
    arns.push(
      await moto.createRole(
        `r${i}`,
        trustPolicy({ principalArn: principal, externalId: `${ID_PREFIX}:chain:${i}:r${i}` }),
      ),
    );
  }
  return arns;
}

/** Asserts success, showing the step's error line when it failed. */
function expectSuccess(result: StepResult): void {
  expect({
    code: result.code,
    errors: errorLines(result),
  }).toEqual({ code: 0, errors: [] });
}

function expectNothingExported(result: StepResult): void {
  expect(result.code).toBe(1);
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
  ]) {
    expect(result.env[name]).toBeUndefined();
  }
  expect(result.outputs).toEqual({});
}

/** The one `::error::` line of a failed step. */
function errorLine(result: StepResult): string {
  const lines = errorLines(result);
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

const DEBUG = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' };
/** Local Node as a runner runs it; Node 24 in debug mode (the leak detector runs on both). */
const RUNS: [string, string, Record<string, string>][] = [
  [NODES[0]?.[0] ?? '', NODES[0]?.[1] ?? '', {}],
  [`${NODES[1]?.[0] ?? ''} with RUNNER_DEBUG=1`, NODES[1]?.[1] ?? '', DEBUG],
];

describe.each(RUNS)('main step under %s', (_label, node, debug) => {
  beforeEach(() => {
    debugEnv = debug;
  });
  test('static keys alone: session credentials are exported, never the long-term key', async () => {
    const result = await runMain(node, keys());
    expectSuccess(result);
    const creds = exported(result);
    expect(creds.accessKeyId).not.toBe(user.accessKeyId);
    expect(creds.sessionToken).toBeTruthy();
    const envFile = Object.values(result.env).join('\n');
    expect(envFile).not.toContain(user.accessKeyId);
    expect(envFile).not.toContain(user.secretAccessKey);
    expect(proxy.count()).toBe(1);
    expect(proxy.count('GetSessionToken')).toBe(1);
    expect(await moto.whoAmI(creds, { endpoint: proxy.url })).toBe(user.arn);
  });

  test('static keys and one role: one AssumeRole, the role identity, its external ID', async () => {
    const [role] = await chainOfRoles(1);
    const result = await runMain(node, { ...keys(), 'role-to-assume': role ?? '' });
    expectSuccess(result);
    expect(proxy.count()).toBe(1);
    expect(result.outputs['external-id']).toBe(`${ID_PREFIX}:chain:1:r1`);
    expect(result.outputs['aws-account-id']).toBe('123456789012');
    expect(result.outputs['authenticated-arn']).toBe(
      'arn:aws:sts::123456789012:assumed-role/r1/GitHubActions',
    );
    expect(await moto.whoAmI(exported(result), { endpoint: proxy.url })).toBe(
      result.outputs['authenticated-arn'],
    );
    expect(result.env['AWS_REGION']).toBe('us-east-1');
    expect(result.summary).toContain(`${ID_PREFIX}:chain:1:r1`);
  });

  test('a three-hop chain: each hop signed by the one before, one STS call per hop', async () => {
    const roles = await chainOfRoles(3);
    const result = await runMain(node, { ...keys(), 'role-chain': roles.join('\n') });
    expectSuccess(result);
    expect(proxy.count('AssumeRole')).toBe(3);
    expect(proxy.count()).toBe(3);
    expect(await moto.whoAmI(exported(result), { endpoint: proxy.url })).toBe(
      'arn:aws:sts::123456789012:assumed-role/r3/GitHubActions',
    );
    const connections = JSON.parse(result.outputs['connections'] ?? '{}') as Record<
      string,
      { 'external-id': string }
    >;
    expect(Object.values(connections).map((c) => c['external-id'])).toEqual(
      [1, 2, 3].map((i) => `${ID_PREFIX}:chain:${i}:r${i}`),
    );
  });

  test('the default provider chain: keys in the environment, then a role', async () => {
    const [role] = await chainOfRoles(1);
    const result = await runMain(
      node,
      { 'role-to-assume': role ?? '' },
      { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey },
    );
    expectSuccess(result);
    expect(result.stdout).toContain('default provider chain');
    expect(await moto.whoAmI(exported(result), { endpoint: proxy.url })).toBe(
      'arn:aws:sts::123456789012:assumed-role/r1/GitHubActions',
    );
  });

  describe('GitHub OIDC', () => {
    let oidc: OidcServer;
    beforeEach(async () => {
      oidc = await startOidc();
      await moto.createGitHubOidcProvider();
    });
    afterEach(() => oidc.stop());

    test('a token from the loopback endpoint, then a chained role with its external ID', async () => {
      const hub = await moto.createRole('hub', trustPolicy({ webIdentity: true }));
      const deployer = await moto.createRole(
        'deployer',
        trustPolicy({
          principalArn: hub,
          externalId: `${ID_PREFIX}:chain:2:deployer`,
        }),
      );
      const result = await runStep({
        entry: MAIN,
        node,
        inputs: { 'aws-region': 'us-east-1', 'role-chain': `${hub}\n${deployer}` },
        env: {
          ...debug,
          AWS_ENDPOINT_URL_STS: proxy.url,
          ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        },
      });
      leakChecks += assertNoLeaks(result, collectSecrets(result, oidc.requestToken));
      expectSuccess(result);
      expect(oidc.requests).toEqual([{ audience: 'sts.amazonaws.com' }]);
      expect(proxy.count('AssumeRoleWithWebIdentity')).toBe(1);
      expect(proxy.count('AssumeRole')).toBe(1);
      expect(await moto.whoAmI(exported(result), { endpoint: proxy.url })).toBe(
        'arn:aws:sts::123456789012:assumed-role/deployer/GitHubActions',
      );
    });
  });

  test('an external ID the trust policy requires is accepted; another repository’s is refused', async () => {
    const [role] = await chainOfRoles(1);
    const ok = await runMain(node, { ...keys(), 'role-to-assume': role ?? '' });
    expectSuccess(ok);

    proxy.clear();
    const other = await runMain(
      node,
      { ...keys(), 'role-to-assume': role ?? '' },
      { GITHUB_REPOSITORY_ID: '999' },
    );
    expectNothingExported(other);
    const line = errorLine(other);
    expect(line).toContain('role 1 of 1');
    expect(line).toContain('AccessDenied');
    expect(line).toContain(`github:${OWNER_ID}:999:chain:1:r1`);
    expect(line).toContain('sts:ExternalId');
    expect(proxy.count()).toBe(1);
  });

  test('a wrong secret fails at once, with one request and a hint', async () => {
    const result = await runMain(node, {
      'aws-access-key-id': user.accessKeyId,
      'aws-secret-access-key': 'x'.repeat(40),
    });
    expectNothingExported(result);
    expect(errorLine(result)).toMatch(
      /SignatureDoesNotMatch.*check the access key ID and its secret/,
    );
    expect(proxy.count()).toBe(1);
  });

  test('a denied second hop exports nothing', async () => {
    const [r1] = await chainOfRoles(1);
    const r2 = await moto.createRole(
      'r2',
      trustPolicy({ principalArn: r1 ?? '', externalId: 'something-else' }),
    );
    const result = await runMain(node, { ...keys(), 'role-chain': `${r1 ?? ''}\n${r2}` });
    expectNothingExported(result);
    expect(errorLine(result)).toContain(
      'role 2 of 2 (arn:aws:iam::123456789012:role/r2) failed: AccessDenied',
    );
    expect(proxy.count('AssumeRole')).toBe(2);
  });

  test('the post step puts back every exported variable: blank, or the region left as set', async () => {
    const [role] = await chainOfRoles(1);
    const main = await runMain(node, { ...keys(), 'role-to-assume': role ?? '' });
    expectSuccess(main);
    const exportedNames = Object.keys(main.env);
    expect(exportedNames).toEqual(
      expect.arrayContaining([
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_REGION',
        'AWS_DEFAULT_REGION',
      ]),
    );
    const post = await runPost(main, { entry: POST, node });
    expect(post.code).toBe(0);
    leakChecks += assertNoLeaks(post, collectSecrets(main));
    const after = laterStepEnv(post);
    // Nothing was set before the step. An empty region would make the JS SDK refuse every
    // call, and no step can unset one: the region stays (docs/later-steps.md).
    for (const name of exportedNames)
      expect(after[name]).toBe(name.endsWith('REGION') ? main.env[name] : '');
    expect(existsSync(main.runnerTemp)).toBe(true);
  });
});
