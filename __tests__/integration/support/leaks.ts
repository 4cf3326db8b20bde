/**
 * Leak detector for a step's result: a secret may appear in stdout/stderr only on
 * `::add-mask::` lines (which the runner never shows), and
 * the secret must never reach outputs (unless allowed), state or the step summary.
 * Failure messages name the secret by index, first 4 characters and length, never in full.
 */
import type { StepResult } from './runner.js';

/** Options of `assertNoLeaks`. */
export interface LeakOptions {
  /** Let secrets appear in GITHUB_OUTPUT values (for outputs the action documents as secret). */
  allowInOutputs?: boolean;
  /** Also require each secret to have been masked (its own `::add-mask::` line in stdout). */
  requireMasked?: boolean;
}

/** The part of a step result the detector reads. */
export type LeakSubject = Pick<StepResult, 'stdout' | 'stderr' | 'outputs' | 'state' | 'summary'> &
  Partial<Pick<StepResult, 'processEnv'>>;

/**
 * The state without what the post step must put back: a variable's value from before the step,
 * exactly as it was in the step's own environment (an earlier step exported it to every step
 * after it; the post step gives it back). Anything else there is a leak.
 */
function stateToCheck(result: LeakSubject): Record<string, string> {
  const raw = result.state['cleanup'];
  if (raw === undefined || result.processEnv === undefined) return result.state;
  let parsed: { variables?: { name: string; previous: string | null }[] };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    return result.state;
  }
  const env = result.processEnv;
  const variables = (parsed.variables ?? []).map((v) =>
    v.previous !== null && env[v.name] === v.previous ? { ...v, previous: '(from before)' } : v,
  );
  return { ...result.state, cleanup: JSON.stringify({ ...parsed, variables }) };
}

/** How @actions/core escapes a command value. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

const describe = (i: number, s: string): string =>
  `secret #${i} (${JSON.stringify(s.slice(0, 4))}…, ${s.length} chars)`;

/**
 * Checks one output stream; returns the number of checks made. Lines that are `::add-mask::`
 * commands are never shown by the runner, so the secret may sit there; any other line holding
 * it is a leak (reported as "before any ::add-mask::" when it precedes the first exact mask).
 */
function checkStream(
  name: string,
  text: string,
  secret: string,
  label: string,
  requireMasked: boolean,
): number {
  const escaped = escapeData(secret);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const firstMask = lines.indexOf(`::add-mask::${escaped}`);
  const leak = lines.findIndex(
    (l) => !l.startsWith('::add-mask::') && (l.includes(secret) || l.includes(escaped)),
  );
  if (leak >= 0) {
    const where =
      firstMask < 0 || leak < firstMask
        ? 'before any ::add-mask:: of it'
        : 'outside its ::add-mask:: line';
    throw new Error(`${label} printed in ${name} line ${leak + 1} ${where}`);
  }
  if (requireMasked && firstMask < 0)
    throw new Error(`${label} was never masked (no ::add-mask:: in ${name})`);
  return 1;
}

function checkValues(
  where: string,
  values: Record<string, string>,
  secret: string,
  label: string,
): number {
  for (const [name, value] of Object.entries(values)) {
    if (value.includes(secret))
      throw new Error(`${label} found in ${where} ${JSON.stringify(name)}`);
  }
  return 1;
}

/**
 * Throws if any secret (values shorter than 4 characters are ignored) leaks from `result`;
 * returns how many checks were made, so tests can add them up.
 */
export function assertNoLeaks(
  result: LeakSubject,
  secrets: string[],
  opts: LeakOptions = {},
): number {
  let checks = 0;
  secrets.forEach((secret, i) => {
    if (secret.length < 4) return;
    const label = describe(i, secret);
    checks += checkStream('stdout', result.stdout, secret, label, opts.requireMasked === true);
    checks += checkStream('stderr', result.stderr, secret, label, false);
    if (opts.allowInOutputs !== true)
      checks += checkValues('output', result.outputs, secret, label);
    checks += checkValues('state', stateToCheck(result), secret, label);
    if (result.summary.includes(secret)) throw new Error(`${label} found in the step summary`);
    checks += 1;
  });
  return checks;
}

/**
 * The credentials a step exported (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 * from GITHUB_ENV) plus `extra` values; empty and undefined ones dropped, duplicates removed.
 */
export function collectSecrets(
  result: Pick<StepResult, 'env'> | undefined,
  ...extra: (string | undefined)[]
): string[] {
  const exported = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].map(
    (k) => result?.env[k],
  );
  return [
    ...new Set([...exported, ...extra].filter((s): s is string => s !== undefined && s !== '')),
  ];
}
