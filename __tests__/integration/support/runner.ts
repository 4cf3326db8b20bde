/**
 * Runs a bundled action entry (e.g. dist/main/index.js) the way the GitHub runner does:
 * inputs as INPUT_<NAME>, state as STATE_<name>, file commands in fresh GITHUB_ENV /
 * GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY / GITHUB_PATH files, and a minimal
 * environment that never inherits the parent's AWS_* variables.
 *
 * Differences from a bare copy of the parent env, on purpose:
 * - HOME is `<dir>/home` (an empty folder) so nothing reads or writes the real ~/.aws.
 * - AWS_EC2_METADATA_DISABLED=true by default, so the SDK never probes the instance metadata
 *   address (off loopback); pass it in `env` to change it.
 * - GITHUB_API_URL points at a closed loopback port so an unexpected API call fails fast.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { NODE24 } from './nodes.js';

/** How to run one step. */
export interface RunStepOptions {
  /** Path of the .js entry to run with node. */
  entry: string;
  /** Action inputs by name (as in action.yml). */
  inputs?: Record<string, string>;
  /** Environment on top of the minimal one (wins over it, AWS_* included). */
  env?: Record<string, string>;
  /** Saved state, passed as STATE_<name>. */
  state?: Record<string, string>;
  /** Node binary; default Node 24, the runtime action.yml declares (see nodes.ts). */
  node?: string;
  /** Arguments for node before the entry (e.g. a `--require` preload). */
  nodeArgs?: string[];
  /** Kill the step after this long (default 30 s). */
  timeoutMs?: number;
  /** SIGKILLs the step when aborted (a runner killed at an exact point); `timedOut` is then true. */
  signal?: AbortSignal;
  /** Job folder to use (RUNNER_TEMP is `<workDir>/runner-temp`); default a fresh temp folder. */
  workDir?: string;
  /** Makes this file command unwritable (a directory stands at its path): a runner fault. */
  broken?: (typeof FILE_VARS)[number];
}

/** What one step did. */
export interface StepResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Values written to GITHUB_ENV (later entries win). */
  env: Record<string, string>;
  /** Values written to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** Values written to GITHUB_STATE (what a post step sees as STATE_<name>). */
  state: Record<string, string>;
  /** GITHUB_STEP_SUMMARY contents. */
  summary: string;
  /** Lines written to GITHUB_PATH. */
  path: string[];
  runnerTemp: string;
  /** The job folder (shared by later steps of the same job). */
  dir: string;
  /** Inputs the step got (a post step gets the same). */
  inputs: Record<string, string>;
  /** The full environment the step ran with. */
  processEnv: Record<string, string>;
}

/** Options of `runPost`: `inputs` default to main's, `env` is added on top of `laterStepEnv(main)`. */
export type RunPostOptions = Omit<RunStepOptions, 'state' | 'workDir'>;

const FILE_VARS = [
  'GITHUB_ENV',
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_PATH',
] as const;

/**
 * Parses a file-command file (`NAME=value` or `NAME<<DELIM` … `DELIM` lines, as the runner
 * does); later entries win. Throws on a line that is neither, or an unterminated heredoc.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq > 0 && (heredoc < 0 || eq < heredoc)) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delim = line.slice(heredoc + 2);
      if (delim === '')
        throw new Error(`file command line ${i + 1}: empty heredoc delimiter for ${name}`);
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] ?? '');
      if (i >= lines.length)
        throw new Error(`file command: heredoc for ${name} has no closing ${delim}`);
      out[name] = value.join('\n');
    } else {
      throw new Error(
        `file command line ${i + 1}: invalid format ${JSON.stringify(line.slice(0, 40))}`,
      );
    }
  }
  return out;
}

/** The environment name of an input, as the runner makes it (upper-case, spaces to `_`). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The job-level environment every step starts from (before opts.env). */
export function baseEnv(dir: string, runnerTemp: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: join(dir, 'home'),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: join(dir, 'workspace'),
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_REPOSITORY_ID: '100200300',
    GITHUB_REPOSITORY_OWNER: 'octo',
    GITHUB_REPOSITORY_OWNER_ID: '4040',
    GITHUB_RUN_ID: '777',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'ci',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SHA: 'abc',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_JOB: 'build',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Runs one step (see RunStepOptions) and parses what it wrote. */
export async function runStep(opts: RunStepOptions): Promise<StepResult> {
  const dir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'aws-connection-job-'));
  const runnerTemp = join(dir, 'runner-temp');
  for (const d of [dir, runnerTemp, join(dir, 'home'), join(dir, 'workspace')])
    mkdirSync(d, { recursive: true });
  const files = mkdtempSync(join(dir, 'step-'));
  const fileEnv: Record<string, string> = {};
  for (const v of FILE_VARS) {
    fileEnv[v] = join(files, v.toLowerCase());
    if (v === opts.broken) mkdirSync(fileEnv[v]);
    else writeFileSync(fileEnv[v], '');
  }
  const inputs = opts.inputs ?? {};
  const env: Record<string, string> = { ...baseEnv(dir, runnerTemp), ...opts.env, ...fileEnv };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value;

  const started = Date.now();
  const child = spawn(opts.node ?? NODE24, [...(opts.nodeArgs ?? []), resolve(opts.entry)], {
    cwd: env['GITHUB_WORKSPACE'] ?? dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 30_000);
  const kill = (): void => {
    timedOut = true;
    child.kill('SIGKILL');
  };
  if (opts.signal?.aborted) kill();
  opts.signal?.addEventListener('abort', kill, { once: true });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.once('error', fail);
    child.once('close', (c, s) => done([c, s]));
  }).finally(() => {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', kill);
  });

  const read = (v: (typeof FILE_VARS)[number]): string =>
    v === opts.broken ? '' : readFileSync(fileEnv[v] ?? '', 'utf8');
  return {
    code,
    signal,
    stdout,
    stderr,
    durationMs: Date.now() - started,
    timedOut,
    env: parseFileCommands(read('GITHUB_ENV')),
    outputs: parseFileCommands(read('GITHUB_OUTPUT')),
    state: parseFileCommands(read('GITHUB_STATE')),
    summary: read('GITHUB_STEP_SUMMARY'),
    path: read('GITHUB_PATH')
      .split(/\r?\n/)
      .filter((l) => l !== ''),
    runnerTemp,
    dir,
    inputs,
    processEnv: env,
  };
}

/**
 * The environment a later step of the same job sees: this step's environment without its
 * inputs, state and file-command paths, plus what it exported to GITHUB_ENV and prepended
 * to PATH (most recent first).
 */
export function laterStepEnv(result: StepResult): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.processEnv)) {
    if (
      k.startsWith('INPUT_') ||
      k.startsWith('STATE_') ||
      (FILE_VARS as readonly string[]).includes(k)
    )
      continue;
    env[k] = v;
  }
  Object.assign(env, result.env);
  if (result.path.length > 0)
    env['PATH'] = [...result.path]
      .reverse()
      .concat(env['PATH'] ?? '')
      .join(delimiter);
  return env;
}

/** The `::error::` lines a step printed (the runner shows each as an error annotation). */
export function errorLines(result: Pick<StepResult, 'stdout'>): string[] {
  return result.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

/** Runs a post step after `main`: main's state as STATE_*, its exported env, same folder and inputs. */
export async function runPost(main: StepResult, opts: RunPostOptions): Promise<StepResult> {
  return runStep({
    ...opts,
    inputs: opts.inputs ?? main.inputs,
    env: { ...laterStepEnv(main), ...opts.env },
    state: main.state,
    workDir: main.dir,
  });
}
