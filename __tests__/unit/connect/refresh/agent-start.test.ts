/** src/connect/refresh/agent-start.ts: how main starts the agent, with a stand-in program. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agentEnvironment,
  agentVariables,
  startAgent,
} from '../../../../src/connect/refresh/agent-start.js';
import type { AgentMaterial } from '../../../../src/connect/refresh/agent.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-start-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const MATERIAL = {
  version: 1,
  session: { secretAccessKey: 'session-secret' },
} as unknown as AgentMaterial;

/** A stand-in agent: records what it got (argv, env, stdin, cwd), then says `line`. */
function program(line: string, after = ''): string {
  const path = join(dir, 'program.mjs');
  writeFileSync(
    path,
    `import { writeFileSync } from 'node:fs';
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  writeFileSync('seen.json', JSON.stringify({ argv: process.argv.slice(2), env: process.env, input, cwd: process.cwd() }));
  process.stdout.write(${JSON.stringify(line)}.replace('PID', String(process.pid)));
  ${after}
});
`,
  );
  return path;
}

const ENV = {
  PATH: '/usr/bin',
  HOME: '/home/runner',
  RUNNER_TRACKING_ID: 'github_1',
  'INPUT_AWS-SECRET-ACCESS-KEY': 'long-term-secret',
  AWS_SECRET_ACCESS_KEY: 'long-term-secret',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer',
  HTTPS_PROXY: 'http://user:pass@proxy:3128',
  AWS_CONNECTION_STS_STAND_IN: 'https://127.0.0.1:9/',
};

test('the environment keeps only names that are neither secret nor a lever', () => {
  expect(agentEnvironment(ENV)).toEqual({
    PATH: '/usr/bin',
    HOME: '/home/runner',
    RUNNER_TRACKING_ID: 'github_1',
  });
  expect(agentVariables(ENV)).toEqual({ AWS_CONNECTION_STS_STAND_IN: 'https://127.0.0.1:9/' });
  expect(agentVariables({})).toEqual({});
});

test('the material goes over stdin only: not the command line, not the environment', async () => {
  const record = await startAgent({
    node: process.execPath,
    program: program('{"ready":PID}\n'),
    dir,
    material: MATERIAL,
    env: ENV,
  });
  expect(record.socket).toBe(join(dir, 'agent.sock'));
  const seen = JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8')) as {
    argv: string[];
    env: Record<string, string>;
    input: string;
    cwd: string;
  };
  expect(seen.argv).toEqual(['agent']);
  expect(seen.cwd).toBe(dir);
  expect(JSON.parse(seen.input)).toEqual(MATERIAL);
  expect(JSON.stringify(seen.env)).not.toMatch(/long-term-secret|session-secret|bearer|pass@/);
  expect(record.pid).toBeGreaterThan(0);
});

test('started detached, with no stdio of the step, and let go', async () => {
  const options: unknown[] = [];
  const real = spawn;
  await startAgent({
    node: process.execPath,
    program: program('{"ready":PID}\n'),
    dir,
    material: MATERIAL,
    env: ENV,
    spawn: ((cmd: string, args: string[], o: object) => {
      options.push(o);
      return real(cmd, args, o);
    }) as unknown as typeof spawn,
  });
  expect(options[0]).toMatchObject({
    cwd: dir,
    detached: true,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
});

test.each([
  [
    'its own reason',
    '{"error":"the agent material is not JSON"}\n',
    '',
    /could not be started: the agent material is not JSON$/,
  ],
  [
    'an exit before it is ready',
    '',
    'process.exit(3);',
    /could not be started: it exited \(code 3\) before it was ready/,
  ],
  ['something else', 'hello\n', '', /could not be started: /],
])('a failure to start says so: %s', async (_label, line, after, message) => {
  await expect(
    startAgent({
      node: process.execPath,
      program: program(line, after),
      dir,
      material: MATERIAL,
      env: ENV,
    }),
  ).rejects.toThrow(message);
});

test('an agent that never says it is ready is ended', async () => {
  await expect(
    startAgent({
      node: process.execPath,
      program: program('', 'setInterval(() => undefined, 1000);'),
      dir,
      material: MATERIAL,
      env: ENV,
      timeoutMs: 300,
    }),
  ).rejects.toThrow(/did not say it was ready within 0.3 s/);
});
