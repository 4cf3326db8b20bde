/** src/connect/export/apply.ts: the main step's writes, with a fake runner and a temp dir. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fakeAgent, NO_SUCH_PID } from '../../../../__fixtures__/agent.js';
import { laterSteps } from '../../../../__fixtures__/plans.js';
import { fakeRunner } from '../../../../__fixtures__/runner.js';
import {
  applyExports,
  cleanupFor,
  exportDirectory,
  saveCleanupState,
} from '../../../../src/connect/export/apply.js';
import type { Exports } from '../../../../src/connect/export/exports.js';
import { digest, parseCleanupState, State } from '../../../../src/connect/state.js';

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'apply-test-'));
});
afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
});

const LATER_STEPS = laterSteps({ plain: { region: 'eu-west-1', from: 'variables' } });

const KEYS_ONLY: Exports = {
  variables: [
    { name: 'AWS_REGION', value: 'eu-west-1', previous: 'us-east-1' },
    { name: 'AWS_ACCESS_KEY_ID', value: 'ASIAX', previous: null },
  ],
  outputs: [['aws-account-id', '123456789012']],
  files: [],
  summary: '### AWS connection\n',
  laterSteps: LATER_STEPS,
};

const PROFILES: Exports = {
  ...KEYS_ONLY,
  variables: [
    ...KEYS_ONLY.variables,
    { name: 'AWS_CONFIG_FILE', value: '/t/d/config', previous: null },
    { name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/t/d/credentials', previous: null },
  ],
  files: [
    { name: 'config', content: '[profile a]\nregion = eu-west-1\n' },
    { name: 'credentials', content: '[a]\naws_access_key_id = ASIAX\n' },
  ],
};

describe('exportDirectory', () => {
  test.each([
    ['named connections', { named: true, refresh: false }],
    ['refresh profiles', { named: false, refresh: true }],
  ])('%s need RUNNER_TEMP', (_, plan) => {
    expect(() => exportDirectory(plan, { RUNNER_TEMP: '' })).toThrow(
      'RUNNER_TEMP is not set: the profile files have nowhere to go',
    );
    expect(() => exportDirectory(plan, {})).toThrow(/RUNNER_TEMP is not set/);
  });

  test('a new name under RUNNER_TEMP each time; nothing is created', () => {
    const plan = { named: true, refresh: false };
    const a = exportDirectory(plan, { RUNNER_TEMP: temp });
    const b = exportDirectory(plan, { RUNNER_TEMP: temp });
    expect(dirname(a)).toBe(temp);
    expect(a).toMatch(/\/aws-connection-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(readdirSync(temp)).toEqual([]);
  });

  test('a chain without profiles does not need RUNNER_TEMP', () => {
    expect(() => exportDirectory({ named: false, refresh: false }, {})).not.toThrow();
  });

  test('an AWS_PROFILE an earlier step set needs it: the step points it at its own files', () => {
    expect(() => exportDirectory({ named: false, refresh: false }, { AWS_PROFILE: 'old' })).toThrow(
      /RUNNER_TEMP is not set/,
    );
  });
});

describe('cleanupFor', () => {
  test('every variable with what was there before and a digest of the value; the directory only with files', () => {
    expect(cleanupFor('/t/d', KEYS_ONLY)).toEqual({
      variables: [
        { name: 'AWS_REGION', previous: 'us-east-1', set: digest('eu-west-1') },
        { name: 'AWS_ACCESS_KEY_ID', previous: null, set: digest('ASIAX') },
      ],
      paths: [],
    });
    const withFiles = cleanupFor('/t/d', PROFILES);
    expect(withFiles.variables.map((v) => v.name)).toEqual([
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
    ]);
    expect(withFiles.paths).toEqual(['/t/d']);
    // The state holds no value the step set: a digest cannot be read back.
    expect(JSON.stringify(withFiles)).not.toContain('ASIAX');
  });
});

describe('saveCleanupState', () => {
  test('the state the post step parses', () => {
    const runner = fakeRunner();
    const variables = [{ name: 'A', previous: null, set: digest('x') }];
    saveCleanupState(runner, { variables, paths: ['/t/d'] });
    expect(parseCleanupState(runner.getState(State.Cleanup))).toEqual({
      variables,
      paths: ['/t/d'],
    });
  });
});

describe('applyExports', () => {
  test('state first, then files 0600 in a 0700 directory, variables, outputs, summary', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-test');
    await applyExports(runner, dir, PROFILES);
    expect(runner.events.map((e) => e.kind)).toEqual([
      'state',
      'variable',
      'variable',
      'variable',
      'variable',
      'output',
      'summary',
    ]);
    expect(parseCleanupState(runner.getState(State.Cleanup))?.paths).toEqual([dir]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['config', 'credentials']);
    for (const name of ['config', 'credentials'])
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'config'), 'utf8')).toBe('[profile a]\nregion = eu-west-1\n');
    expect(runner.variables).toEqual({
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'ASIAX',
      AWS_CONFIG_FILE: '/t/d/config',
      AWS_SHARED_CREDENTIALS_FILE: '/t/d/credentials',
    });
    expect(runner.outputs).toEqual({ 'aws-account-id': '123456789012' });
    expect(runner.summaries).toEqual(['### AWS connection\n']);
  });

  test('no files: no directory', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-none');
    await applyExports(runner, dir, KEYS_ONLY);
    expect(readdirSync(temp)).toEqual([]);
    expect(parseCleanupState(runner.getState(State.Cleanup))?.paths).toEqual([]);
  });

  test('an existing directory is never written into, nor removed', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-taken');
    mkdirSync(dir);
    await expect(applyExports(runner, dir, PROFILES)).rejects.toThrow(
      /writing the profile files into .* failed: .*EEXIST.*; nothing was exported/,
    );
    // Not the step's: left where it was, and the post step has nothing to undo.
    expect(readdirSync(dir)).toEqual([]);
    expect(runner.of('variable')).toEqual([]);
    expect(parseCleanupState(runner.getState(State.Cleanup))).toEqual({
      variables: [],
      paths: [],
    });
  });

  test('a publish that fails removes the files and leaves the post step nothing to do', async () => {
    const runner = fakeRunner({
      publishError: new Error('writing GITHUB_OUTPUT (/x) failed: EISDIR'),
    });
    const dir = join(temp, 'aws-connection-failed');
    await expect(applyExports(runner, dir, PROFILES)).rejects.toThrow('writing GITHUB_OUTPUT');
    expect(readdirSync(temp)).toEqual([]);
    expect(runner.of('variable')).toEqual([]);
    expect(parseCleanupState(runner.getState(State.Cleanup))).toEqual({
      variables: [],
      paths: [],
    });
  });
});

describe('applyExports with a credential agent to start', () => {
  test('started once the files are written, recorded before any variable', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-agent');
    const seen: string[][] = [];
    await applyExports(runner, dir, PROFILES, () => {
      seen.push(readdirSync(dir).sort());
      expect(runner.of('variable')).toEqual([]);
      return Promise.resolve({ pid: 4242, socket: join(dir, 'agent.sock') });
    });
    expect(seen).toEqual([['config', 'credentials']]);
    expect(runner.events.map((e) => e.kind).slice(0, 3)).toEqual(['state', 'state', 'variable']);
    expect(parseCleanupState(runner.getState(State.Cleanup))).toEqual({
      ...cleanupFor(dir, PROFILES),
      agent: { pid: 4242, socket: join(dir, 'agent.sock') },
    });
  });

  test('an agent that cannot start: nothing exported, the directory removed, nothing left to undo', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-noagent');
    await expect(
      applyExports(runner, dir, PROFILES, () => Promise.reject(new Error('no agent'))),
    ).rejects.toThrow('no agent');
    expect(runner.of('variable')).toEqual([]);
    expect(runner.of('output')).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
    expect(parseCleanupState(runner.getState(State.Cleanup))).toEqual({
      variables: [],
      paths: [],
    });
  });

  test('a publish that fails after the agent started stops it again', async () => {
    const runner = fakeRunner({ publishError: new Error('writing GITHUB_ENV (/x) failed') });
    const dir = join(temp, 'aws-connection-agent-stopped');
    let requests: string[] = [];
    await expect(
      applyExports(runner, dir, PROFILES, async () => {
        const socket = join(dir, 'agent.sock');
        ({ requests } = await fakeAgent(socket, `{"ok":true,"stopped":${NO_SUCH_PID}}`));
        return { pid: NO_SUCH_PID, socket };
      }),
    ).rejects.toThrow('writing GITHUB_ENV');
    expect(requests).toEqual(['{"op":"stop"}\n']);
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('applyExports: what a failure leaves and says', () => {
  test('an agent that answers the stop request with an error: its warning reaches the log', async () => {
    const runner = fakeRunner({ publishError: new Error('writing GITHUB_ENV (/x) failed') });
    const dir = join(temp, 'aws-connection-agent-refuses');
    await expect(
      applyExports(runner, dir, PROFILES, async () => {
        const socket = join(dir, 'agent.sock');
        await fakeAgent(socket, '{"ok":false,"error":"busy renewing"}');
        // No such process: once warned, the stop finds it ended.
        return { pid: NO_SUCH_PID, socket };
      }),
    ).rejects.toThrow('writing GITHUB_ENV');
    expect(runner.warnings).toEqual([
      'The credential agent did not answer the request to stop: busy renewing',
    ]);
    expect(readdirSync(temp)).toEqual([]);
  });

  test('a failed write says why, keeps the cause, and never writes over a file of the same name', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-twice');
    const twice: Exports = {
      ...PROFILES,
      files: [
        { name: 'config', content: 'first' },
        { name: 'config', content: 'second' },
      ],
    };
    const err = await applyExports(runner, dir, twice).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      new RegExp(
        `^writing the profile files into ${dir} failed: .*EEXIST.*; nothing was exported$`,
      ),
    );
    expect(err?.cause).toMatchObject({ code: 'EEXIST' });
    expect(runner.of('variable')).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
  });
});
