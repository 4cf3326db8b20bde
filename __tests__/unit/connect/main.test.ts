import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { run as cleanup } from '../../../src/connect/post.js';
import { run, type MainDeps } from '../../../src/connect/main.js';
import type { Credentials } from '../../../src/aws/credentials.js';
import { parseCleanupState, State } from '../../../src/connect/state.js';
import { REPO_ENV } from '../../../__fixtures__/plans.js';
import { instantRetry } from '../../../__fixtures__/retry.js';
import { fakeRunner, type FakeRunner } from '../../../__fixtures__/runner.js';
import { awsError, fakeSts, flush, type FakeSts } from '../../../__fixtures__/sts.js';

const ARN = (name: string, account = '123456789012'): string =>
  `arn:aws:iam::${account}:role/${name}`;
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEYS = { 'aws-access-key-id': KEY_ID, 'aws-secret-access-key': SECRET };
const CHAIN = [
  ARN('hub', '111111111111'),
  ARN('spoke', '222222222222'),
  ARN('deployer', '333333333333'),
];
const CREDENTIAL_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'main-test-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

interface Setup {
  inputs: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  sts?: FakeSts;
  deps?: Partial<MainDeps>;
  idToken?: string;
}

/** Runs the main step with fakes; returns them for inspection. */
async function main({
  inputs,
  env = {},
  sts = fakeSts(),
  deps = {},
  idToken,
}: Setup): Promise<{ runner: FakeRunner; sts: FakeSts }> {
  const runner = fakeRunner(
    idToken === undefined
      ? { inputs: { 'aws-region': 'eu-west-1', ...inputs } }
      : { inputs: { 'aws-region': 'eu-west-1', ...inputs }, idToken },
  );
  await run({
    runner,
    env: { ...REPO_ENV, RUNNER_TEMP: temp, ...env },
    sts,
    retry: instantRetry(),
    defaultChain: async () => {
      throw new Error('the default chain must not be used here');
    },
    ...deps,
  });
  return { runner, sts };
}

function savedState(runner: FakeRunner): ReturnType<typeof parseCleanupState> {
  return parseCleanupState(runner.getState(State.Cleanup));
}

function credentialsOf(runner: FakeRunner): Credentials {
  const v = runner.variables;
  return {
    accessKeyId: v['AWS_ACCESS_KEY_ID'] ?? '',
    secretAccessKey: v['AWS_SECRET_ACCESS_KEY'] ?? '',
    sessionToken: v['AWS_SESSION_TOKEN'] ?? '',
  };
}

describe('a role chain', () => {
  test('a chain of three exports exactly the last hop, with outputs and a summary', async () => {
    const { runner, sts } = await main({ inputs: { ...KEYS, 'role-chain': CHAIN.join('\n') } });
    expect(runner.failures).toEqual([]);
    expect(sts.assumedRoles).toEqual(CHAIN);

    const calls = sts.callsOf('assumeRole');
    expect(calls[0]?.signer).toEqual({ accessKeyId: KEY_ID, secretAccessKey: SECRET });
    expect(calls.map((c) => c.request.externalId)).toEqual([
      'github:1111:2222:chain:1:hub',
      'github:1111:2222:chain:2:spoke',
      'github:1111:2222:chain:3:deployer',
    ]);

    const variables = runner.variables;
    expect(Object.keys(variables).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_DEFAULT_REGION',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]);
    expect(variables).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    // The third hop's credentials are the ones the fake issued last.
    const [, secondSigner, thirdSigner] = calls.map((c) => c.signer);
    const last = credentialsOf(runner);
    expect(last.accessKeyId).toMatch(/^ASIADEPLOYER/);
    expect(last.accessKeyId).not.toBe(secondSigner?.accessKeyId);
    expect(last.accessKeyId).not.toBe(thirdSigner?.accessKeyId);
    expect(last.sessionToken).toMatch(/^token-deployer-/);
    // No secret of hops 1 and 2 (nor the input keys) leaves the step.
    const lastSecrets = [last.accessKeyId, last.secretAccessKey, last.sessionToken];
    const earlier = [KEY_ID, SECRET, ...sts.secretsIssued.filter((v) => !lastSecrets.includes(v))];
    expect(earlier).toHaveLength(8);
    const visible = runner.events
      .filter((e) => e.kind !== 'secret' && e.kind !== 'state')
      .map((e) => e.value);
    expect(visible.filter((v) => earlier.some((secret) => v.includes(secret)))).toEqual([]);

    const outputs = runner.outputs;
    expect(Object.keys(outputs).sort()).toEqual([
      'authenticated-arn',
      'aws-account-id',
      'connections',
      'expiration',
      'external-id',
    ]);
    expect(outputs).toMatchObject({
      'aws-account-id': '333333333333',
      'authenticated-arn': 'arn:aws:sts::333333333333:assumed-role/deployer/GitHubActions',
      'external-id': 'github:1111:2222:chain:3:deployer',
    });
    expect(Object.keys(JSON.parse(outputs['connections'] ?? '{}') as object)).toEqual([
      'chain-1',
      'chain-2',
      'chain-3',
    ]);

    expect(runner.summaries).toHaveLength(1);
    expect(runner.summaries[0]).toContain(
      '**Role 3 of 3** · `arn:aws:iam::333333333333:role/deployer`',
    );
    expect(savedState(runner)?.variables.map((v) => v.name)).toEqual([
      ...CREDENTIAL_NAMES,
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ]);
    expect(savedState(runner)?.paths).toEqual([]);
    expect(runner.infos.slice(-3)).toEqual([
      'Later steps get:',
      '  naming no profile: arn:aws:sts::333333333333:assumed-role/deployer/GitHubActions in eu-west-1 (AWS_* variables)',
      'Set: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION.',
    ]);
  });

  test('state is saved before anything else, and again before anything is exported', async () => {
    const { runner } = await main({ inputs: { ...KEYS, 'role-to-assume': CHAIN[0] ?? '' } });
    const kinds = runner.events.map((e) => e.kind);
    expect(kinds[0]).toBe('state');
    const states = runner.of('state');
    expect(states).toHaveLength(2);
    expect(runner.events.indexOf(states[1] ?? runner.events[0]!)).toBeLessThan(
      kinds.indexOf('variable'),
    );
  });

  test('the plan is logged: each hop, its source and its external ID; settings in debug', async () => {
    const { runner } = await main({
      inputs: { ...KEYS, 'role-chain': CHAIN.slice(0, 2).join('\n') },
    });
    expect(runner.infos.slice(0, 3)).toEqual([
      'Base credentials: static keys from aws-access-key-id / aws-secret-access-key.',
      `role 1 of 2: ${CHAIN[0]} from the base, external ID github:1111:2222:chain:1:hub, 3600 s`,
      `role 2 of 2: ${CHAIN[1]} from role 1, external ID github:1111:2222:chain:2:spoke, 3600 s`,
    ]);
    expect(runner.debugs).toEqual([
      'Region eu-west-1; STS endpoint regional default; proxy none; retries 4',
    ]);
  });

  test('a failure at hop 2 exports nothing and fails once, naming the hop, role, code and external ID', async () => {
    const sts = fakeSts().fail(
      CHAIN[1] ?? '',
      awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403),
    );
    const { runner } = await main({ inputs: { ...KEYS, 'role-chain': CHAIN.join('\n') }, sts });
    expect(sts.assumedRoles).toEqual(CHAIN.slice(0, 2));
    expect(runner.of('variable')).toEqual([]);
    expect(runner.of('output')).toEqual([]);
    expect(runner.failures).toHaveLength(1);
    const [line = ''] = runner.failures;
    // The failure summary says the same, in parts.
    expect(runner.summaries).toHaveLength(1);
    expect(runner.summaries[0]).toContain(
      '**Role 2 of 3** · `arn:aws:iam::222222222222:role/spoke`: `AccessDenied`',
    );
    expect(runner.summaries[0]).toContain('- External ID sent: `github:1111:2222:chain:2:spoke`');
    expect(runner.summaries[0]).toContain(
      '**To fix:** the trust policy of `arn:aws:iam::222222222222:role/spoke` must allow sts:AssumeRole for `arn:aws:iam::111111111111:role/hub`',
    );
    expect(line).toContain('role 2 of 3');
    expect(line).toContain(CHAIN[1]);
    expect(line).toContain('AccessDenied');
    expect(line).toContain('sts:ExternalId = "github:1111:2222:chain:2:spoke"');
    expect(line).not.toContain('\n');
    expect(runner.events.at(-1)?.kind).toBe('failed');
    expect(savedState(runner)).toEqual({ variables: [], paths: [] });
  });

  test('throttling is retried (with no real wait) and reported', async () => {
    const sts = fakeSts().fail(CHAIN[0] ?? '', awsError('Throttling', 'Rate exceeded', 400));
    const { runner } = await main({ inputs: { ...KEYS, 'role-to-assume': CHAIN[0] ?? '' }, sts });
    expect(runner.failures).toEqual([]);
    expect(sts.assumedRoles).toEqual([CHAIN[0], CHAIN[0]]);
    expect(runner.infos).toContain(
      'role 1 of 1: Throttling (Rate exceeded); retrying in 250 ms (attempt 2 of 4)',
    );
  });

  test('OIDC: the first hop with the job token, the next with its session', async () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
    };
    const { runner, sts } = await main({
      inputs: { 'role-chain': CHAIN.slice(0, 2).join('\n'), audience: 'my-aud' },
      env,
      idToken: 'eyJ.job.token',
    });
    expect(runner.failures).toEqual([]);
    expect(runner.idTokenAudiences).toEqual(['my-aud']);
    expect(sts.calls.map((c) => c.op)).toEqual(['assumeRoleWithWebIdentity', 'assumeRole']);
    expect(sts.callsOf('assumeRoleWithWebIdentity')[0]?.token).toBe('eyJ.job.token');
    expect(runner.leaksOf('eyJ.job.token')).toEqual([]);
    expect(runner.secrets).toContain('eyJ.job.token');
  });

  test('the default provider chain, when nothing else is given', async () => {
    const chain: Credentials = {
      accessKeyId: 'ASIAFROMINSTANCE',
      secretAccessKey: 'instance-secret',
      sessionToken: 'instance-token',
    };
    const { runner, sts } = await main({
      inputs: { 'role-to-assume': CHAIN[0] ?? '' },
      deps: { defaultChain: async () => chain },
    });
    expect(runner.failures).toEqual([]);
    expect(sts.callsOf('assumeRole')[0]?.signer).toEqual(chain);
    expect(runner.secrets).toEqual(
      expect.arrayContaining(['ASIAFROMINSTANCE', 'instance-secret', 'instance-token']),
    );
  });

  test('mask-aws-account-id masks each account before it is logged', async () => {
    const { runner } = await main({
      inputs: { ...KEYS, 'role-chain': CHAIN.join('\n'), 'mask-aws-account-id': 'true' },
    });
    for (const account of ['111111111111', '222222222222', '333333333333']) {
      expect(runner.secrets).toContain(account);
      expect(runner.leaksOf(account)).toEqual([]);
    }
  });

  test('mask-aws-account-id masks the base identity before it is logged', async () => {
    const { runner } = await main({
      inputs: {
        ...KEYS,
        'aws-session-token': 'FwoGZXIvYXdzEJr//////////wEaDH+token=',
        'mask-aws-account-id': 'true',
      },
    });
    expect(runner.failures).toEqual([]);
    expect(runner.infos).toContain(
      'base credentials: authenticated as arn:aws:iam::111122223333:user/ci',
    );
    expect(runner.secrets).toContain('111122223333');
    expect(runner.leaksOf('111122223333')).toEqual([]);
  });

  test('mask-aws-account-id masks an assumed identity in another account before it is logged', async () => {
    const sts = fakeSts({ accountOf: { [CHAIN[0] ?? '']: '999988887777' } });
    const { runner } = await main({
      inputs: { ...KEYS, 'role-to-assume': CHAIN[0] ?? '', 'mask-aws-account-id': 'true' },
      sts,
    });
    expect(runner.infos.some((l) => l.includes('999988887777'))).toBe(true);
    expect(runner.leaksOf('999988887777')).toEqual([]);
  });

  test('without mask-aws-account-id, account IDs are not masked', async () => {
    const { runner } = await main({ inputs: { ...KEYS, 'role-chain': CHAIN.join('\n') } });
    expect(runner.secrets.filter((s) => /^\d{12}$/.test(s))).toEqual([]);
  });

  test('allowed-account-ids: a mismatch exports nothing', async () => {
    const { runner, sts } = await main({
      inputs: {
        ...KEYS,
        'role-chain': CHAIN.join('\n'),
        'allowed-account-ids': '111111111111,222222222222',
      },
    });
    expect(sts.assumedRoles).toEqual(CHAIN);
    expect(runner.of('variable')).toEqual([]);
    expect(runner.of('output')).toEqual([]);
    expect(runner.failures).toEqual([
      'allowed-account-ids: role 3 of 3 resolved to account "333333333333", which is not in the list (111111111111, 222222222222)',
    ]);
  });

  test('allowed-account-ids: a match exports', async () => {
    const { runner } = await main({
      inputs: { ...KEYS, 'role-chain': CHAIN.join('\n'), 'allowed-account-ids': '333333333333' },
    });
    expect(runner.failures).toEqual([]);
    expect(runner.variables['AWS_ACCESS_KEY_ID']).toMatch(/^ASIADEPLOYER/);
  });
});

describe('the failure summary', () => {
  test('any failure writes one: an input error shows its message', async () => {
    const { runner } = await main({ inputs: { ...KEYS, 'role-to-assume': 'arn:not-an-arn' } });
    expect(runner.failures).toHaveLength(1);
    expect(runner.summaries).toEqual([
      `### AWS connection failed\n\n> role-to-assume: \`arn:not-an-arn\` is not an IAM role ARN (${'arn:aws:iam::\\<12-digit account\\>:role/\\<name\\>'})\n`,
    ]);
  });

  test('mask-aws-account-id: no account ID in it', async () => {
    const sts = fakeSts().fail(CHAIN[1] ?? '', awsError('AccessDenied', 'denied', 403));
    const { runner } = await main({
      inputs: { ...KEYS, 'role-chain': CHAIN.join('\n'), 'mask-aws-account-id': 'true' },
      sts,
    });
    expect(runner.summaries).toHaveLength(1);
    expect(runner.summaries[0]).toContain('`arn:aws:iam::***:role/spoke`');
    expect(runner.summaries[0]).not.toMatch(/111111111111|222222222222/);
  });

  test('a summary that cannot be written never hides the error', async () => {
    const sts = fakeSts().fail(CHAIN[0] ?? '', awsError('AccessDenied', 'denied', 403));
    const runner = fakeRunner({
      inputs: { 'aws-region': 'eu-west-1', ...KEYS, 'role-chain': CHAIN.join('\n') },
    });
    runner.summary = async (): Promise<void> => {
      throw new Error('ENOSPC: no space left on device');
    };
    await run({ runner, env: { ...REPO_ENV, RUNNER_TEMP: temp }, sts, retry: instantRetry() });
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).toContain('role 1 of 3');
    expect(runner.debugs.at(-1)).toBe(
      'The failure summary was not written: ENOSPC: no space left on device',
    );
  });
});

describe('validation', () => {
  test.each([
    [
      'a bad role ARN',
      { ...KEYS, 'role-to-assume': 'arn:aws:iam::1:role/x' },
      'role-to-assume: "arn:aws:iam::1:role/x" is not an IAM role ARN',
    ],
    [
      'a chained duration above 3600',
      { ...KEYS, 'role-chain': CHAIN.join('\n'), 'role-duration-seconds': '7200' },
      'role-duration-seconds: 7200 is above 3600',
    ],
    [
      'a bad boolean',
      { ...KEYS, 'output-credentials': 'yes' },
      'output-credentials: "yes" is not a boolean',
    ],
    [
      'a key without its secret',
      { 'aws-access-key-id': KEY_ID },
      'aws-secret-access-key: is required with aws-access-key-id',
    ],
  ])('%s: zero STS calls, nothing exported, one failure', async (_what, inputs, message) => {
    const { runner, sts } = await main({ inputs });
    expect(sts.calls).toEqual([]);
    expect(runner.of('variable')).toEqual([]);
    expect(runner.of('output')).toEqual([]);
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).toContain(message);
    expect(savedState(runner)).toEqual({ variables: [], paths: [] });
  });

  test('a malformed secret is masked before the failure that mentions the input', async () => {
    const secret = 'not a valid secret key';
    const { runner } = await main({
      inputs: { 'aws-access-key-id': KEY_ID, 'aws-secret-access-key': secret },
    });
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).not.toContain(secret);
    expect(runner.secrets.slice(0, 2)).toEqual([KEY_ID, secret]);
  });
});

describe('static keys alone', () => {
  test('GetSessionToken credentials are exported, never the input key', async () => {
    const { runner, sts } = await main({ inputs: { ...KEYS, 'output-credentials': 'true' } });
    expect(runner.failures).toEqual([]);
    expect(sts.calls).toEqual([
      {
        op: 'getSessionToken',
        signer: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
        durationSeconds: 3600,
      },
    ]);
    const exported = credentialsOf(runner);
    expect(exported.accessKeyId).toMatch(/^ASIASESSION/);
    expect(exported.sessionToken).toMatch(/^token-session-/);
    const shown = [
      ...runner.of('variable'),
      ...runner.of('output'),
      ...runner.of('summary'),
      ...runner.of('info'),
    ].map((e) => e.value);
    expect(shown.filter((v) => v.includes(KEY_ID) || v.includes(SECRET))).toEqual([]);
    expect(runner.outputs['aws-access-key-id']).toBe(exported.accessKeyId);
    expect(runner.summaries[0]).toContain('- Exported as session credentials (GetSessionToken)');
  });

  test('the input keys are masked before anything else is said', async () => {
    const { runner } = await main({ inputs: KEYS });
    expect(runner.events.slice(1, 3)).toEqual([
      { kind: 'secret', value: KEY_ID },
      { kind: 'secret', value: SECRET },
    ]);
  });

  test('session-credentials false exports the long-term key, with a warning', async () => {
    const { runner, sts } = await main({ inputs: { ...KEYS, 'session-credentials': 'false' } });
    expect(sts.calls).toEqual([]);
    expect(runner.warnings).toEqual([
      'session-credentials is false: the long-term access key is exported as it is. Prefer session credentials or a role.',
    ]);
    expect(runner.variables).toMatchObject({
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    // No step set a token: none to blank (an earlier one would be, see exports.test.ts).
    expect(runner.variables).not.toHaveProperty('AWS_SESSION_TOKEN');
  });
});

describe('every credential is masked before any line that could hold it (through the SDK adapter)', () => {
  const stsMock = mockClient(STSClient);
  afterEach(() => stsMock.reset());
  afterAll(() => stsMock.restore());

  const answer = (label: string, account: string): object => ({
    Credentials: {
      AccessKeyId: `ASIA${label.toUpperCase()}`,
      SecretAccessKey: `secret-${label}`,
      SessionToken: `token-${label}`,
      Expiration: new Date('2030-01-01T00:00:00Z'),
    },
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${account}:assumed-role/${label}/GitHubActions`,
      AssumedRoleId: `AROA:${label}`,
    },
  });

  test('a chain with output-credentials', async () => {
    stsMock.on(AssumeRoleCommand, { RoleArn: CHAIN[0] }).resolves(answer('hub', '111111111111'));
    stsMock.on(AssumeRoleCommand, { RoleArn: CHAIN[1] }).resolves(answer('spoke', '222222222222'));
    const runner = fakeRunner({
      inputs: {
        'aws-region': 'eu-west-1',
        ...KEYS,
        'role-chain': CHAIN.slice(0, 2).join('\n'),
        'output-credentials': 'true',
      },
    });
    await run({ runner, env: { ...REPO_ENV, RUNNER_TEMP: temp }, retry: instantRetry() });
    expect(runner.failures).toEqual([]);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    const secrets = [
      KEY_ID,
      SECRET,
      ...['hub', 'spoke'].flatMap((l) => [`ASIA${l.toUpperCase()}`, `secret-${l}`, `token-${l}`]),
    ];
    for (const secret of secrets) {
      expect(runner.secrets).toContain(secret);
      expect(runner.leaksOf(secret)).toEqual([]);
    }
    // The last hop's secrets do reach the outputs and variables, after their masks.
    expect(runner.outputs['aws-secret-access-key']).toBe('secret-spoke');
  });

  test('named connections, whose secrets also go to the credentials file', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves(answer('web', '111111111111'));
    stsMock.on(AssumeRoleCommand).resolves(answer('child', '222222222222'));
    const runner = fakeRunner({
      inputs: {
        'aws-region': 'eu-west-1',
        connections: `hub:\n  role-arn: ${CHAIN[0]}\napp:\n  source: hub\n  role-arn: ${CHAIN[1]}\n`,
        connection: 'app',
      },
      idToken: 'eyJ.oidc.token',
    });
    const env = {
      ...REPO_ENV,
      RUNNER_TEMP: temp,
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t/',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'r',
    };
    await run({ runner, env, retry: instantRetry() });
    expect(runner.failures).toEqual([]);
    for (const secret of [
      'eyJ.oidc.token',
      'ASIAWEB',
      'secret-web',
      'token-web',
      'ASIACHILD',
      'secret-child',
      'token-child',
    ]) {
      expect(runner.secrets).toContain(secret);
      expect(runner.leaksOf(secret)).toEqual([]);
    }
  });

  test('the adapter is built from the plan: region and endpoint', async () => {
    stsMock.on(AssumeRoleCommand).resolves(answer('hub', '111111111111'));
    const runner = fakeRunner({
      inputs: {
        'aws-region': 'ap-south-1',
        ...KEYS,
        'role-to-assume': CHAIN[0] ?? '',
        'sts-endpoint': 'http://127.0.0.1:5999',
      },
    });
    await run({ runner, env: { ...REPO_ENV }, retry: instantRetry() });
    expect(runner.failures).toEqual([]);
    const client = stsMock.call(0).thisValue as STSClient;
    await expect(client.config.region()).resolves.toBe('ap-south-1');
    await expect(client.config.endpoint?.()).resolves.toMatchObject({
      hostname: '127.0.0.1',
      port: 5999,
    });
    await expect(client.config.credentials()).resolves.toMatchObject({
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
    });
    expect(runner.debugs).toEqual([
      'Region ap-south-1; STS endpoint http://127.0.0.1:5999/; proxy none; retries 4',
    ]);
  });

  test('GetSessionToken credentials', async () => {
    stsMock.on(GetSessionTokenCommand).resolves(answer('session', '111111111111'));
    const runner = fakeRunner({ inputs: { 'aws-region': 'eu-west-1', ...KEYS } });
    await run({ runner, env: { ...REPO_ENV }, retry: instantRetry() });
    expect(runner.failures).toEqual([]);
    for (const secret of [KEY_ID, SECRET, 'ASIASESSION', 'secret-session', 'token-session'])
      expect(runner.leaksOf(secret)).toEqual([]);
    expect(runner.variables['AWS_SECRET_ACCESS_KEY']).toBe('secret-session');
  });
});

describe('named connections', () => {
  const YAML = [
    'hub:',
    `  role-arn: ${CHAIN[0]}`,
    'build:',
    '  source: hub',
    `  role-arn: ${CHAIN[1]}`,
    '  region: us-east-1',
    'deploy:',
    '  source: hub',
    `  role-arn: ${CHAIN[2]}`,
    '',
  ].join('\n');

  test('each connection resolved once, siblings concurrently; profiles written 0600 in a 0700 dir and recorded in state', async () => {
    const sts = fakeSts().hold();
    const runner = fakeRunner({
      inputs: { 'aws-region': 'eu-west-1', ...KEYS, connections: YAML, connection: 'deploy' },
    });
    const done = run({
      runner,
      env: { ...REPO_ENV, RUNNER_TEMP: temp },
      sts,
      retry: instantRetry(),
    });

    await flush();
    expect(sts.held.map((h) => ('request' in h.call ? h.call.request.roleArn : h.call.op))).toEqual(
      [CHAIN[0]],
    );
    sts.releaseAll();
    await flush();
    // Both siblings are in flight before either answers.
    expect(
      sts.held.map((h) => ('request' in h.call ? h.call.request.roleArn : h.call.op)).sort(),
    ).toEqual([CHAIN[1], CHAIN[2]].sort());
    sts.releaseAll();
    await done;

    expect(runner.failures).toEqual([]);
    expect(sts.assumedRoles.filter((a) => a === CHAIN[0])).toHaveLength(1);
    expect(sts.assumedRoles).toHaveLength(3);
    const hubSession = sts.callsOf('assumeRole').find((c) => c.request.roleArn === CHAIN[0]);
    expect(hubSession?.signer).toEqual({ accessKeyId: KEY_ID, secretAccessKey: SECRET });

    const state = savedState(runner);
    expect(state?.paths).toHaveLength(1);
    const dir = state?.paths[0] ?? '';
    expect(dir.startsWith(`${temp}/aws-connection-`)).toBe(true);
    expect(state?.variables.map((v) => v.name)).toEqual([
      ...CREDENTIAL_NAMES,
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_SDK_LOAD_CONFIG',
    ]);

    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await readdir(dir)).sort()).toEqual(['config', 'credentials']);
    for (const name of ['config', 'credentials'])
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    expect(runner.variables).toMatchObject({
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });

    const config = await readFile(join(dir, 'config'), 'utf8');
    // The hub only feeds the others: not a profile. Build's own region keeps AWS_REGION unset.
    expect(config).toBe(
      '[default]\nregion = eu-west-1\n\n[profile build]\nregion = us-east-1\n\n[profile deploy]\nregion = eu-west-1\n',
    );
    const credentials = await readFile(join(dir, 'credentials'), 'utf8');
    expect(credentials).toContain(
      `[deploy]\naws_access_key_id = ${runner.variables['AWS_ACCESS_KEY_ID'] ?? 'missing'}\n`,
    );
    expect(credentials).not.toContain(KEY_ID);
    expect(runner.variables['AWS_ACCESS_KEY_ID']).toMatch(/^ASIADEPLOYER/);
    expect(runner.infos.slice(-6, -2)).toEqual([
      'Later steps get:',
      '  naming no profile: arn:aws:sts::333333333333:assumed-role/deployer/GitHubActions in eu-west-1 (AWS_* variables)',
      '  --profile build: arn:aws:sts::222222222222:assumed-role/spoke/GitHubActions in us-east-1',
      '  --profile deploy: arn:aws:sts::333333333333:assumed-role/deployer/GitHubActions in eu-west-1',
    ]);
    expect(runner.summaries[0]).toContain('- Use: `--profile deploy`, or name no profile');

    // The post step undoes exactly that.
    const post = fakeRunner({ state: { [State.Cleanup]: runner.getState(State.Cleanup) } });
    await cleanup({ runner: post, env: { RUNNER_TEMP: temp, ...runner.variables } });
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    // Nothing was set before: each goes back to '' (the files to their defaults).
    const home = join(homedir(), '.aws');
    expect(post.of('variable').map((e) => [e.name, e.value])).toEqual(
      state?.variables.map((v): [string, string] => [
        v.name,
        {
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        }[v.name] ?? '',
      ]),
    );
    expect(post.warnings).toEqual([]);
  });

  test('the connections file is read from the working directory path given', async () => {
    const file = join(temp, 'aws.yml');
    await writeFile(file, YAML);
    const { runner, sts } = await main({ inputs: { ...KEYS, 'connections-file': file } });
    expect(runner.failures).toEqual([]);
    expect(sts.assumedRoles).toHaveLength(3);
    // No `connection`: profiles only, no credential variables.
    // Build has a region of its own: the step's region goes in the default profile.
    expect(Object.keys(runner.variables)).toEqual([
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_SDK_LOAD_CONFIG',
    ]);
  });

  test('a connections file that cannot be read as a file fails', async () => {
    const { runner, sts } = await main({ inputs: { ...KEYS, 'connections-file': temp } });
    expect(sts.calls).toEqual([]);
    expect(runner.failures).toHaveLength(1);
  });

  test('a failed connection exports nothing and writes no file', async () => {
    const sts = fakeSts().fail(CHAIN[2] ?? '', awsError('AccessDenied', 'no'));
    const { runner } = await main({ inputs: { ...KEYS, connections: YAML }, sts });
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).toMatch(
      /^connection "deploy" \(arn:aws:iam::333333333333:role\/deployer\) failed: AccessDenied: no — .*sts:ExternalId = "github:1111:2222:connection:deploy"/,
    );
    expect(runner.of('variable')).toEqual([]);
    expect(await readdir(temp)).toEqual([]);
  });

  test('without RUNNER_TEMP the profiles have nowhere to go, which is known before any STS call', async () => {
    const { runner, sts } = await main({
      inputs: { ...KEYS, connections: YAML },
      env: { RUNNER_TEMP: '' },
    });
    expect(runner.failures).toEqual([
      'RUNNER_TEMP is not set: the profile files have nowhere to go',
    ]);
    expect(runner.of('variable')).toEqual([]);
    expect(sts.calls).toEqual([]);
  });
});

describe('refresh', () => {
  test('the profiles from refreshProfiles are written and exported instead of keys', async () => {
    const dirs: string[] = [];
    const { runner } = await main({
      inputs: { ...KEYS, 'role-to-assume': CHAIN[0] ?? '', refresh: 'true' },
      deps: {
        refreshProfiles: async (_plan, _resolution, dir) => {
          dirs.push(dir);
          return {
            files: [{ name: 'refresh.json', content: '{}\n' }],
            profiles: [
              {
                name: 'aws-connection',
                connection: 'chain-1',
                region: 'eu-west-1',
                command: 'refresh',
              },
            ],
            primary: 'aws-connection',
            renewal: { from: 'a fresh GitHub OIDC token each time' },
          };
        },
      },
    });
    expect(runner.failures).toEqual([]);
    expect(dirs).toHaveLength(1);
    const dir = dirs[0] ?? '';
    expect(savedState(runner)?.paths).toEqual([dir]);
    await expect(readFile(join(dir, 'config'), 'utf8')).resolves.toBe(
      '[default]\nregion = eu-west-1\ncredential_process = refresh\n\n[profile aws-connection]\nregion = eu-west-1\ncredential_process = refresh\n',
    );
    expect(runner.variables['AWS_CONFIG_FILE']).toBe(join(dir, 'config'));
    // No step set keys before: there are none to blank, and AWS_PROFILE stays unset.
    for (const name of [...CREDENTIAL_NAMES, 'AWS_PROFILE'])
      expect(runner.variables).not.toHaveProperty(name);
  });
});

describe('the entry point defaults', () => {
  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    process.exitCode = savedExitCode;
  });

  test('with no deps, main reads the process environment and speaks the runner protocol', async () => {
    for (const key of Object.keys(process.env))
      if (key.startsWith('AWS_') || key.startsWith('INPUT_')) delete process.env[key];
    const stateFile = join(temp, 'state');
    await writeFile(stateFile, '');
    process.env['GITHUB_STATE'] = stateFile;
    process.env['INPUT_AWS-REGION'] = 'mars-1';
    const write = process.stdout.write.bind(process.stdout);
    const out: string[] = [];
    process.stdout.write = (chunk: string) => {
      out.push(String(chunk));
      return true;
    };
    try {
      await run();
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).toContain('::error::aws-region: "mars-1" is not an AWS region');
    expect(process.exitCode).toBe(1);
    expect(await readFile(stateFile, 'utf8')).toMatch(/^cleanup<<ghadelimiter_/);
  });
});

describe('inputs of configure-aws-credentials', () => {
  const OIDC = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token',
  };
  const EARLIER = {
    AWS_ACCESS_KEY_ID: 'ASIAEARLIERSTEPKEY01',
    AWS_SECRET_ACCESS_KEY: 'earlierStepSecretKey0123456789abcdefghij',
    AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr//////////wEaDHearlier=',
  };
  const earlierKeys: Credentials = {
    accessKeyId: EARLIER.AWS_ACCESS_KEY_ID,
    secretAccessKey: EARLIER.AWS_SECRET_ACCESS_KEY,
    sessionToken: EARLIER.AWS_SESSION_TOKEN,
  };

  test('role-chaining: the hop is signed with the keys of the environment; no OIDC token is asked for', async () => {
    const { runner, sts } = await main({
      inputs: { 'role-to-assume': ARN('next'), 'role-chaining': 'true' },
      env: { ...OIDC, ...EARLIER },
      idToken: 'never-used',
    });
    expect(runner.failures).toEqual([]);
    expect(runner.idTokenAudiences).toEqual([]);
    expect(sts.calls.map((c) => c.op)).toEqual(['assumeRole']);
    expect(sts.callsOf('assumeRole')[0]?.signer).toEqual(earlierKeys);
    expect(sts.callsOf('assumeRole')[0]?.request.externalId).toBe('github:1111:2222:chain:1:next');
    // The keys of the environment are masked like the inputs' own.
    expect(runner.secrets).toEqual(expect.arrayContaining(Object.values(EARLIER)));
    expect(credentialsOf(runner).accessKeyId).toMatch(/^ASIANEXT/);
  });

  test('a role name: one GetCallerIdentity with the base keys, and the log names the ARN', async () => {
    const sts = fakeSts({
      baseIdentity: { arn: 'arn:aws-cn:iam::444455556666:user/ci', accountId: '444455556666' },
    });
    const { runner } = await main({
      inputs: { ...KEYS, 'aws-region': 'cn-north-1', 'role-to-assume': 'service-role/deployer' },
      sts,
    });
    expect(runner.failures).toEqual([]);
    expect(sts.calls.map((c) => c.op)).toEqual(['getCallerIdentity', 'assumeRole']);
    expect(sts.assumedRoles).toEqual(['arn:aws-cn:iam::444455556666:role/service-role/deployer']);
    expect(runner.infos).toContain(
      'role-to-assume: service-role/deployer is arn:aws-cn:iam::444455556666:role/service-role/deployer, in the account of the base credentials (arn:aws-cn:iam::444455556666:user/ci).',
    );
  });

  test('a role name whose GetCallerIdentity is refused fails the step, exporting nothing', async () => {
    const sts = fakeSts().fail('getCallerIdentity', awsError('InvalidClientTokenId'));
    const { runner } = await main({ inputs: { ...KEYS, 'role-to-assume': 'deployer' }, sts });
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).toContain('InvalidClientTokenId');
    expect(runner.variables).toEqual({});
    expect(sts.assumedRoles).toEqual([]);
  });

  describe('use-existing-credentials', () => {
    test('valid keys in the environment: one GetCallerIdentity, nothing assumed, nothing exported', async () => {
      const sts = fakeSts({
        baseIdentity: {
          arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
          accountId: '123456789012',
        },
      });
      const { runner } = await main({
        inputs: { ...KEYS, 'role-to-assume': ARN('r'), 'use-existing-credentials': 'true' },
        env: EARLIER,
        sts,
      });
      expect(runner.failures).toEqual([]);
      expect(sts.calls).toEqual([{ op: 'getCallerIdentity', signer: earlierKeys }]);
      expect(runner.variables).toEqual({});
      expect(runner.outputs).toEqual({});
      expect(runner.notices).toEqual([
        'use-existing-credentials: the credentials in the environment are valid (arn:aws:sts::123456789012:assumed-role/r/s): nothing is assumed and nothing is exported.',
      ]);
      expect(savedState(runner)?.variables).toEqual([]);
    });

    test('keys STS refuses: one try, then the step goes on as usual', async () => {
      const sts = fakeSts().fail('getCallerIdentity', awsError('ExpiredToken'));
      const { runner } = await main({
        inputs: { ...KEYS, 'role-to-assume': ARN('r'), 'use-existing-credentials': 'true' },
        env: EARLIER,
        sts,
      });
      expect(runner.failures).toEqual([]);
      expect(sts.calls.map((c) => c.op)).toEqual(['getCallerIdentity', 'assumeRole']);
      expect(runner.infos).toContain(
        'use-existing-credentials: STS did not accept the credentials in the environment (ExpiredToken); obtaining new credentials.',
      );
      expect(credentialsOf(runner).accessKeyId).toMatch(/^ASIAR/);
    });

    test('no keys in the environment: no call for them', async () => {
      const { runner, sts } = await main({
        inputs: { ...KEYS, 'role-to-assume': ARN('r'), 'use-existing-credentials': 'true' },
      });
      expect(sts.calls.map((c) => c.op)).toEqual(['assumeRole']);
      expect(runner.infos).toContain(
        'use-existing-credentials: the environment holds no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; obtaining new credentials.',
      );
    });

    test('keys of an account not allowed are not kept; their identity serves a role name: still one GetCallerIdentity', async () => {
      const sts = fakeSts({
        baseIdentity: { arn: 'arn:aws:iam::999999999999:user/old', accountId: '999999999999' },
      });
      const { runner } = await main({
        inputs: {
          'role-to-assume': 'deployer',
          'role-chaining': 'true',
          'use-existing-credentials': 'true',
          'allowed-account-ids': '999999999998',
        },
        env: EARLIER,
        sts,
      });
      expect(sts.calls.map((c) => c.op)).toEqual(['getCallerIdentity', 'assumeRole']);
      expect(sts.assumedRoles).toEqual(['arn:aws:iam::999999999999:role/deployer']);
      expect(runner.infos).toContain(
        'use-existing-credentials: the credentials in the environment belong to account 999999999999, which is not in allowed-account-ids; obtaining new credentials.',
      );
      // The role lands in 999999999999 too: allowed-account-ids still fails the step.
      expect(runner.failures[0]).toContain('allowed-account-ids');
      expect(runner.variables).toEqual({});
    });
  });

  test('unset-current-credentials: the default chain no longer sees the keys of the environment', async () => {
    const stepEnv: NodeJS.ProcessEnv = { ...REPO_ENV, RUNNER_TEMP: temp, ...EARLIER };
    let seen: (string | undefined)[] = [];
    const { runner, sts } = await main({
      inputs: { 'role-to-assume': ARN('r'), 'unset-current-credentials': 'true' },
      deps: {
        env: stepEnv,
        defaultChain: async () => {
          seen = CREDENTIAL_NAMES.map((name) => stepEnv[name]);
          return {
            accessKeyId: 'AKIAINSTANCEROLE0001',
            secretAccessKey: 'instanceSecret0123456789',
          };
        },
      },
    });
    expect(runner.failures).toEqual([]);
    expect(seen).toEqual([undefined, undefined, undefined]);
    expect(runner.infos).toContain(
      'unset-current-credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN of the environment are not used by this step.',
    );
    expect(sts.callsOf('assumeRole')[0]?.signer.accessKeyId).toBe('AKIAINSTANCEROLE0001');
  });

  describe('action-timeout-s', () => {
    /** Timers that fire when told to. */
    function manualTimers(): NonNullable<MainDeps['timers']> & { fire: () => void } {
      const pending: (() => void)[] = [];
      return {
        setTimeout: (fn) => pending.push(fn),
        clearTimeout: () => pending.splice(0),
        fire: () => {
          for (const fn of pending.splice(0)) fn();
        },
      };
    }

    test('when it fires the step fails at once, ends the process, and the late exports never happen', async () => {
      const sts = fakeSts().hold();
      const timers = manualTimers();
      const exits: number[] = [];
      const running = main({
        inputs: { ...KEYS, 'role-to-assume': ARN('r'), 'action-timeout-s': '5' },
        sts,
        deps: { timers, exit: (code) => exits.push(code) },
      });
      await flush();
      expect(sts.held).toHaveLength(1);
      timers.fire();
      const { runner } = await running;
      expect(runner.failures).toEqual([
        'action-timeout-s: the step did not finish within 5 s and exported nothing',
      ]);
      expect(exits).toEqual([1]);
      sts.releaseAll();
      await flush();
      expect(runner.variables).toEqual({});
      expect(runner.outputs).toEqual({});
    });

    test('a step that finishes in time exports as usual and ends nothing', async () => {
      const timers = manualTimers();
      const exits: number[] = [];
      const { runner } = await main({
        inputs: { ...KEYS, 'role-to-assume': ARN('r'), 'action-timeout-s': '5' },
        deps: { timers, exit: (code) => exits.push(code) },
      });
      expect(runner.failures).toEqual([]);
      expect(exits).toEqual([]);
      expect(credentialsOf(runner).accessKeyId).toMatch(/^ASIAR/);
    });
  });
});
