import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  escapeData,
  fileCommandEntry,
  mask,
  newDelimiter,
  workflowRunner,
} from '../../../src/shared/runner.js';

/** Reads `NAME<<DELIM` … `DELIM` entries back, as the runner does. */
function parseFileCommands(text: string): [string, string][] {
  const entries: [string, string][] = [];
  const lines = text.split(EOL);
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const [, name = '', delimiter = ''] = m;
    const end = lines.indexOf(delimiter, i + 1);
    entries.push([name, lines.slice(i + 1, end).join(EOL)]);
    i = end;
  }
  return entries;
}

describe('mask', () => {
  test.each([
    ['an empty value is not masked', '', []],
    ['one line, once', 'secret-value', ['secret-value']],
    [
      'a multi-line value, whole and line by line',
      'line-one\nline-two\r\nline-3',
      ['line-one\nline-two\r\nline-3', 'line-one', 'line-two', 'line-3'],
    ],
    [
      'a two-line value, whole and each line',
      'line-one\nline-two',
      ['line-one\nline-two', 'line-one', 'line-two'],
    ],
    [
      'a line of exactly 4 is masked alone',
      'long-line\nabcd',
      ['long-line\nabcd', 'long-line', 'abcd'],
    ],
    [
      'the length of a line is counted without its blanks',
      'long-line\n  ab  ',
      ['long-line\n  ab  '],
    ],
    ['lines shorter than 4 are not masked alone', 'long-line\nab\n', ['long-line\nab\n']],
  ])('%s', (_what, value, masked) => {
    const seen: string[] = [];
    mask({ setSecret: (v) => seen.push(v) }, value);
    expect(seen).toEqual(masked);
  });
});

describe('escapeData', () => {
  test.each([
    ['plain', 'plain'],
    ['100%', '100%25'],
    ['a\nb', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A', '%250A'],
  ])('%j', (value, escaped) => {
    expect(escapeData(value)).toBe(escaped);
  });
});

describe('fileCommandEntry', () => {
  test('a heredoc with a fresh random delimiter', () => {
    const a = fileCommandEntry('AWS_REGION', 'eu-west-1');
    const b = fileCommandEntry('AWS_REGION', 'eu-west-1');
    expect(a).toMatch(
      new RegExp(`^AWS_REGION<<(ghadelimiter_[0-9a-f-]{36})${EOL}eu-west-1${EOL}\\1${EOL}$`),
    );
    expect(a).not.toBe(b);
    expect(parseFileCommands(a)).toEqual([['AWS_REGION', 'eu-west-1']]);
  });
  test('a multi-line value survives', () => {
    expect(parseFileCommands(fileCommandEntry('connections', 'a\nb'))).toEqual([
      ['connections', 'a\nb'],
    ]);
  });
  test('the delimiter is random per call', () => {
    expect(newDelimiter()).toMatch(/^ghadelimiter_[0-9a-f-]{36}$/);
    expect(newDelimiter()).not.toBe(newDelimiter());
  });
  test('a given delimiter is used as it is', () => {
    expect(fileCommandEntry('AWS_REGION', 'eu-west-1', 'ghadelimiter_fixed')).toBe(
      `AWS_REGION<<ghadelimiter_fixed${EOL}eu-west-1${EOL}ghadelimiter_fixed${EOL}`,
    );
  });
  test.each([
    ['a value holding it', 'x', 'before ghadelimiter_fixed after'],
    ['a value that is a line of it', 'x', `a${EOL}ghadelimiter_fixed${EOL}b`],
    ['a name holding it', 'ghadelimiter_fixed', 'v'],
  ])('refuses %s: the entry would end early and the rest become commands', (_what, name, value) => {
    expect(() => fileCommandEntry(name, value, 'ghadelimiter_fixed')).toThrow(
      `${name}: the value holds the file-command delimiter`,
    );
  });
  test.each(['', 'HAS SPACE', '1ABC', 'A=B', 'A\nB', 'a<<b'])('refuses the name %j', (name) => {
    expect(() => fileCommandEntry(name, 'v')).toThrow(
      'is not a valid variable, output or state name',
    );
  });
  test.each(['AWS_REGION', 'aws-account-id', '_x', 'a.b'])('accepts the name %j', (name) => {
    expect(fileCommandEntry(name, 'v')).toContain(`${name}<<`);
  });
});

describe('workflowRunner', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let out: string[];
  const savedExitCode = process.exitCode;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runner-test-'));
    env = {
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      'INPUT_AWS-REGION': '  eu-west-1 \n',
      INPUT_WITH_SPACE: 'x',
      STATE_cleanup: '{"variables":[],"paths":[]}',
    };
    out = [];
  });
  afterEach(async () => {
    process.exitCode = savedExitCode;
    await rm(dir, { recursive: true, force: true });
  });

  const runner = (): ReturnType<typeof workflowRunner> =>
    workflowRunner(env, (line) => out.push(line));

  test('inputs come from INPUT_<NAME>, upper-cased, spaces to _, trimmed', () => {
    expect(runner().getInput('aws-region')).toBe('eu-west-1');
    expect(runner().getInput('with space')).toBe('x');
    expect(runner().getInput('missing')).toBe('');
  });

  test('state comes from STATE_<name>', () => {
    expect(runner().getState('cleanup')).toBe('{"variables":[],"paths":[]}');
    expect(runner().getState('other')).toBe('');
  });

  test('variables, outputs and state go to their files; a variable also to this process', async () => {
    const r = runner();
    r.exportVariable('AWS_REGION', 'eu-west-1');
    r.exportVariable('AWS_SESSION_TOKEN', '');
    r.setOutput('connections', '{\n"a": 1\n}');
    r.saveState('cleanup', '{}');
    expect(parseFileCommands(await readFile(join(dir, 'env'), 'utf8'))).toEqual([
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_SESSION_TOKEN', ''],
    ]);
    expect(parseFileCommands(await readFile(join(dir, 'output'), 'utf8'))).toEqual([
      ['connections', '{\n"a": 1\n}'],
    ]);
    expect(parseFileCommands(await readFile(join(dir, 'state'), 'utf8'))).toEqual([
      ['cleanup', '{}'],
    ]);
    expect(env['AWS_REGION']).toBe('eu-west-1');
    expect(out).toEqual([]);
  });

  test('a file command without its file is an error, not a silent loss', () => {
    delete env['GITHUB_OUTPUT'];
    expect(() => runner().setOutput('x', 'y')).toThrow(
      'GITHUB_OUTPUT is not set: this must run as a GitHub Actions step',
    );
  });

  test('log lines and commands go to stdout, escaped', () => {
    const r = runner();
    r.setSecret('s3cr%t\nline');
    r.info('plain line');
    r.notice('note: 50%');
    r.warning('careful\nnow');
    r.debug('100%');
    expect(out).toEqual([
      `::add-mask::s3cr%25t%0Aline${EOL}`,
      `plain line${EOL}`,
      `::notice::note: 50%25${EOL}`,
      `::warning::careful%0Anow${EOL}`,
      `::debug::100%25${EOL}`,
    ]);
  });

  test('setFailed prints an error and sets the exit code', () => {
    runner().setFailed('role 2 of 3 failed');
    expect(out).toEqual([`::error::role 2 of 3 failed${EOL}`]);
    expect(process.exitCode).toBe(1);
  });

  test('a group ends even when its body throws', async () => {
    const r = runner();
    await expect(r.group('Resolve', async () => 42)).resolves.toBe(42);
    await expect(
      r.group('Fail', async () => {
        throw new Error('inside');
      }),
    ).rejects.toThrow('inside');
    expect(out).toEqual([
      `::group::Resolve${EOL}`,
      `::endgroup::${EOL}`,
      `::group::Fail${EOL}`,
      `::endgroup::${EOL}`,
    ]);
  });

  test('the summary is appended when the runner gives a file, and skipped otherwise', async () => {
    await runner().summary('### one\n');
    await runner().summary('### two\n');
    expect(await readFile(join(dir, 'summary'), 'utf8')).toBe('### one\n### two\n');
    delete env['GITHUB_STEP_SUMMARY'];
    await expect(runner().summary('### three\n')).resolves.toBeUndefined();
  });
});
