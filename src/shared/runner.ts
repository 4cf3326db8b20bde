/**
 * The runner port: everything the action says to the GitHub runner. Entry points pass
 * {@link workflowRunner}; tests pass a recording fake.
 *
 * Why not `@actions/core` for all of it: importing it loads its OIDC client, which loads an
 * HTTP stack (undici), about 90 ms of a ~200 ms start on every job (measured with
 * `npm run bench`). The runner protocol we need is a dozen lines of documented file and
 * stdout commands, written here to the same format as `@actions/core` (heredoc values with a
 * random delimiter, escaped command data). `@actions/core` is still what requests an OIDC
 * token, loaded only on that path (base.ts).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, statSync, truncateSync } from 'node:fs';
import { EOL } from 'node:os';

/** One step's variables, outputs and summary: {@link Runner.publish} writes all or none. */
export interface Publication {
  env: [string, string][];
  outputs: [string, string][];
  summary: string;
}

export interface Runner {
  getInput(name: string): string;
  /** Masks a value in every later line of the log. */
  setSecret(value: string): void;
  exportVariable(name: string, value: string): void;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  info(message: string): void;
  /** A notice annotation: something to act on that is not a fault. */
  notice(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  /**
   * Writes variables, outputs and summary together, or none of them: when a write fails,
   * what the others appended is cut off again, and the error names the file that failed.
   */
  publish(publication: Publication): void;
  setFailed(message: string): void;
  /**
   * A GitHub OIDC token for `audience`, where the runner is a test fake; the real step asks
   * GitHub through `@actions/core` ({@link githubIdToken} in base.ts), so the post steps,
   * which never need a token, do not carry that HTTP stack in their bundles.
   */
  getIdToken?(audience: string): Promise<string>;
}

/** Masks a secret, line by line too: the runner masks per line of a multi-line value. */
export function mask(runner: Pick<Runner, 'setSecret'>, value: string): void {
  if (value === '') return;
  runner.setSecret(value);
  const lines = value.split(/\r?\n/).filter((l) => l.trim().length >= 4);
  if (lines.length > 1) for (const line of lines) runner.setSecret(line);
}

/** Escapes a command's data part, as the runner expects (`%`, CR, LF). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A fresh heredoc delimiter, as `@actions/core` makes one: random, so no value can guess it. */
export function newDelimiter(): string {
  return `ghadelimiter_${randomUUID()}`;
}

/**
 * A `NAME<<DELIM` … `DELIM` file-command entry, refusing a name or value holding the delimiter.
 * `delimiter` is a seam for tests: a random one cannot be planted in a value.
 */
export function fileCommandEntry(
  name: string,
  value: string,
  delimiter: string = newDelimiter(),
): string {
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`${name}: the value holds the file-command delimiter`);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name))
    throw new Error(`${JSON.stringify(name)} is not a valid variable, output or state name`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** One append of {@link appendAllOrNothing}: the variable naming the file, and the text. */
export interface Append {
  variable: string;
  text: string;
}

/**
 * Appends each text to the file its variable names, all or nothing: when one append fails,
 * every file is cut back to its length before (a partial append included).
 */
export function appendAllOrNothing(env: NodeJS.ProcessEnv, appends: Append[]): void {
  const done: { path: string; size: number | undefined }[] = [];
  for (const { variable, text } of appends) {
    const path = env[variable];
    if (!path) throw new Error(`${variable} is not set: this must run as a GitHub Actions step`);
    const stat = statSync(path, { throwIfNoEntry: false });
    // Not a regular file: nothing can have been appended to cut back.
    if (stat === undefined || stat.isFile()) done.push({ path, size: stat?.size ?? 0 });
    try {
      appendFileSync(path, text, 'utf8');
    } catch (err) {
      const stuck = done.filter(({ path: p, size }) => !cutBack(p, size)).map((d) => d.path);
      throw new Error(
        `writing ${variable} (${path}) failed: ${(err as Error).message}; ${stuck.length === 0 ? 'nothing was written' : `${stuck.join(', ')} could not be cut back`}`,
        { cause: err },
      );
    }
  }
}

function cutBack(path: string, size: number | undefined): boolean {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) truncateSync(path, size ?? 0);
    return true;
  } catch {
    return false;
  }
}

/** Builds a runner over the process's environment and stdout. */
export function workflowRunner(
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Runner {
  const command = (name: string, message: string): void =>
    write(`::${name}::${escapeData(message)}${EOL}`);
  const file = (variable: string, name: string, value: string): void => {
    const path = env[variable];
    if (!path) throw new Error(`${variable} is not set: this must run as a GitHub Actions step`);
    appendFileSync(path, fileCommandEntry(name, value), 'utf8');
  };
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setSecret: (value) => command('add-mask', value),
    exportVariable: (name, value) => {
      file('GITHUB_ENV', name, value);
      env[name] = value;
    },
    setOutput: (name, value) => file('GITHUB_OUTPUT', name, value),
    saveState: (name, value) => file('GITHUB_STATE', name, value),
    getState: (name) => env[`STATE_${name}`] ?? '',
    info: (message) => write(`${message}${EOL}`),
    notice: (message) => command('notice', message),
    warning: (message) => command('warning', message),
    debug: (message) => command('debug', message),
    group: async (name, fn) => {
      command('group', name);
      try {
        return await fn();
      } finally {
        write(`::endgroup::${EOL}`);
      }
    },
    summary: async (markdown) => {
      const path = env['GITHUB_STEP_SUMMARY'];
      if (path) appendFileSync(path, markdown, 'utf8');
      return Promise.resolve();
    },
    publish: ({ env: variables, outputs, summary }) => {
      // Rendered first: a refused name or value fails before anything is written.
      const entries = (list: [string, string][]): string =>
        list.map(([name, value]) => fileCommandEntry(name, value)).join('');
      const appends: Append[] = [
        { variable: 'GITHUB_ENV', text: entries(variables) },
        { variable: 'GITHUB_OUTPUT', text: entries(outputs) },
      ];
      if (env['GITHUB_STEP_SUMMARY'])
        appends.push({ variable: 'GITHUB_STEP_SUMMARY', text: summary });
      appendAllOrNothing(
        env,
        appends.filter((a) => a.text !== ''),
      );
      for (const [name, value] of variables) env[name] = value;
    },
    setFailed: (message) => {
      process.exitCode = 1;
      command('error', message);
    },
  };
}
