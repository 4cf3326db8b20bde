/** src/connect/refresh/agent-stop.ts: the post step stopping the agent (seams for the pid). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMessage } from '../../../../src/connect/refresh/agent-protocol.js';
import { isAlive, stopAgent, type StopDeps } from '../../../../src/connect/refresh/agent-stop.js';

let dir: string;
let server: Server | undefined;
let warnings: string[];
let terminated: number[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-stop-'));
  warnings = [];
  terminated = [];
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in agent answering `reply` to any request, and closing when it says stopped. */
async function agent(reply: string): Promise<string> {
  const socket = join(dir, 'agent.sock');
  const s = createServer((c) => {
    c.once('data', () => {
      c.end(reply);
      if (reply.includes('stopped')) s.close();
    });
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(socket, resolve));
  return socket;
}

function deps(aliveFor: number[]): StopDeps {
  let checks = 0;
  return {
    warning: (m) => void warnings.push(m),
    alive: (pid) => aliveFor.includes(pid) && checks++ < 2,
    sleep: () => Promise.resolve(),
    terminate: (pid) => void terminated.push(pid),
    timeoutMs: 500,
  };
}

test('asks it to stop and waits until its process is gone', async () => {
  const socket = await agent(renderMessage({ ok: true, stopped: 4242 }));
  await expect(stopAgent({ pid: 4242, socket }, deps([4242]))).resolves.toBe(true);
  expect(existsSync(socket)).toBe(false);
  expect(warnings).toEqual([]);
  expect(terminated).toEqual([]);
});

test('an agent already gone (no socket) is fine, and its old pid is never signalled', async () => {
  const socket = join(dir, 'agent.sock');
  await expect(stopAgent({ pid: 4242, socket }, deps([4242]))).resolves.toBe(true);
  expect(warnings).toEqual([]);
  expect(terminated).toEqual([]);
});

test('an agent that does not end when asked gets SIGTERM, and a warning', async () => {
  const socket = await agent(renderMessage({ ok: true, stopped: 4242 }));
  const stubborn: StopDeps = { ...deps([]), alive: () => true };
  await expect(stopAgent({ pid: 4242, socket }, stubborn)).resolves.toBe(false);
  expect(terminated).toEqual([4242]);
  expect(warnings).toEqual([
    'The credential agent (process 4242) did not stop when asked; it was sent SIGTERM.',
  ]);
});

test('a socket held by another process than recorded: a warning naming both', async () => {
  const socket = await agent(renderMessage({ ok: true, stopped: 777 }));
  await expect(stopAgent({ pid: 4242, socket }, deps([]))).resolves.toBe(true);
  expect(warnings).toEqual([
    `The credential agent on ${socket} is process 777, not 4242 as recorded.`,
  ]);
});

test('an answer other than stopped is a warning, and the recorded process is waited for', async () => {
  const socket = await agent(renderMessage({ ok: false, error: 'busy' }));
  await expect(stopAgent({ pid: 4242, socket }, deps([4242]))).resolves.toBe(true);
  expect(warnings).toEqual(['The credential agent did not answer the request to stop: busy']);
});

describe('isAlive', () => {
  test('this process runs; a pid nobody has does not', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2147483646)).toBe(false);
  });
  test('a zombie (exited, not reaped) counts as gone', () => {
    expect(isAlive(process.pid, () => `${process.pid} (node (x)) Z 1 2 3`)).toBe(false);
    expect(isAlive(process.pid, () => `${process.pid} (node) S 1 2 3`)).toBe(true);
    expect(
      isAlive(process.pid, () => {
        throw new Error('no /proc here');
      }),
    ).toBe(true);
  });
});
