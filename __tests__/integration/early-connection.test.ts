/**
 * The early STS connections through the bundled main step, over TLS: the regional endpoint is
 * stood in for by a TLS front before the test proxy (AWS_CONNECTION_STS_STAND_IN), trusted
 * through NODE_EXTRA_CA_CERTS, which counts TCP connections and TLS handshakes. A chain takes
 * its one early connection for every hop; sibling connections each take one of their own,
 * opened together; an early connection the front closes is left for a new one, with no retry.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { trustPolicy } from './support/moto.js';
import { motoSuite } from './support/suite.js';
import { errorLines, runStep, type StepResult } from './support/runner.js';
import { startTlsFront, type TlsFront } from './support/tls-front.js';
import { NODE24 } from './support/nodes.js';

const MAIN = 'dist/main/index.js';
const PREFIX = 'github:4040:100200300';
const CERT = fileURLToPath(new URL('../../__fixtures__/tls/loopback.crt', import.meta.url));
const KEY = fileURLToPath(new URL('../../__fixtures__/tls/loopback.key', import.meta.url));

const emulator = motoSuite();
let front: TlsFront;

beforeAll(async () => {
  front = await startTlsFront(Number(new URL(emulator.proxy.url).port), {
    cert: readFileSync(CERT),
    key: readFileSync(KEY),
  });
});

afterAll(async () => {
  await front.stop();
});

/** Main through the front; what the front counted for it. */
async function runMain(
  inputs: Record<string, string>,
): Promise<{ result: StepResult; connections: number; handshakes: number; requests: number }> {
  const before = front.counts();
  const requests = emulator.proxy.count();
  const result = await runStep({
    entry: MAIN,
    node: NODE24,
    inputs: {
      'aws-region': 'us-east-1',
      'aws-access-key-id': emulator.user.accessKeyId,
      'aws-secret-access-key': emulator.user.secretAccessKey,
      ...inputs,
    },
    env: { AWS_CONNECTION_STS_STAND_IN: front.url, NODE_EXTRA_CA_CERTS: CERT },
  });
  // The front counts a connection when the step's socket reaches it; give a closing one a moment.
  await new Promise((done) => setTimeout(done, 50));
  const after = front.counts();
  return {
    result,
    connections: after.connections - before.connections,
    handshakes: after.handshakes - before.handshakes,
    requests: emulator.proxy.count() - requests,
  };
}

const role = (name: string, externalId: string): Promise<string> =>
  emulator.moto.createRole(
    name,
    trustPolicy({ principalArn: emulator.user.arn, externalId: `${PREFIX}:${externalId}` }),
  );

test('a chain of two: both hops on the one early connection, one TLS handshake', async () => {
  const r1 = await role('r1', 'chain:1:r1');
  const r2 = await emulator.moto.createRole(
    'r2',
    trustPolicy({ principalArn: r1, externalId: `${PREFIX}:chain:2:r2` }),
  );
  const run = await runMain({ 'role-chain': `${r1}\n${r2}` });
  expect(errorLines(run.result)).toEqual([]);
  expect(run.result.env['AWS_SESSION_TOKEN']).toBeTruthy();
  expect([run.requests, run.connections, run.handshakes]).toEqual([2, 1, 1]);
});

test('four sibling connections: four early connections opened together, one each, none extra', async () => {
  const names = ['s0', 's1', 's2', 's3'];
  const arns = await Promise.all(names.map((n) => role(n, `connection:${n}`)));
  const run = await runMain({
    connections: names.map((n, i) => `${n}:\n  role-arn: ${arns[i] ?? ''}\n`).join(''),
  });
  expect(errorLines(run.result)).toEqual([]);
  expect([run.requests, run.connections, run.handshakes]).toEqual([4, 4, 4]);
});

test('an early connection the endpoint closes is not used: a new one carries the call, with no retry', async () => {
  const r1 = await role('r1', 'chain:1:r1');
  front.refuse(1);
  const run = await runMain({ 'role-to-assume': r1 });
  expect(errorLines(run.result)).toEqual([]);
  expect(run.result.stdout).not.toMatch(/retrying/);
  expect(run.result.env['AWS_SESSION_TOKEN']).toBeTruthy();
  expect([run.requests, run.connections, run.handshakes]).toEqual([1, 2, 1]);
});
