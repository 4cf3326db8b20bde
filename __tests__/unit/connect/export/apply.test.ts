/** src/connect/export/apply.ts: the main step's writes, with a fake runner and a temp dir. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fakeRunner } from '../../../../__fixtures__/runner.js';
import {
  applyExports,
  cleanupFor,
  exportDirectory,
  saveCleanupState,
} from '../../../../src/connect/export/apply.js';
import type { Exports } from '../../../../src/connect/export/exports.js';
import { parseCleanupState, State } from '../../../../src/connect/state.js';

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'apply-test-'));
});
afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
});

const KEYS_ONLY: Exports = {
  variables: [
    ['AWS_REGION', 'eu-west-1'],
    ['AWS_ACCESS_KEY_ID', 'ASIAX'],
  ],
  outputs: [['aws-account-id', '123456789012']],
  files: [],
  fileVariables: [],
  summary: '### AWS connection\n',
};

const PROFILES: Exports = {
  ...KEYS_ONLY,
  files: [
    { name: 'config', content: '[profile a]\nregion = eu-west-1\n' },
    { name: 'credentials', content: '[a]\naws_access_key_id = ASIAX\n' },
  ],
  fileVariables: [
    ['AWS_CONFIG_FILE', 'config'],
    ['AWS_SHARED_CREDENTIALS_FILE', 'credentials'],
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
});

describe('cleanupFor', () => {
  test('every variable; the directory only when files are written', () => {
    expect(cleanupFor('/t/d', KEYS_ONLY)).toEqual({
      variables: ['AWS_REGION', 'AWS_ACCESS_KEY_ID'],
      paths: [],
    });
    expect(cleanupFor('/t/d', PROFILES)).toEqual({
      variables: [
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_CONFIG_FILE',
        'AWS_SHARED_CREDENTIALS_FILE',
      ],
      paths: ['/t/d'],
    });
  });
});

describe('saveCleanupState', () => {
  test('the state the post step parses', () => {
    const runner = fakeRunner();
    saveCleanupState(runner, { variables: ['A'], paths: ['/t/d'] });
    expect(parseCleanupState(runner.getState(State.Cleanup))).toEqual({
      variables: ['A'],
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
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
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

  test('an existing directory is never written into; the state already names it', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-taken');
    mkdirSync(dir);
    await expect(applyExports(runner, dir, PROFILES)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readdirSync(dir)).toEqual([]);
    expect(runner.of('variable')).toEqual([]);
    expect(parseCleanupState(runner.getState(State.Cleanup))?.paths).toEqual([dir]);
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
      variables: [
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_CONFIG_FILE',
        'AWS_SHARED_CREDENTIALS_FILE',
      ],
      paths: [dir],
      agent: { pid: 4242, socket: join(dir, 'agent.sock') },
    });
  });

  test('an agent that cannot start: nothing exported, the directory still recorded', async () => {
    const runner = fakeRunner();
    const dir = join(temp, 'aws-connection-noagent');
    await expect(
      applyExports(runner, dir, PROFILES, () => Promise.reject(new Error('no agent'))),
    ).rejects.toThrow('no agent');
    expect(runner.of('variable')).toEqual([]);
    expect(runner.of('output')).toEqual([]);
    expect(parseCleanupState(runner.getState(State.Cleanup))?.paths).toEqual([dir]);
  });
});
