/**
 * The post step: puts back every variable main set, as the step before main left it, and
 * deletes every file main wrote, as main recorded them in state. Steps of this action nest
 * like a stack: posts run in reverse order, so after a step's post the job is as the step
 * before it left it. Its own failures are warnings: a cleanup never fails a job.
 */
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { mask, workflowRunner, type Runner } from '../shared/runner.js';
import { REGION_VARIABLES, SECRET_VARIABLES } from './export/environment.js';
import { stopAgent } from './refresh/agent-stop.js';
import { digest, parseCleanupState, State, type VariableRecord } from './state.js';

/** Node's own retries of a removal, with a linear backoff: 100 ms, 200 ms, … (5.5 s in all). */
export const REMOVE_RETRIES = { maxRetries: 10, retryDelay: 100 } as const;

/** What putting a variable back comes to. */
export type Restore =
  | { kind: 'restore'; value: string }
  /** A later step set it since: theirs stands. */
  | { kind: 'changed' }
  /** Absent before, and no value means absent to every tool: it stays as main set it. */
  | { kind: 'left' };

/**
 * What a variable main set goes back to. A variable cannot be unset, only set to '', which
 * means "absent" for most: not for the files (absent means `~/.aws/config`, which is what they
 * get) nor for the region (an empty AWS_REGION makes the JS SDK refuse every call).
 */
export function restoreOf(
  record: VariableRecord,
  current: string | undefined,
  home: string,
): Restore {
  if (current === undefined || digest(current) !== record.set) return { kind: 'changed' };
  if (record.previous !== null) return { kind: 'restore', value: record.previous };
  switch (record.name) {
    case 'AWS_CONFIG_FILE':
      return { kind: 'restore', value: join(home, '.aws', 'config') };
    case 'AWS_SHARED_CREDENTIALS_FILE':
      return { kind: 'restore', value: join(home, '.aws', 'credentials') };
    default:
      return (REGION_VARIABLES as readonly string[]).includes(record.name)
        ? { kind: 'left' }
        : { kind: 'restore', value: '' };
  }
}

/** Runs the post step. */
export async function run(deps: { runner?: Runner; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const runner = deps.runner ?? workflowRunner(env);
  try {
    const raw = runner.getState(State.Cleanup);
    const state = parseCleanupState(raw);
    if (!state) {
      runner.warning(
        raw === ''
          ? 'No cleanup state: the main step did not start, so there is nothing to remove.'
          : 'The saved cleanup state is unreadable; nothing was removed.',
      );
      return;
    }
    // First, while its socket is still there: no renewal after the job's credentials are gone.
    if (state.agent) await stopAgent(state.agent, { warning: (m) => runner.warning(m) });
    const restored = restoreVariables(runner, env, state.variables);
    const removed = await removePaths(runner, env, state.paths);
    runner.info(
      `Cleaned up: put back ${restored} variable${restored === 1 ? '' : 's'} as the step before left ${restored === 1 ? 'it' : 'them'}, removed ${removed} path${removed === 1 ? '' : 's'}.`,
    );
  } catch (err) {
    runner.warning(`Cleanup failed: ${(err as Error).message}`);
  }
}

function restoreVariables(
  runner: Runner,
  env: NodeJS.ProcessEnv,
  records: VariableRecord[],
): number {
  const changed: string[] = [];
  const left: string[] = [];
  const restores: [string, string][] = [];
  for (const record of records) {
    const restore = restoreOf(record, env[record.name], homedir());
    if (restore.kind === 'changed') changed.push(record.name);
    else if (restore.kind === 'left') left.push(record.name);
    else {
      if (SECRET_VARIABLES.has(record.name)) mask(runner, restore.value);
      restores.push([record.name, restore.value]);
    }
  }
  runner.publish({ env: restores, outputs: [], summary: '' });
  if (changed.length > 0)
    runner.info(
      `Kept ${changed.join(', ')}: a later step set ${changed.length === 1 ? 'it' : 'them'} since.`,
    );
  if (left.length > 0)
    runner.info(
      `Left ${left.join(', ')} as set: no step set ${left.length === 1 ? 'it' : 'them'} before, no step can unset a variable, and an empty region makes the JS SDK refuse every call.`,
    );
  return restores.length;
}

async function removePaths(
  runner: Runner,
  env: NodeJS.ProcessEnv,
  paths: string[],
): Promise<number> {
  const temp = env['RUNNER_TEMP'];
  let removed = 0;
  for (const path of paths) {
    if (!temp || !isAbsolute(path) || !strictlyUnder(temp, path)) {
      runner.warning(`Not removing ${path}: it is not under RUNNER_TEMP.`);
      continue;
    }
    try {
      // A credential_process renewal may be writing into the folder as it goes: retried,
      // the removal takes what the renewal added (ENOTEMPTY, EBUSY) instead of leaving it.
      await rm(path, { recursive: true, force: true, ...REMOVE_RETRIES });
      removed++;
    } catch (err) {
      runner.warning(`Could not remove ${path}: ${(err as Error).message}`);
    }
  }
  return removed;
}

/**
 * Only what main could have written: a path under `dir`, never `dir` itself. Resolved first:
 * `${RUNNER_TEMP}/../x` starts with RUNNER_TEMP but lies outside it.
 */
function strictlyUnder(dir: string, path: string): boolean {
  const inside = relative(resolve(dir), resolve(path));
  return inside !== '' && inside.split(sep)[0] !== '..' && !isAbsolute(inside);
}
