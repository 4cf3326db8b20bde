/**
 * Faults injected by the loopback proxy in front of moto, through the bundled action:
 * retryable faults are retried and the step succeeds; errors a retry cannot cure fail at
 * once; a hung STS fails within the request timeout; and whenever the step fails, GITHUB_ENV
 * and GITHUB_OUTPUT hold no credential and the one error line names the hop. All runs are in
 * debug mode (RUNNER_DEBUG=1, ACTIONS_STEP_DEBUG=true) and go through the leak detector.
 */
import { startMoto, trustPolicy, type Moto, type MotoUser } from './support/moto.js';
import { startProxy, type Fault, type StsProxy } from './support/proxy.js';
import { errorLines, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';

const MAIN = 'dist/main/index.js';
const ID = (i: number): string => `github:4040:100200300:chain:${i}:r${i}`;

let moto: Moto;
let proxy: StsProxy;
let user: MotoUser;
let chain: string;
let leakChecks = 0;
let faultCases = 0;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ moto });
  user = await moto.createUser('ci');
  const r1 = await moto.createRole(
    'r1',
    trustPolicy({ principalArn: user.arn, externalId: ID(1) }),
  );
  const r2 = await moto.createRole(
    'r2',
    trustPolicy({
      principalArn: r1,
      externalId: ID(2),
    }),
  );
  chain = `${r1}\n${r2}`;
});
afterAll(async () => {
  await proxy.stop();
  await moto.stop();
  console.log(`faults.test.ts: ${faultCases} fault cases, ${leakChecks} leak checks`);
});
beforeEach(() => {
  proxy.clear();
  proxy.clearFaults();
});

async function run(inputs: Record<string, string> = {}, timeoutMs = 30_000): Promise<StepResult> {
  faultCases++;
  const result = await runStep({
    entry: MAIN,
    timeoutMs,
    inputs: {
      'aws-region': 'us-east-1',
      'aws-access-key-id': user.accessKeyId,
      'aws-secret-access-key': user.secretAccessKey,
      'role-chain': chain,
      ...inputs,
    },
    env: { AWS_ENDPOINT_URL_STS: proxy.url, RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' },
  });
  leakChecks += assertNoLeaks(
    result,
    collectSecrets(result, user.accessKeyId, user.secretAccessKey),
  );
  return result;
}

function expectSuccess(result: StepResult): void {
  expect({
    code: result.code,
    errors: errorLines(result),
  }).toEqual({ code: 0, errors: [] });
  expect(result.env['AWS_SESSION_TOKEN']).toBeTruthy();
}

/** A failed step: nothing exported, one error line, naming `hop`. */
function expectFailure(result: StepResult, hop: string): string {
  expect(result.code).toBe(1);
  expect(result.timedOut).toBe(false);
  expect(result.env).toEqual({});
  expect(result.outputs).toEqual({});
  const errors = errorLines(result);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(hop);
  return errors[0] ?? '';
}

describe('retryable faults are retried, and the step succeeds', () => {
  const cases: [string, Fault, number, number][] = [
    ['throttling twice', { kind: 'throttle' }, 2, 0],
    ['throttling on the second hop', { kind: 'throttle' }, 2, 1],
    ['a 500', { kind: 'status', status: 500 }, 1, 0],
    ['a 502', { kind: 'status', status: 502 }, 1, 0],
    ['two 503s', { kind: 'status', status: 503 }, 2, 0],
    ['a 504 on the second hop', { kind: 'status', status: 504 }, 1, 1],
    ['a reset connection', { kind: 'reset' }, 1, 0],
    ['a truncated body', { kind: 'truncated' }, 1, 0],
    ['a malformed body', { kind: 'malformed' }, 1, 1],
    ['a 5xx after the call took effect', { kind: 'after', status: 503 }, 1, 0],
    ['300 ms of latency', { kind: 'latency', ms: 300 }, 2, 0],
  ];
  test.each(cases)('%s', async (_what, fault, times, skip) => {
    proxy.inject({ action: 'AssumeRole', fault, times, skip });
    const result = await run();
    expectSuccess(result);
    const retried = fault.kind === 'latency' ? 0 : times;
    expect(proxy.count('AssumeRole')).toBe(2 + retried);
    if (retried > 0) expect(result.stdout).toContain(`role ${skip + 1} of 2: `);
  });
});

describe('errors a retry cannot cure fail at once, exporting nothing', () => {
  const cases: [string, Fault, string][] = [
    [
      'AccessDenied',
      { kind: 'error', status: 403, code: 'AccessDenied', message: 'not authorized' },
      'AccessDenied',
    ],
    [
      'InvalidClientTokenId',
      { kind: 'error', status: 403, code: 'InvalidClientTokenId', message: 'bad token' },
      'InvalidClientTokenId',
    ],
    [
      'ExpiredToken',
      { kind: 'error', status: 400, code: 'ExpiredToken', message: 'expired' },
      'have expired',
    ],
    [
      'RegionDisabledException',
      { kind: 'error', status: 403, code: 'RegionDisabledException', message: 'disabled' },
      'not activated in this region',
    ],
    [
      'ValidationError',
      { kind: 'error', status: 400, code: 'ValidationError', message: 'bad value' },
      'ValidationError',
    ],
    [
      'MalformedPolicyDocument',
      { kind: 'error', status: 400, code: 'MalformedPolicyDocument', message: 'bad policy' },
      'not a valid IAM policy',
    ],
  ];
  test.each(cases)('%s on the second hop', async (_what, fault, text) => {
    proxy.inject({ action: 'AssumeRole', fault, skip: 1 });
    const result = await run();
    expect(expectFailure(result, 'role 2 of 2 (arn:aws:iam::123456789012:role/r2)')).toContain(
      text,
    );
    expect(proxy.count('AssumeRole')).toBe(2);
  });
});

test('throttling that never stops: bounded tries, then a failure that exports nothing', async () => {
  proxy.inject({ action: 'AssumeRole', fault: { kind: 'throttle' } });
  const result = await run({ 'retry-max-attempts': '3' });
  expect(expectFailure(result, 'role 1 of 2')).toContain('Throttling');
  expect(proxy.count('AssumeRole')).toBe(3);
});

test('a 5xx storm on the second hop: the first hop’s credentials are not exported', async () => {
  proxy.inject({ action: 'AssumeRole', fault: { kind: 'status', status: 500 }, skip: 1 });
  const result = await run();
  expectFailure(result, 'role 2 of 2');
  expect(proxy.count('AssumeRole')).toBe(5);
});

test('a hung STS fails within the request timeout (5 s per try), exporting nothing', async () => {
  proxy.inject({ action: 'AssumeRole', fault: { kind: 'hang' }, skip: 1 });
  const result = await run({ 'retry-max-attempts': '1' }, 20_000);
  expect(expectFailure(result, 'role 2 of 2')).toMatch(/TimeoutError|timed? ?out/i);
}, 25_000);

test('the post step runs clean after a failed main step', async () => {
  proxy.inject({
    action: 'AssumeRole',
    fault: { kind: 'error', status: 403, code: 'AccessDenied', message: 'no' },
  });
  const result = await run();
  expectFailure(result, 'role 1 of 2');
  expect(JSON.parse(result.state['cleanup'] ?? 'null')).toEqual({ variables: [], paths: [] });
});
