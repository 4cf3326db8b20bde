import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreOf, run } from '../../../src/connect/post.js';
import { digest, State, type VariableRecord } from '../../../src/connect/state.js';
import { fakeAgent, NO_SUCH_PID } from '../../../__fixtures__/agent.js';
import { fakeRunner, type FakeRunner } from '../../../__fixtures__/runner.js';

let root: string;
let temp: string;
let outside: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cleanup-test-'));
  temp = join(root, 'runner-temp');
  outside = join(root, 'outside');
  await mkdir(temp);
  await mkdir(outside);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

async function post(
  state: string | undefined,
  env: NodeJS.ProcessEnv = { RUNNER_TEMP: temp },
): Promise<FakeRunner> {
  const runner = fakeRunner(state === undefined ? {} : { state: { [State.Cleanup]: state } });
  await run({ runner, env });
  return runner;
}

/** What main records for a variable it set to `value` over `previous`. */
const set = (name: string, value: string, previous: string | null): VariableRecord => ({
  name,
  previous,
  set: digest(value),
});

describe('restoreOf', () => {
  const HOME = '/home/runner';
  test.each<[string, VariableRecord, string | undefined, ReturnType<typeof restoreOf>]>([
    [
      'what the step before left',
      set('AWS_ACCESS_KEY_ID', 'ASIANEW', 'ASIAOLD'),
      'ASIANEW',
      { kind: 'restore', value: 'ASIAOLD' },
    ],
    [
      'absent before: blanked',
      set('AWS_ACCESS_KEY_ID', 'ASIANEW', null),
      'ASIANEW',
      { kind: 'restore', value: '' },
    ],
    [
      'a file absent before: the default file, which is what absent means',
      set('AWS_CONFIG_FILE', '/t/a/config', null),
      '/t/a/config',
      { kind: 'restore', value: '/home/runner/.aws/config' },
    ],
    [
      'the credentials file likewise',
      set('AWS_SHARED_CREDENTIALS_FILE', '/t/a/credentials', null),
      '/t/a/credentials',
      { kind: 'restore', value: '/home/runner/.aws/credentials' },
    ],
    [
      'a region absent before: left (an empty one breaks the JS SDK)',
      set('AWS_REGION', 'eu-west-1', null),
      'eu-west-1',
      { kind: 'left' },
    ],
    [
      'a region set before: put back',
      set('AWS_DEFAULT_REGION', 'eu-west-1', 'us-east-1'),
      'eu-west-1',
      { kind: 'restore', value: 'us-east-1' },
    ],
    [
      'a later step changed it: theirs stands',
      set('AWS_REGION', 'eu-west-1', 'us-east-1'),
      'ap-south-1',
      { kind: 'changed' },
    ],
    [
      'gone from the environment: kept',
      set('AWS_REGION', 'eu-west-1', 'x'),
      undefined,
      { kind: 'changed' },
    ],
  ])('%s', (_what, record, current, expected) => {
    expect(restoreOf(record, current, HOME)).toEqual(expected);
  });
});

describe('cleanup', () => {
  test('puts back every variable as the step before left it, and deletes every path', async () => {
    const dir = join(temp, 'aws-connection-abc');
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, 'credentials'), 'secret', { mode: 0o600 });
    const runner = await post(
      JSON.stringify({
        variables: [
          set('AWS_REGION', 'eu-west-1', 'us-east-1'),
          set('AWS_ACCESS_KEY_ID', 'ASIANEW', null),
          set('AWS_SECRET_ACCESS_KEY', 'new-secret', 'old-secret'),
          set('AWS_CONFIG_FILE', join(dir, 'config'), '/t/earlier/config'),
        ],
        paths: [dir],
      }),
      {
        RUNNER_TEMP: temp,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'ASIANEW',
        AWS_SECRET_ACCESS_KEY: 'new-secret',
        AWS_CONFIG_FILE: join(dir, 'config'),
      },
    );
    expect(runner.of('variable').map((e) => [e.name, e.value])).toEqual([
      ['AWS_REGION', 'us-east-1'],
      ['AWS_ACCESS_KEY_ID', ''],
      ['AWS_SECRET_ACCESS_KEY', 'old-secret'],
      ['AWS_CONFIG_FILE', '/t/earlier/config'],
    ]);
    // An earlier step's secret goes back through the log's masking first.
    expect(runner.leaksOf('old-secret')).toEqual([]);
    expect(runner.secrets).toContain('old-secret');
    expect(await exists(dir)).toBe(false);
    expect(runner.warnings).toEqual([]);
    expect(runner.failures).toEqual([]);
    expect(runner.infos).toEqual([
      'Cleaned up: put back 4 variables as the step before left them, removed 1 path.',
    ]);
  });

  test('a variable a later step set since is theirs: kept, and said', async () => {
    const runner = await post(
      JSON.stringify({ variables: [set('AWS_REGION', 'eu-west-1', 'us-east-1')], paths: [] }),
      { RUNNER_TEMP: temp, AWS_REGION: 'ap-south-1' },
    );
    expect(runner.of('variable')).toEqual([]);
    expect(runner.infos).toEqual([
      'Kept AWS_REGION: a later step set it since.',
      'Cleaned up: put back 0 variables as the step before left them, removed 0 paths.',
    ]);
  });

  test('a region nothing set before is left, and said', async () => {
    const runner = await post(
      JSON.stringify({ variables: [set('AWS_REGION', 'eu-west-1', null)], paths: [] }),
      { RUNNER_TEMP: temp, AWS_REGION: 'eu-west-1' },
    );
    expect(runner.of('variable')).toEqual([]);
    expect(runner.infos[0]).toMatch(/^Left AWS_REGION as set: no step set it before/);
  });

  test('a path already gone is fine', async () => {
    const runner = await post(JSON.stringify({ variables: [], paths: [join(temp, 'gone')] }));
    expect(runner.warnings).toEqual([]);
    expect(runner.infos).toEqual([
      'Cleaned up: put back 0 variables as the step before left them, removed 1 path.',
    ]);
  });

  test('RUNNER_TEMP with a trailing slash', async () => {
    const dir = join(temp, 'aws-connection-x');
    await mkdir(dir);
    const runner = await post(JSON.stringify({ variables: [], paths: [dir] }), {
      RUNNER_TEMP: `${temp}/`,
    });
    expect(await exists(dir)).toBe(false);
    expect(runner.warnings).toEqual([]);
  });

  test('no state: main never started; a warning, nothing removed, no failure', async () => {
    const runner = await post(undefined);
    expect(runner.warnings).toEqual([
      'No cleanup state: the main step did not start, so there is nothing to remove.',
    ]);
    expect(runner.of('variable')).toEqual([]);
    expect(runner.failures).toEqual([]);
  });

  test.each(['{not json', '[]', '{"variables":"AWS_REGION","paths":[]}', 'null'])(
    'corrupt state %j: a warning, nothing removed, no failure',
    async (state) => {
      const runner = await post(state);
      expect(runner.warnings).toEqual([
        'The saved cleanup state is unreadable; nothing was removed.',
      ]);
      expect(runner.of('variable')).toEqual([]);
      expect(runner.failures).toEqual([]);
    },
  );

  test('refuses paths outside RUNNER_TEMP, and RUNNER_TEMP itself', async () => {
    const victim = join(outside, 'keep');
    await writeFile(victim, 'keep me');
    const paths = [
      victim,
      `${temp}/../outside/keep`,
      `${temp}/./../outside`,
      temp,
      `${temp}/`,
      'relative/path',
      `${temp}-sibling/x`,
      '/',
    ];
    const runner = await post(
      JSON.stringify({ variables: [set('AWS_PROFILE', 'default', 'old')], paths }),
      { RUNNER_TEMP: temp, AWS_PROFILE: 'default' },
    );
    expect(await exists(victim)).toBe(true);
    expect(await exists(temp)).toBe(true);
    expect(runner.warnings).toEqual(
      paths.map((p) => `Not removing ${p}: it is not under RUNNER_TEMP.`),
    );
    expect(runner.variables).toEqual({ AWS_PROFILE: 'old' });
    expect(runner.infos).toEqual([
      'Cleaned up: put back 1 variable as the step before left it, removed 0 paths.',
    ]);
    expect(runner.failures).toEqual([]);
  });

  test('without RUNNER_TEMP nothing is removed', async () => {
    const dir = join(temp, 'aws-connection-y');
    await mkdir(dir);
    const runner = await post(JSON.stringify({ variables: [], paths: [dir] }), {});
    expect(await exists(dir)).toBe(true);
    expect(runner.warnings).toEqual([`Not removing ${dir}: it is not under RUNNER_TEMP.`]);
  });

  test('a path that cannot be removed is a warning, and the others still go', async () => {
    const good = join(temp, 'aws-connection-z');
    await mkdir(good);
    const bad = join(temp, 'bad\0name');
    const runner = await post(JSON.stringify({ variables: [], paths: [bad, good] }));
    expect(runner.warnings).toHaveLength(1);
    expect(runner.warnings[0]).toMatch(/^Could not remove .*bad.*name: /);
    expect(await exists(good)).toBe(false);
    expect(runner.infos).toEqual([
      'Cleaned up: put back 0 variables as the step before left them, removed 1 path.',
    ]);
    expect(runner.failures).toEqual([]);
  });

  test('a runner that fails is a warning, never a failed job', async () => {
    const runner = fakeRunner({
      state: {
        [State.Cleanup]: JSON.stringify({
          variables: [set('AWS_REGION', 'eu-west-1', 'us-east-1')],
          paths: [],
        }),
      },
      publishError: new Error('GITHUB_ENV is not set'),
    });
    await run({ runner, env: { RUNNER_TEMP: temp, AWS_REGION: 'eu-west-1' } });
    expect(runner.warnings).toEqual(['Cleanup failed: GITHUB_ENV is not set']);
    expect(runner.failures).toEqual([]);
  });

  test('the default runner speaks the runner protocol', async () => {
    const envFile = join(root, 'github-env');
    await writeFile(envFile, '');
    const dir = join(temp, 'aws-connection-w');
    await mkdir(dir);
    const env: NodeJS.ProcessEnv = {
      RUNNER_TEMP: temp,
      GITHUB_ENV: envFile,
      STATE_cleanup: JSON.stringify({
        variables: [set('AWS_REGION', 'eu-west-1', 'us-east-1')],
        paths: [dir],
      }),
      AWS_REGION: 'eu-west-1',
    };
    const write = process.stdout.write.bind(process.stdout);
    const out: string[] = [];
    process.stdout.write = (chunk: string) => {
      out.push(String(chunk));
      return true;
    };
    try {
      await run({ env });
    } finally {
      process.stdout.write = write;
    }
    expect(await exists(dir)).toBe(false);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(envFile, 'utf8')).toMatch(
      /^AWS_REGION<<ghadelimiter_[0-9a-f-]+\nus-east-1\nghadelimiter_/,
    );
    expect(env['AWS_REGION']).toBe('us-east-1');
    expect(out.join('')).toContain(
      'Cleaned up: put back 1 variable as the step before left it, removed 1 path.',
    );
  });
});

describe('cleanup racing a renewal that writes into the folder', () => {
  test('the removal is retried until the folder is gone', async () => {
    const dir = join(temp, 'aws-connection-race');
    await mkdir(join(dir, 'cache'), { recursive: true });
    // A writer that keeps adding files, as a credential_process renewal does, for 150 ms.
    let n = 0;
    const until = Date.now() + 150;
    const writer = (async (): Promise<void> => {
      while (Date.now() < until) {
        await mkdir(join(dir, 'cache'), { recursive: true }).catch(() => undefined);
        await writeFile(join(dir, 'cache', `f${n++}`), 'x').catch(() => undefined);
      }
    })();
    const runner = await post(JSON.stringify({ variables: [], paths: [dir] }));
    await writer;
    // Whatever the writer managed after the removal finished is not the post step's: only
    // the removal's own outcome is checked.
    expect(runner.warnings).toEqual([]);
    expect(runner.infos).toEqual([
      'Cleaned up: put back 0 variables as the step before left them, removed 1 path.',
    ]);
  });
});

describe('cleanup with a credential agent', () => {
  test('the agent is asked to stop before its directory is removed', async () => {
    const dir = join(temp, 'aws-connection-agent');
    await mkdir(dir, { mode: 0o700 });
    const socket = join(dir, 'agent.sock');
    // The answer names a process that is gone at once: nothing to wait for.
    const { requests } = await fakeAgent(socket, `{"ok":true,"stopped":${NO_SUCH_PID}}`);
    const runner = await post(
      JSON.stringify({
        variables: [set('AWS_PROFILE', 'default', 'old')],
        paths: [dir],
        agent: { pid: NO_SUCH_PID, socket },
      }),
    );
    expect(requests).toEqual(['{"op":"stop"}\n']);
    expect(await exists(dir)).toBe(false);
    expect(runner.of('warning')).toEqual([]);
  });

  test('an agent already gone is not a warning', async () => {
    const dir = join(temp, 'aws-connection-gone');
    await mkdir(dir, { mode: 0o700 });
    const runner = await post(
      JSON.stringify({
        variables: [],
        paths: [dir],
        agent: { pid: 2147483646, socket: join(dir, 'agent.sock') },
      }),
    );
    expect(runner.of('warning')).toEqual([]);
    expect(await exists(dir)).toBe(false);
  });
});

describe('cleanup: what it says, and what it never does', () => {
  test('one kept and one left, then two of each: each said in the singular and the plural', async () => {
    const one = await post(
      JSON.stringify({
        variables: [set('AWS_PROFILE', 'default', 'old'), set('AWS_REGION', 'eu-west-1', null)],
        paths: [],
      }),
      { RUNNER_TEMP: temp, AWS_PROFILE: 'theirs', AWS_REGION: 'eu-west-1' },
    );
    expect(one.infos).toEqual([
      'Kept AWS_PROFILE: a later step set it since.',
      'Left AWS_REGION as set: no step set it before, no step can unset a variable, and an empty region makes the JS SDK refuse every call.',
      'Cleaned up: put back 0 variables as the step before left them, removed 0 paths.',
    ]);
    const two = await post(
      JSON.stringify({
        variables: [
          set('AWS_PROFILE', 'default', 'old'),
          set('AWS_DEFAULT_PROFILE', 'default', 'old'),
          set('AWS_REGION', 'eu-west-1', null),
          set('AWS_DEFAULT_REGION', 'eu-west-1', null),
        ],
        paths: [],
      }),
      {
        RUNNER_TEMP: temp,
        AWS_PROFILE: 'theirs',
        AWS_DEFAULT_PROFILE: 'theirs',
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      },
    );
    expect(two.infos.slice(0, 2)).toEqual([
      'Kept AWS_PROFILE, AWS_DEFAULT_PROFILE: a later step set them since.',
      'Left AWS_REGION, AWS_DEFAULT_REGION as set: no step set them before, no step can unset a variable, and an empty region makes the JS SDK refuse every call.',
    ]);
  });

  test('only secrets are masked as they go back; the post step writes no summary', async () => {
    const runner = await post(
      JSON.stringify({
        variables: [
          set('AWS_REGION', 'eu-west-1', 'us-east-1'),
          set('AWS_SESSION_TOKEN', 'new-token', 'old-token'),
        ],
        paths: [],
      }),
      { RUNNER_TEMP: temp, AWS_REGION: 'eu-west-1', AWS_SESSION_TOKEN: 'new-token' },
    );
    expect(runner.variables).toEqual({ AWS_REGION: 'us-east-1', AWS_SESSION_TOKEN: 'old-token' });
    expect(runner.secrets).toEqual(['old-token']);
    expect(runner.of('summary')).toEqual([]);
  });

  test('a relative path is refused even where it would resolve under RUNNER_TEMP', async () => {
    const victim = join(temp, 'keep');
    await writeFile(victim, 'keep me');
    const cwd = process.cwd();
    process.chdir(temp);
    try {
      const runner = await post(JSON.stringify({ variables: [], paths: ['keep'] }), {
        RUNNER_TEMP: temp,
      });
      expect(runner.warnings).toEqual(['Not removing keep: it is not under RUNNER_TEMP.']);
    } finally {
      process.chdir(cwd);
    }
    expect(await exists(victim)).toBe(true);
  });

  test('an agent that refuses to stop: its warning reaches the log, and the rest goes on', async () => {
    const dir = join(temp, 'aws-connection-refusing');
    await mkdir(dir, { mode: 0o700 });
    const socket = join(dir, 'agent.sock');
    await fakeAgent(socket, '{"ok":false,"error":"busy renewing"}');
    const runner = await post(
      JSON.stringify({ variables: [], paths: [dir], agent: { pid: NO_SUCH_PID, socket } }),
    );
    expect(runner.warnings).toEqual([
      'The credential agent did not answer the request to stop: busy renewing',
    ]);
    expect(await exists(dir)).toBe(false);
  });
});
