/**
 * Carries out what export/exports.ts decided: the only place the main step writes files or
 * speaks the runner's file commands (GITHUB_ENV, GITHUB_OUTPUT, the summary, the state).
 * Everything is recorded for the post step before anything is written, and written all or
 * nothing: a failed write removes what the others wrote before the step fails.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../../shared/errors.js';
import type { Runner } from '../../shared/runner.js';
import type { Plan } from '../model.js';
import { digest, State, type CleanupState } from '../state.js';
import { anySet, PROFILE_VARIABLES } from './environment.js';
import type { Exports } from './exports.js';
import { stopAgent } from '../refresh/agent-stop.js';

/** Saves what the post step must undo; saved empty first, so no state means main never ran. */
export function saveCleanupState(runner: Runner, cleanup: CleanupState): void {
  runner.saveState(State.Cleanup, JSON.stringify(cleanup));
}

/**
 * The step's own directory under RUNNER_TEMP (named, not created). Throws when the step may
 * write profile files and RUNNER_TEMP is not set: checked before any STS call.
 */
export function exportDirectory(
  plan: Pick<Plan, 'named' | 'refresh'>,
  env: NodeJS.ProcessEnv,
): string {
  const files = plan.named || plan.refresh || anySet(env, PROFILE_VARIABLES);
  if (files && !env['RUNNER_TEMP'])
    throw new Error('RUNNER_TEMP is not set: the profile files have nowhere to go');
  return join(env['RUNNER_TEMP'] ?? '', `aws-connection-${randomBytes(6).toString('hex')}`);
}

/** What the post step undoes for these exports. */
export function cleanupFor(dir: string, exports: Exports): CleanupState {
  return {
    variables: exports.variables.map(({ name, value, previous }) => ({
      name,
      previous,
      set: digest(value),
    })),
    paths: exports.files.length > 0 ? [dir] : [],
  };
}

/**
 * Records the exports in state, writes the files (0600 in a new 0700 `dir`), then publishes
 * the variables, outputs and summary together. `startAgent` (refresh's credential agent) runs
 * once the directory exists and before any variable points at it; what it started is recorded
 * for the post step, and stopped again if anything after it fails.
 */
export async function applyExports(
  runner: Runner,
  dir: string,
  exports: Exports,
  startAgent?: () => Promise<NonNullable<CleanupState['agent']>>,
): Promise<void> {
  // Recorded before anything is written, so the post step undoes it even if we die here.
  const cleanup = cleanupFor(dir, exports);
  saveCleanupState(runner, cleanup);
  let made = false;
  let agent: CleanupState['agent'];
  try {
    if (exports.files.length > 0) {
      await mkdir(dir, { recursive: false, mode: 0o700 });
      made = true;
      await writeFiles(dir, exports);
    }
    if (startAgent) {
      agent = await startAgent();
      saveCleanupState(runner, { ...cleanup, agent });
    }
  } catch (err) {
    await undo(runner, made ? dir : undefined, agent);
    throw new Error(
      `writing the profile files into ${dir} failed: ${messageOf(err)}; nothing was exported`,
      { cause: err },
    );
  }
  try {
    runner.publish({
      env: exports.variables.map(({ name, value }) => [name, value]),
      outputs: exports.outputs,
      summary: exports.summary,
    });
  } catch (err) {
    await undo(runner, made ? dir : undefined, agent);
    throw err;
  }
}

async function writeFiles(dir: string, exports: Exports): Promise<void> {
  // mkdir's mode passes through the umask: set it again, whatever the umask is.
  await chmod(dir, 0o700);
  for (const file of exports.files) {
    await writeFile(join(dir, file.name), file.content, { mode: 0o600, flag: 'wx' });
  }
}

/**
 * Nothing was exported after all: the agent stops, the directory goes (only one the step made:
 * never one that was there), and the post step has nothing to put back.
 */
async function undo(
  runner: Runner,
  dir: string | undefined,
  agent: CleanupState['agent'],
): Promise<void> {
  if (agent) await stopAgent(agent, { warning: (m) => runner.warning(m) }).catch(() => undefined);
  if (dir !== undefined) await rm(dir, { recursive: true }).catch(() => undefined);
  try {
    saveCleanupState(runner, { variables: [], paths: [] });
  } catch {
    // The state recorded first stays: the post step then finds nothing it set, and keeps all.
  }
}
