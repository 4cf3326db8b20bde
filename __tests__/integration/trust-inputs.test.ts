/**
 * Trust boundaries of what the step reads, through the bundles as the runner runs them,
 * against moto with signature checking on (it evaluates `sts:ExternalId` in trust policies;
 * the test proxy in front records requests):
 * - the workspace never chooses the role: `.github/aws-connections.yml` is read only when the
 *   workflow names it;
 * - connection names and tag values are read as written (`0042` is not 42);
 * - `refresh: true` refuses a session the AWS CLI would renew on every command, and a burst
 *   of renewals on a cold cache costs one AssumeRole per hop.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { trustPolicy } from './support/moto.js';
import { motoSuite } from './support/suite.js';
import { errorLines, laterStepEnv, runPost, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';
import { NODE24 } from './support/nodes.js';

const MAIN = 'dist/main/index.js';
const REFRESH = resolve('dist/refresh/index.js');
const CLEANUP = resolve('dist/cleanup/index.js');
const ID = (name: string): string => `github:4040:100200300:connection:${name}`;
const DEFAULT_FILE = '.github/aws-connections.yml';

const emulator = motoSuite();

async function runMain(
  inputs: Record<string, string>,
  opts: { workDir?: string } = {},
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
    env: { AWS_ENDPOINT_URL_STS: emulator.proxy.url },
    ...opts,
  });
  assertNoLeaks(
    result,
    collectSecrets(result, emulator.user.accessKeyId, emulator.user.secretAccessKey),
  );
  return result;
}

function expectSuccess(result: StepResult): void {
  expect({ code: result.code, errors: errorLines(result) }).toEqual({ code: 0, errors: [] });
}

/** The form parameters of each AssumeRole the proxy received. */
function assumeRoleCalls(): URLSearchParams[] {
  return emulator.proxy.requests
    .filter((r) => r.action === 'AssumeRole')
    .map((r) => new URLSearchParams(r.body));
}

describe('the workspace never chooses the role', () => {
  /** A job folder whose checkout holds the default file, naming a role the keys may assume. */
  async function checkoutWithDefaultFile(): Promise<{ workDir: string; role: string }> {
    const role = await emulator.moto.createRole(
      'picked-by-checkout',
      trustPolicy({ principalArn: emulator.user.arn, externalId: ID('picked') }),
    );
    const workDir = mkdtempSync(join(tmpdir(), 'aws-connection-ws-'));
    mkdirSync(join(workDir, 'workspace', '.github'), { recursive: true });
    writeFileSync(
      join(workDir, 'workspace', DEFAULT_FILE),
      `picked:\n  role-arn: ${role}\n  external-id: ${ID('picked')}\n`,
    );
    return { workDir, role };
  }

  test('a step with keys and no role does not read the default file, and says how to use it', async () => {
    const { workDir } = await checkoutWithDefaultFile();
    const result = await runMain({}, { workDir });
    expectSuccess(result);
    expect(emulator.proxy.count('AssumeRole')).toBe(0);
    expect(emulator.proxy.count('GetSessionToken')).toBe(1);
    expect(result.outputs['connections']).toBeUndefined();
    // The session credentials of the keys, as for any step with keys and no role.
    expect(result.env['AWS_CONFIG_FILE']).toBeUndefined();
    expect(result.env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    const notices = result.stdout.split('\n').filter((l) => l.startsWith('::notice::'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`is not read: add connections-file: ${DEFAULT_FILE}`);
    expect(notices[0]).toContain('pull request');
  });

  test('the workflow that names the file gets its connections, with no notice', async () => {
    const { workDir, role } = await checkoutWithDefaultFile();
    const result = await runMain({ 'connections-file': DEFAULT_FILE }, { workDir });
    expectSuccess(result);
    expect(assumeRoleCalls().map((p) => p.get('RoleArn'))).toEqual([role]);
    expect(result.stdout).not.toContain('::notice::');
    expect(result.outputs['authenticated-arn']).toBe(
      'arn:aws:sts::123456789012:assumed-role/picked-by-checkout/GitHubActions',
    );
  });
});

describe('connection names and tag values are read as written', () => {
  const NAMES = ['0042', '1.10', 'True', '0x1F'];

  test('each name is its profile, its derived external ID and its tags', async () => {
    const roles: Record<string, string> = {};
    for (const [i, name] of NAMES.entries()) {
      // The trust policy admits only the ID derived from the name as written.
      roles[name] = await emulator.moto.createRole(
        `role-${i}`,
        trustPolicy({ principalArn: emulator.user.arn, externalId: ID(name) }),
      );
    }
    const yaml = NAMES.flatMap((name) => [
      `${name}:`,
      `  role-arn: ${roles[name] ?? ''}`,
      '  duration: 1800',
      '  tags:',
      '    build: 007',
      `    name: ${name}`,
    ]).join('\n');
    const result = await runMain({ connections: yaml });
    expectSuccess(result);

    const output = JSON.parse(result.outputs['connections'] ?? '{}') as Record<
      string,
      Record<string, string>
    >;
    expect(Object.keys(output).sort()).toEqual([...NAMES].sort());
    const config = readFileSync(laterStepEnv(result)['AWS_CONFIG_FILE'] ?? '', 'utf8');
    for (const name of NAMES) {
      expect(output[name]?.['external-id']).toBe(ID(name));
      expect(config).toContain(`[profile ${name}]\n`);
    }
    const calls = assumeRoleCalls();
    expect(calls).toHaveLength(NAMES.length);
    for (const name of NAMES) {
      const call = calls.find((p) => p.get('RoleArn') === roles[name]);
      expect({
        externalId: call?.get('ExternalId'),
        duration: call?.get('DurationSeconds'),
        tags: [1, 2].map((n) => [
          call?.get(`Tags.member.${n}.Key`),
          call?.get(`Tags.member.${n}.Value`),
        ]),
      }).toEqual({
        externalId: ID(name),
        duration: '1800',
        tags: [
          ['build', '007'],
          ['name', name],
        ],
      });
    }
  });
});

describe('refresh with short sessions', () => {
  test.each([
    ['role-duration-seconds', { 'role-duration-seconds': '900' }, 'role-duration-seconds: 900'],
    [
      "a connection's duration",
      { connections: 'app:\n  role-arn: arn:aws:iam::123456789012:role/app\n  duration: 1799\n' },
      'connections (connection "app", duration): 1799',
    ],
  ])('%s under 1800 is refused before any call, saying why', async (_label, inputs, prefix) => {
    const step: Record<string, string> = { ...inputs, refresh: 'true' };
    if (step['connections'] === undefined)
      step['role-to-assume'] = 'arn:aws:iam::123456789012:role/app';
    const result = await runMain(step);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toHaveLength(1);
    const [line = ''] = errorLines(result);
    expect(line).toContain(`::error::${prefix} is below 1800`);
    expect(line).toContain('15 minutes');
    expect(emulator.proxy.count()).toBe(0);
    expect(result.env).toEqual({});
  });

  test('ten concurrent renewals share one answer: one AssumeRole per hop', async () => {
    const hub = await emulator.moto.createRole(
      'hub',
      trustPolicy({ principalArn: emulator.user.arn, externalId: ID('hub') }),
    );
    const app = await emulator.moto.createRole('app', trustPolicy({ externalId: ID('app') }));
    // Time passing, from the test proxy: main's answers expire in 10 minutes, inside the
    // renewal margin, so the credential agent's first answer of each profile is due.
    emulator.proxy.inject({
      action: 'AssumeRole',
      times: 2,
      fault: { kind: 'expires', inSeconds: 600 },
    });
    const main = await runMain({
      refresh: 'true',
      connections: `hub:\n  role-arn: ${hub}\napp:\n  source: hub\n  role-arn: ${app}\n`,
      connection: 'app',
    });
    emulator.proxy.clearFaults();
    expectSuccess(main);
    const config = main.env['AWS_CONFIG_FILE'] ?? '';
    const dir = config.slice(0, config.lastIndexOf('/'));
    expect(readdirSync(dir).filter((n) => n.startsWith('cache-'))).toEqual([]);
    emulator.proxy.clear();

    const env = laterStepEnv(main);
    const runs = await Promise.all(
      Array.from(
        { length: 10 },
        () =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
            const child = spawn(
              NODE24,
              [REFRESH, '--config', join(dir, 'refresh.json'), '--profile', 'app'],
              { env, stdio: ['ignore', 'pipe', 'pipe'] },
            );
            let stdout = '';
            let stderr = '';
            child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
            child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
            child.once('error', fail);
            child.once('close', (code) => done({ code, stdout, stderr }));
          }),
      ),
    );
    for (const r of runs)
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const keys = new Set(
      runs.map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId),
    );
    expect(keys.size).toBe(1);
    expect(assumeRoleCalls().map((p) => p.get('RoleArn'))).toEqual([hub, app]);
    // The post step stops the agent.
    const post = await runPost(main, { entry: CLEANUP, node: NODE24 });
    expect(post.code).toBe(0);
  }, 60_000);
});
