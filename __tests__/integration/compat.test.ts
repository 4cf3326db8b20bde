/**
 * Compatibility with aws-actions/configure-aws-credentials v6: each example of its README that
 * a workflow could contain, with the inputs spelled as that README writes them, run through
 * the bundle as the runner runs it against moto (signature checking on, behind the test STS
 * proxy), and judged by what a later step's AWS CLI resolves: `aws sts get-caller-identity`
 * and the region it reads (`aws configure list`). Role ARNs and keys are moto's (the README's account
 * 123456789100 does not exist here); everything else is as written there. Where the result
 * differs on purpose (session credentials instead of the long-term key, session tags off by
 * default), the test says so and checks the difference. Named-profile (`aws-profile`)
 * examples are not here.
 *
 * Web identity checks (token, audience, subject) and GetSessionToken credentials come from
 * the STS proxy's emulation (support/sts-emulation.ts), not from moto.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MOTO_ACCOUNT_ID, trustPolicy } from './support/moto.js';
import { fakeJwt, githubClaims, startOidc, type OidcServer } from './support/oidc.js';
import { startForwardProxy, type ForwardProxy } from './support/forward-proxy.js';
import { errorLines, laterStepEnv, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';
import { motoSuite } from './support/suite.js';

const MAIN = 'dist/main/index.js';
/** The derived external ID of hop `position` of a chain, for the runner's repository. */
const ID = (position: number, role: string): string =>
  `github:4040:100200300:chain:${position}:${role}`;
const ARN = (name: string): string => `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/${name}`;
const SESSION = (role: string, session = 'GitHubActions'): string =>
  `arn:aws:sts::${MOTO_ACCOUNT_ID}:assumed-role/${role}/${session}`;

const emulator = motoSuite();
// A fault a test injects holds only for that test.
afterEach(() => emulator.proxy.clearFaults());

/** One step of the action, with STS reached through the emulator's proxy unless `env` says. */
async function step(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  extraSecrets: string[] = [],
): Promise<StepResult> {
  const result = await runStep({
    entry: MAIN,
    inputs,
    // The runner sets GITHUB_ACTION in every step; the Action session tag comes from it.
    env: { AWS_ENDPOINT_URL_STS: emulator.proxy.url, GITHUB_ACTION: 'aws', ...env },
  });
  const { user } = emulator;
  const secrets = collectSecrets(result, user.accessKeyId, user.secretAccessKey, ...extraSecrets);
  assertNoLeaks(result, secrets, { allowInOutputs: inputs['output-credentials'] === 'true' });
  return result;
}

/** The user's keys, as the README's `${{ secrets.… }}` inputs. */
function keys(): Record<string, string> {
  return {
    'aws-access-key-id': emulator.user.accessKeyId,
    'aws-secret-access-key': emulator.user.secretAccessKey,
  };
}

/**
 * What a later step's AWS CLI resolves: the identity (`aws sts get-caller-identity`) and the
 * region (`aws configure list`, whose region line shows what the CLI resolved and from where:
 * `aws configure get region` of CLI v1, the one here, reads the config file only). One command
 * after the other: a command still running when a test ends would reach the next test's STS.
 */
async function laterStep(env: Record<string, string>): Promise<{ arn: string; region: string }> {
  const run = async (args: string[]): Promise<string> => {
    const { stdout } = await promisify(execFile)('aws', args, {
      env: { ...env, AWS_CONFIG_FILE: join(env['HOME'] ?? '', 'no-config') },
      encoding: 'utf8',
    });
    return stdout.trim();
  };
  const arn = await run([
    'sts',
    'get-caller-identity',
    '--endpoint-url',
    emulator.proxy.url,
    '--output',
    'text',
    '--query',
    'Arn',
  ]);
  const list = await run(['configure', 'list']);
  const region = /^\s*region\s+(\S+)/m.exec(list)?.[1] ?? '';
  return { arn, region };
}

function expectSuccess(result: StepResult): void {
  expect(errorLines(result)).toEqual([]);
  expect(result.code).toBe(0);
}

function expectNothingExported(result: StepResult): void {
  expect(result.code).toBe(1);
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
    expect(result.env[name]).toBeUndefined();
}

/** The parameters of the recorded calls of `action`, parsed from their form bodies. */
function calls(action: string): URLSearchParams[] {
  return emulator.proxy.requests
    .filter((r) => r.action === action)
    .map((r) => new URLSearchParams(r.body));
}

/** The `Tags.member.N.Key` values of an AssumeRole call. */
function tagKeys(params: URLSearchParams): string[] {
  return [...params.entries()]
    .filter(([k]) => /^Tags\.member\.\d+\.Key$/.test(k))
    .map(([, v]) => v);
}

/** A role the user `ci` may assume with the derived external ID of hop `position`. */
async function userRole(name: string, opts: { session?: string; path?: string } = {}) {
  return emulator.moto.createRole(
    name,
    trustPolicy({
      principalArn: emulator.user.arn,
      externalId: ID(1, name),
      ...(opts.session === undefined ? {} : { sessionName: opts.session }),
    }),
    opts.path === undefined ? {} : { path: opts.path },
  );
}

describe('authentication options of the README', () => {
  test('IAM user, no AssumeRole: the later step is the user, on session credentials (deliberate: not the long-term key)', async () => {
    const result = await step({ ...keys(), 'aws-region': 'us-east-2' });
    expectSuccess(result);
    // The peer exports the key as it is; here GetSessionToken credentials go out instead.
    expect(result.env['AWS_ACCESS_KEY_ID']).not.toBe(emulator.user.accessKeyId);
    expect(result.env['AWS_SESSION_TOKEN']).not.toBe('');
    expect(emulator.proxy.count('GetSessionToken')).toBe(1);
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: emulator.user.arn,
      region: 'us-east-2',
    });
  });

  test('AssumeRole with static IAM credentials (external ID, duration, session name)', async () => {
    const role = await emulator.moto.createRole(
      'my-github-actions-role',
      trustPolicy({
        principalArn: emulator.user.arn,
        externalId: 'example-external-id',
        sessionName: 'MySessionName',
      }),
    );
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': role,
      'role-external-id': 'example-external-id',
      'role-duration-seconds': '1200',
      'role-session-name': 'MySessionName',
    });
    expectSuccess(result);
    const [call] = calls('AssumeRole');
    expect(call?.get('ExternalId')).toBe('example-external-id');
    expect(call?.get('DurationSeconds')).toBe('1200');
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: SESSION('my-github-actions-role', 'MySessionName'),
      region: 'us-east-2',
    });
  });

  test('the role name alone, in the account of the static credentials: one GetCallerIdentity', async () => {
    await userRole('my-github-actions-role');
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': 'my-github-actions-role',
    });
    expectSuccess(result);
    expect(result.stdout).toContain(
      `role-to-assume: my-github-actions-role is ${ARN('my-github-actions-role')}, in the account of the base credentials`,
    );
    expect(emulator.proxy.count('GetCallerIdentity')).toBe(1);
    expect(emulator.proxy.count('AssumeRole')).toBe(1);
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: SESSION('my-github-actions-role'),
      region: 'us-east-2',
    });
  });

  test('a role name with its path', async () => {
    await userRole('deployer', { path: '/service-role/' });
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': 'service-role/deployer',
    });
    expectSuccess(result);
    expect(result.stdout).toContain(`is ${ARN('service-role/deployer')}`);
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  });

  test('AssumeRoleWithWebIdentity from a token file', async () => {
    await emulator.moto.createGitHubOidcProvider();
    const role = await emulator.moto.createRole('web', trustPolicy({ webIdentity: true }));
    // The job folder is made here, so the token can be in the workspace before the step runs.
    const workspace = mkdtempSync(join(tmpdir(), 'aws-connection-job-'));
    mkdirSync(join(workspace, 'workspace'));
    const token = fakeJwt(githubClaims('sts.amazonaws.com'));
    writeFileSync(join(workspace, 'workspace', 'token.jwt'), token);
    const result = await runStep({
      entry: MAIN,
      workDir: workspace,
      inputs: {
        'aws-region': 'us-east-2',
        'role-to-assume': role,
        'web-identity-token-file': 'token.jwt',
      },
      env: { AWS_ENDPOINT_URL_STS: emulator.proxy.url },
    });
    assertNoLeaks(result, collectSecrets(result, token));
    expectSuccess(result);
    expect(emulator.proxy.count('AssumeRoleWithWebIdentity')).toBe(1);
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: SESSION('web'),
      region: 'us-east-2',
    });
  });
});

describe('GitHub OIDC', () => {
  let oidc: OidcServer;
  let oidcEnv: Record<string, string>;
  beforeEach(async () => {
    oidc = await startOidc();
    oidcEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    };
  });
  afterEach(() => oidc.stop());

  test('AssumeRoleWithWebIdentity with the token of the job, and a session name', async () => {
    await emulator.moto.createGitHubOidcProvider();
    const role = await emulator.moto.createRole(
      'my-github-actions-role',
      trustPolicy({ webIdentity: true }),
    );
    const result = await step(
      { 'aws-region': 'us-east-2', 'role-to-assume': role, 'role-session-name': 'MySessionName' },
      oidcEnv,
      [oidc.requestToken],
    );
    expectSuccess(result);
    expect(oidc.requests).toEqual([{ audience: 'sts.amazonaws.com' }]);
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: SESSION('my-github-actions-role', 'MySessionName'),
      region: 'us-east-2',
    });
  });

  test('the audience input (the README writes it for China; the emulator is in partition aws)', async () => {
    await emulator.moto.createGitHubOidcProvider(['sts.amazonaws.com.cn']);
    const role = await emulator.moto.createRole(
      'my-github-actions-role',
      trustPolicy({ webIdentity: true, audience: 'sts.amazonaws.com.cn' }),
    );
    const result = await step(
      { audience: 'sts.amazonaws.com.cn', 'aws-region': 'us-east-2', 'role-to-assume': role },
      oidcEnv,
      [oidc.requestToken],
    );
    expectSuccess(result);
    expect(oidc.requests).toEqual([{ audience: 'sts.amazonaws.com.cn' }]);
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('my-github-actions-role'));
  });

  test('role chaining over two steps: the second starts from the first one’s credentials, not from OIDC', async () => {
    await emulator.moto.createGitHubOidcProvider();
    const first = await emulator.moto.createRole(
      'my-github-actions-role',
      trustPolicy({ webIdentity: true }),
    );
    // The hop is an AssumeRole like any other: it carries its derived external ID.
    const second = await emulator.moto.createRole(
      'my-second-role',
      trustPolicy({
        principalArn: first,
        sessionName: 'MySessionName',
        externalId: ID(1, 'my-second-role'),
      }),
    );
    const one = await step(
      { 'aws-region': 'us-east-2', 'role-to-assume': first, 'role-session-name': 'MySessionName' },
      oidcEnv,
      [oidc.requestToken],
    );
    expectSuccess(one);
    const env = laterStepEnv(one);
    expect(env['ACTIONS_ID_TOKEN_REQUEST_URL']).toBe(oidc.url);
    const two = await step(
      {
        'aws-region': 'us-east-2',
        'role-to-assume': second,
        'role-session-name': 'MySessionName',
        'role-chaining': 'true',
      },
      env,
      [
        oidc.requestToken,
        one.env['AWS_SECRET_ACCESS_KEY'] ?? '',
        one.env['AWS_SESSION_TOKEN'] ?? '',
      ],
    );
    expectSuccess(two);
    expect(oidc.requests).toHaveLength(1);
    expect(emulator.proxy.count('AssumeRoleWithWebIdentity')).toBe(1);
    expect(calls('AssumeRole').map((c) => c.get('ExternalId'))).toEqual([ID(1, 'my-second-role')]);
    expect(await laterStep(laterStepEnv(two))).toEqual({
      arn: SESSION('my-second-role', 'MySessionName'),
      region: 'us-east-2',
    });
  });

  test('role-chaining with no credentials in the environment fails at once, naming the input', async () => {
    const result = await step(
      { 'aws-region': 'us-east-2', 'role-to-assume': ARN('x'), 'role-chaining': 'true' },
      oidcEnv,
    );
    expectNothingExported(result);
    expect(errorLines(result)).toEqual([
      '::error::role-chaining: is true, but the environment holds no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (nor AWS_PROFILE) for it to start from: an earlier step must export them',
    ]);
    expect(emulator.proxy.requests).toEqual([]);
    expect(oidc.requests).toEqual([]);
  });

  test('credentials as outputs, fed to a second step as inputs (aws-session-token)', async () => {
    await emulator.moto.createGitHubOidcProvider();
    const role = await emulator.moto.createRole(
      'my-github-actions-role',
      trustPolicy({ webIdentity: true }),
    );
    const other = await emulator.moto.createRole(
      'my-other-github-actions-role',
      trustPolicy({ principalArn: role, externalId: ID(1, 'my-other-github-actions-role') }),
    );
    const one = await step(
      { 'aws-region': 'us-east-2', 'role-to-assume': role, 'output-credentials': 'true' },
      oidcEnv,
      [oidc.requestToken],
    );
    expectSuccess(one);
    expect(await laterStep(laterStepEnv(one))).toEqual({
      arn: SESSION('my-github-actions-role'),
      region: 'us-east-2',
    });
    const two = await step(
      {
        'aws-region': 'us-east-2',
        'aws-access-key-id': one.outputs['aws-access-key-id'] ?? '',
        'aws-secret-access-key': one.outputs['aws-secret-access-key'] ?? '',
        'aws-session-token': one.outputs['aws-session-token'] ?? '',
        'role-to-assume': other,
      },
      laterStepEnv(one),
      [oidc.requestToken, one.outputs['aws-secret-access-key'] ?? ''],
    );
    expectSuccess(two);
    expect(await laterStep(laterStepEnv(two))).toEqual({
      arn: SESSION('my-other-github-actions-role'),
      region: 'us-east-2',
    });
  });

  test('force-skip-oidc: the base is the environment’s keys although the job may request a token', async () => {
    await userRole('deployer');
    const result = await step(
      { 'aws-region': 'us-east-2', 'role-to-assume': ARN('deployer'), 'force-skip-oidc': 'true' },
      {
        ...oidcEnv,
        AWS_ACCESS_KEY_ID: emulator.user.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.user.secretAccessKey,
      },
      [oidc.requestToken],
    );
    expectSuccess(result);
    expect(oidc.requests).toEqual([]);
    expect(emulator.proxy.count('AssumeRoleWithWebIdentity')).toBe(0);
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  });
});

test('outputs only: output-env-credentials false exports no keys; the outputs reach the role', async () => {
  await userRole('deployer');
  const result = await step({
    ...keys(),
    'aws-region': 'us-east-2',
    'role-to-assume': ARN('deployer'),
    'output-credentials': 'true',
    'output-env-credentials': 'false',
  });
  expectSuccess(result);
  // As in the peer, the environment gets nothing: neither keys nor the region.
  expect(result.env).toEqual({});
  const env = {
    ...laterStepEnv(result),
    // The later step sets its region itself (the CLI reads AWS_DEFAULT_REGION).
    AWS_DEFAULT_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: result.outputs['aws-access-key-id'] ?? '',
    AWS_SECRET_ACCESS_KEY: result.outputs['aws-secret-access-key'] ?? '',
    AWS_SESSION_TOKEN: result.outputs['aws-session-token'] ?? '',
  };
  expect(await laterStep(env)).toEqual({ arn: SESSION('deployer'), region: 'us-east-2' });
});

describe('session tags', () => {
  test('no tag input: the session is untagged (deliberate: the peer tags by default)', async () => {
    await userRole('deployer');
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
    });
    expectSuccess(result);
    expect(calls('AssumeRole').map(tagKeys)).toEqual([[]]);
  });

  test('transitive-tag-keys turns on the GitHub context tags and passes the keys on', async () => {
    await userRole('deployer');
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'transitive-tag-keys': 'Repository\nWorkflow\nAction\nActor\n',
    });
    expectSuccess(result);
    const [call] = calls('AssumeRole');
    expect(tagKeys(call ?? new URLSearchParams())).toEqual([
      'GitHub',
      'Repository',
      'Workflow',
      'Action',
      'Actor',
      'Commit',
      'Branch',
    ]);
    expect(
      [...(call?.entries() ?? [])]
        .filter(([k]) => k.startsWith('TransitiveTagKeys'))
        .map(([, v]) => v),
    ).toEqual(['Repository', 'Workflow', 'Action', 'Actor']);
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  });

  test('custom-tags: the GitHub context tags and the custom ones', async () => {
    await userRole('deployer');
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'custom-tags': '{"Environment": "Production", "Team": "Platform"}',
    });
    expectSuccess(result);
    const [call] = calls('AssumeRole');
    expect(tagKeys(call ?? new URLSearchParams()).slice(-2)).toEqual(['Environment', 'Team']);
    expect(call?.get('Tags.member.8.Value')).toBe('Production');
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  });

  test('role-skip-session-tagging beside transitive-tag-keys is refused before any call', async () => {
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'role-skip-session-tagging': 'true',
      'transitive-tag-keys': 'Repository',
    });
    expectNothingExported(result);
    expect(errorLines(result)).toEqual([
      '::error::role-skip-session-tagging: is true, but transitive-tag-keys asks for session tags: remove one of them',
    ]);
    expect(emulator.proxy.requests).toEqual([]);
  });
});

describe('session policies', () => {
  const inline =
    '{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1","Effect":"Allow","Action":"s3:List*","Resource":"*"}]}';

  test.each([
    ['inline, on one line', { 'inline-session-policy': inline }],
    [
      'inline, formatted (a folded block)',
      {
        'inline-session-policy':
          '{\n "Version": "2012-10-17",\n "Statement": [\n  {\n   "Sid":"Stmt1",\n   "Effect":"Allow",\n   "Action":"s3:List*",\n   "Resource":"*"\n  }\n ]\n}',
      },
    ],
    [
      'one managed policy',
      { 'managed-session-policies': 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
    ],
    [
      'two managed policies',
      {
        'managed-session-policies':
          'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\narn:aws:iam::aws:policy/AmazonS3OutpostsReadOnlyAccess\n',
      },
    ],
  ])('%s', async (_what, policy: Record<string, string>) => {
    await userRole('deployer');
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      ...policy,
    });
    expectSuccess(result);
    const [call] = calls('AssumeRole');
    if (policy['inline-session-policy'] !== undefined) expect(call?.get('Policy')).toBe(inline);
    else
      expect(
        [...(call?.entries() ?? [])].filter(([k]) => k.startsWith('PolicyArns')).map(([, v]) => v),
      ).toEqual((policy['managed-session-policies'] ?? '').split('\n').filter((arn) => arn !== ''));
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: SESSION('deployer'),
      region: 'us-east-2',
    });
  });
});

describe('retries', () => {
  test('retry-max-attempts: two throttled tries, the third succeeds', async () => {
    await userRole('deployer');
    emulator.proxy.inject({ action: 'AssumeRole', times: 2, fault: { kind: 'throttle' } });
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'retry-max-attempts': '3',
    });
    expectSuccess(result);
    expect(emulator.proxy.count('AssumeRole')).toBe(3);
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  });

  test('disable-retry: one throttled try fails the step; it wins over retry-max-attempts, and says so', async () => {
    await userRole('deployer');
    emulator.proxy.inject({ action: 'AssumeRole', times: 1, fault: { kind: 'throttle' } });
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'disable-retry': 'true',
      'retry-max-attempts': '5',
    });
    expectNothingExported(result);
    expect(result.stdout).toContain(
      '::notice::disable-retry: true wins over retry-max-attempts: 5: one try per STS call',
    );
    expect(errorLines(result)[0]).toContain('Throttling');
    expect(emulator.proxy.count('AssumeRole')).toBe(1);
  });
});

test('sts-endpoint: the input alone reaches the emulator', async () => {
  await userRole('deployer');
  const result = await runStep({
    entry: MAIN,
    inputs: {
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'sts-endpoint': emulator.proxy.url,
    },
  });
  assertNoLeaks(result, collectSecrets(result, emulator.user.secretAccessKey));
  expectSuccess(result);
  expect(emulator.proxy.count('AssumeRole')).toBe(1);
  expect(await laterStep(laterStepEnv(result))).toEqual({
    arn: SESSION('deployer'),
    region: 'us-east-2',
  });
});

describe('proxies', () => {
  let forward: ForwardProxy;
  beforeEach(async () => {
    forward = await startForwardProxy();
  });
  afterEach(() => forward.stop());

  /** The README's runner: keys in the environment (the default provider chain), no OIDC. */
  const runnerKeys = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: emulator.user.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.user.secretAccessKey,
  });

  test('http-proxy, with the role given by name', async () => {
    await userRole('my-github-actions-role');
    const result = await step(
      {
        'aws-region': 'us-east-2',
        'role-to-assume': 'my-github-actions-role',
        'http-proxy': forward.url,
      },
      runnerKeys(),
    );
    expectSuccess(result);
    expect(forward.forwarded).toHaveLength(2);
    expect(emulator.proxy.count('GetCallerIdentity')).toBe(1);
    expect(await laterStep(laterStepEnv(result))).toEqual({
      arn: SESSION('my-github-actions-role'),
      region: 'us-east-2',
    });
  });

  test('HTTP_PROXY in the environment', async () => {
    await userRole('deployer');
    const result = await step(
      { 'aws-region': 'us-east-2', 'role-to-assume': ARN('deployer') },
      { ...runnerKeys(), HTTP_PROXY: forward.url },
    );
    expectSuccess(result);
    expect(forward.forwarded).toHaveLength(1);
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  });

  test('no-proxy: the STS host is reached without the proxy', async () => {
    await userRole('deployer');
    const result = await step(
      {
        'aws-region': 'us-east-2',
        'role-to-assume': ARN('deployer'),
        'http-proxy': forward.url,
        'no-proxy': '127.0.0.1',
      },
      runnerKeys(),
    );
    expectSuccess(result);
    expect(forward.forwarded).toEqual([]);
    expect(emulator.proxy.count('AssumeRole')).toBe(1);
  });
});

test('use-existing-credentials: valid credentials of an earlier step are kept, checked with one call', async () => {
  await userRole('deployer');
  const inputs = { ...keys(), 'aws-region': 'us-east-2', 'role-to-assume': ARN('deployer') };
  const one = await step(inputs);
  expectSuccess(one);
  emulator.proxy.clear();
  const two = await step({ ...inputs, 'use-existing-credentials': 'true' }, laterStepEnv(one), [
    one.env['AWS_SECRET_ACCESS_KEY'] ?? '',
    one.env['AWS_SESSION_TOKEN'] ?? '',
  ]);
  expectSuccess(two);
  expect(two.stdout).toContain(
    `::notice::use-existing-credentials: the credentials in the environment are valid (${SESSION('deployer')}): nothing is assumed and nothing is exported.`,
  );
  expect(emulator.proxy.requests.map((r) => r.action)).toEqual(['GetCallerIdentity']);
  expect(two.env).toEqual({});
  expect(await laterStep(laterStepEnv(two))).toEqual({
    arn: SESSION('deployer'),
    region: 'us-east-2',
  });
});

test('action-timeout-s: a slow STS fails the step at the limit, with nothing exported', async () => {
  await userRole('deployer');
  // The STS proxy holds AssumeRole for 8 s; the step may take 2.
  emulator.proxy.inject({ action: 'AssumeRole', times: 1, fault: { kind: 'latency', ms: 8000 } });
  const result = await step({
    ...keys(),
    'aws-region': 'us-east-2',
    'role-to-assume': ARN('deployer'),
    'action-timeout-s': '2',
  });
  expectNothingExported(result);
  expect(errorLines(result)).toEqual([
    '::error::action-timeout-s: the step did not finish within 2 s and exported nothing',
  ]);
  expect(result.durationMs).toBeLessThan(6000);
  expect(result.env).toEqual({});
});

test('unset-current-credentials: stale keys in the environment are passed over for the default chain’s next source', async () => {
  await userRole('deployer');
  // A stale pair in the environment, and the runner's own keys in its shared credentials file.
  const dir = mkdtempSync(join(tmpdir(), 'aws-connection-creds-'));
  const file = join(dir, 'credentials');
  writeFileSync(
    file,
    `[default]\naws_access_key_id = ${emulator.user.accessKeyId}\naws_secret_access_key = ${emulator.user.secretAccessKey}\n`,
  );
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIASTALEKEYOFBEFORE',
    AWS_SECRET_ACCESS_KEY: 'staleSecretKeyOfAnEarlierStep0123456789a',
    AWS_SHARED_CREDENTIALS_FILE: file,
  };
  const inputs = { 'aws-region': 'us-east-2', 'role-to-assume': ARN('deployer') };
  const stale = await step(inputs, env, [env.AWS_SECRET_ACCESS_KEY]);
  expectNothingExported(stale);
  expect(errorLines(stale)[0]).toContain('InvalidClientTokenId');

  const result = await step({ ...inputs, 'unset-current-credentials': 'true' }, env, [
    env.AWS_SECRET_ACCESS_KEY,
  ]);
  expectSuccess(result);
  expect(result.stdout).toContain(
    'unset-current-credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY of the environment are not used by this step.',
  );
  expect(await laterStep(laterStepEnv(result))).toEqual({
    arn: SESSION('deployer'),
    region: 'us-east-2',
  });
});

test('special-characters-workaround: the exported keys are letters and digits only', async () => {
  // moto's secrets are 40 characters of letters, digits, + and /: about 28% are plain. Steps run
  // until one needed more than one session (six steps all plain at once: 0.05%).
  await userRole('deployer');
  let sessions = 0;
  for (let run = 0; run < 6 && sessions < 2; run++) {
    emulator.proxy.clear();
    const result = await step({
      ...keys(),
      'aws-region': 'us-east-2',
      'role-to-assume': ARN('deployer'),
      'special-characters-workaround': 'true',
    });
    expectSuccess(result);
    sessions = emulator.proxy.count('AssumeRole');
    expect(result.env['AWS_ACCESS_KEY_ID']).toMatch(/^[A-Za-z0-9]+$/);
    expect(result.env['AWS_SECRET_ACCESS_KEY']).toMatch(/^[A-Za-z0-9]+$/);
    if (sessions > 1)
      expect(result.stdout).toContain(
        `special-characters-workaround: role 1 of 1 assumed ${sessions} times for keys of letters and digits only`,
      );
    expect((await laterStep(laterStepEnv(result))).arn).toBe(SESSION('deployer'));
  }
  expect(sessions).toBeGreaterThan(1);
});
