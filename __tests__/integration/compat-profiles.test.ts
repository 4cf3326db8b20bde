/**
 * configure-aws-credentials' named-profile examples (`aws-profile`), written as its README writes
 * them, run through the bundle in jobs of one or two steps against moto, and judged by the
 * three later-step tools (AWS CLI v1, boto3, JS SDK v3) naming each profile: identity and
 * region. Where the result deliberately differs (session credentials, not the long-term key;
 * the profiles live in the step's own files and go with its post step), the test says so.
 */
import { trustPolicy } from './support/moto.js';
import { motoSuite } from './support/suite.js';
import { Job } from './support/job.js';
import { startOidc, type OidcServer } from './support/oidc.js';
import { errorLines, type StepResult } from './support/runner.js';
import { agreeing, probeAll } from './support/probes.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';

const emulator = motoSuite();
const ACCOUNT = '123456789012';
const session = (role: string, name = 'GitHubActions'): string =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}`;
const NO_CREDENTIALS = { region: 'none' };
/** Every tool fails: the profile is not there. */
const GONE = {
  'aws-cli': { error: expect.any(String) as unknown },
  boto3: { error: expect.any(String) as unknown },
  'js-sdk': { error: expect.any(String) as unknown },
};

let oidc: OidcServer;
beforeEach(async () => {
  oidc = await startOidc();
  await emulator.moto.createGitHubOidcProvider();
});
afterEach(() => oidc.stop());

function keys(): Record<string, string> {
  return {
    'aws-access-key-id': emulator.user.accessKeyId,
    'aws-secret-access-key': emulator.user.secretAccessKey,
  };
}

function newJob(withOidc = false): Job {
  return new Job({
    AWS_ENDPOINT_URL_STS: emulator.proxy.url,
    ...(withOidc && {
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    }),
  });
}

function expectSuccess(result: StepResult): void {
  expect({ code: result.code, errors: errorLines(result) }).toEqual({ code: 0, errors: [] });
  assertNoLeaks(
    result,
    collectSecrets(
      result,
      emulator.user.accessKeyId,
      emulator.user.secretAccessKey,
      oidc.requestToken,
    ),
  );
}

test('static keys, a role, aws-profile MyProfile1 and role-chaining, as the peer writes it: --profile MyProfile1 is the role', async () => {
  const role = await emulator.moto.createRole('my-role', trustPolicy());
  const job = newJob();
  const step = await job.main(
    {
      'aws-region': 'us-east-1',
      'role-to-assume': role,
      ...keys(),
      'aws-profile': 'MyProfile1',
      'role-chaining': 'true',
    },
    { env: { AWS_PROFILE: 'MyProfile1' } },
  );
  expectSuccess(step);
  // As in the peer, aws-profile turns the environment off: no keys, no region variable.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_REGION']) expect(step.env[name]).toBeUndefined();
  const env = job.stepEnv();
  expect(await probeAll(emulator.proxy, env, 'MyProfile1')).toEqual(
    agreeing({ arn: session('my-role'), region: 'us-east-1' }),
  );
  // The later step of the peer's example names it through AWS_PROFILE.
  expect(await probeAll(emulator.proxy, { ...env, AWS_PROFILE: 'MyProfile1' })).toEqual(
    agreeing({ arn: session('my-role'), region: 'us-east-1' }),
  );
  // Deliberate difference: the post step removes the profile (the peer leaves it in ~/.aws).
  await job.post();
  expect(await probeAll(emulator.proxy, job.stepEnv(), 'MyProfile1')).toEqual(GONE);
});

test('one role to assume another over two steps, each as a profile: firstRoleInChain, then secondRoleInChain from it', async () => {
  const first = await emulator.moto.createRole('my-first-role', trustPolicy({ webIdentity: true }));
  const second = await emulator.moto.createRole('my-second-role', trustPolicy());
  const job = newJob(true);
  expectSuccess(
    await job.main({
      'aws-region': 'us-east-1',
      'role-to-assume': first,
      'aws-profile': 'firstRoleInChain',
    }),
  );
  const two = await job.main(
    {
      'aws-region': 'us-east-2',
      'role-to-assume': second,
      'role-chaining': 'true',
      'aws-profile': 'secondRoleInChain',
    },
    { env: { AWS_PROFILE: 'firstRoleInChain' } },
  );
  expectSuccess(two);
  // The hop from the first profile carries its derived external ID.
  const assume = emulator.proxy.requests.filter((r) => r.action === 'AssumeRole');
  expect(assume.map((r) => new URLSearchParams(r.body).get('ExternalId'))).toEqual([
    'github:4040:100200300:chain:1:my-second-role',
  ]);
  const env = job.stepEnv();
  expect(await probeAll(emulator.proxy, env, 'secondRoleInChain')).toEqual(
    agreeing({ arn: session('my-second-role'), region: 'us-east-2' }),
  );
  expect(await probeAll(emulator.proxy, env, 'firstRoleInChain')).toEqual(
    agreeing({ arn: session('my-first-role'), region: 'us-east-1' }),
  );
  // The second post puts the job back as the first step left it.
  await job.post();
  expect(await probeAll(emulator.proxy, job.stepEnv(), 'firstRoleInChain')).toEqual(
    agreeing({ arn: session('my-first-role'), region: 'us-east-1' }),
  );
});

test('several profiles in one workflow: dev and prod in their own regions', async () => {
  const dev = await emulator.moto.createRole('dev-role', trustPolicy({ webIdentity: true }));
  const prod = await emulator.moto.createRole('prod-role', trustPolicy({ webIdentity: true }));
  const job = newJob(true);
  expectSuccess(
    await job.main({ 'aws-region': 'us-east-1', 'role-to-assume': dev, 'aws-profile': 'dev' }),
  );
  expectSuccess(
    await job.main({ 'aws-region': 'us-west-2', 'role-to-assume': prod, 'aws-profile': 'prod' }),
  );
  const env = job.stepEnv();
  expect(await probeAll(emulator.proxy, env, 'dev')).toEqual(
    agreeing({ arn: session('dev-role'), region: 'us-east-1' }),
  );
  expect(await probeAll(emulator.proxy, env, 'prod')).toEqual(
    agreeing({ arn: session('prod-role'), region: 'us-west-2' }),
  );
  // A step naming no profile gets none of them (the peer sets no variable either).
  expect(await probeAll(emulator.proxy, env)).toEqual(agreeing(NO_CREDENTIALS));
});

test('the same profile twice without overwrite-aws-profile fails before any call; with it, replaced', async () => {
  const a = await emulator.moto.createRole('role-a', trustPolicy());
  const b = await emulator.moto.createRole('role-b', trustPolicy());
  const job = newJob();
  expectSuccess(
    await job.main({
      'aws-region': 'us-east-1',
      'role-to-assume': a,
      ...keys(),
      'aws-profile': 'p',
    }),
  );
  emulator.proxy.clear();
  const again = await job.main({
    'aws-region': 'us-east-1',
    'role-to-assume': b,
    ...keys(),
    'aws-profile': 'p',
  });
  expect(again.code).toBe(1);
  expect(errorLines(again)).toEqual([
    expect.stringMatching(
      /^::error::aws-profile: profile "p" already exists in .*\/(config|credentials); set overwrite-aws-profile: true/,
    ),
  ]);
  expect(emulator.proxy.requests).toEqual([]);
  expectSuccess(
    await job.main({
      'aws-region': 'us-east-1',
      'role-to-assume': b,
      ...keys(),
      'aws-profile': 'p',
      'overwrite-aws-profile': 'true',
    }),
  );
  expect(await probeAll(emulator.proxy, job.stepEnv(), 'p')).toEqual(
    agreeing({ arn: session('role-b'), region: 'us-east-1' }),
  );
});
