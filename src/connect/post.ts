/**
 * The post step: blanks every variable main exported and deletes every file main wrote, as
 * main recorded them in state. Its own failures are warnings: a cleanup never fails a job.
 */
import { rm } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { workflowRunner, type Runner } from '../shared/runner.js';
import { parseCleanupState, State } from './state.js';
import { stopAgent } from './refresh/agent-stop.js';

/** Node's own retries of a removal, with a linear backoff: 100 ms, 200 ms, … (5.5 s in all). */
export const REMOVE_RETRIES = { maxRetries: 10, retryDelay: 100 } as const;

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
    for (const name of state.variables) runner.exportVariable(name, '');
    const temp = env['RUNNER_TEMP'] ?? '';
    let removed = 0;
    for (const path of state.paths) {
      // Only what main could have written: absolute paths under RUNNER_TEMP.
      // Resolved first: `${RUNNER_TEMP}/../x` starts with RUNNER_TEMP but lies outside it.
      const inside = temp === '' ? '' : relative(resolve(temp), resolve(path));
      if (
        !isAbsolute(path) ||
        temp === '' ||
        inside === '' ||
        inside.split(sep)[0] === '..' ||
        isAbsolute(inside)
      ) {
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
    runner.info(
      `Cleaned up: blanked ${state.variables.length} variables, removed ${removed} paths.`,
    );
  } catch (err) {
    runner.warning(`Cleanup failed: ${(err as Error).message}`);
  }
}
