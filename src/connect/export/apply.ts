/**
 * Carries out what export/exports.ts decided: the only place the main step writes files or
 * speaks the runner's file commands (GITHUB_ENV, GITHUB_OUTPUT, the summary, the state).
 * Everything is recorded for the post step before anything is written.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '../../shared/runner.js';
import type { Plan } from '../model.js';
import { State, type CleanupState } from '../state.js';
import type { Exports } from './exports.js';

/** Saves what the post step must undo; saved empty first, so no state means main never ran. */
export function saveCleanupState(runner: Runner, cleanup: CleanupState): void {
  runner.saveState(State.Cleanup, JSON.stringify(cleanup));
}

/**
 * The step's own directory under RUNNER_TEMP (named, not created). Throws when the plan
 * writes profile files and RUNNER_TEMP is not set: checked before any STS call.
 */
export function exportDirectory(
  plan: Pick<Plan, 'named' | 'refresh'>,
  env: NodeJS.ProcessEnv,
): string {
  if ((plan.named || plan.refresh) && !env['RUNNER_TEMP'])
    throw new Error('RUNNER_TEMP is not set: the profile files have nowhere to go');
  return join(env['RUNNER_TEMP'] ?? '', `aws-connection-${randomBytes(6).toString('hex')}`);
}

/** What the post step removes for these exports. */
export function cleanupFor(dir: string, exports: Exports): CleanupState {
  return {
    variables: [
      ...exports.variables.map(([name]) => name),
      ...exports.fileVariables.map(([name]) => name),
    ],
    paths: exports.files.length > 0 ? [dir] : [],
  };
}

/**
 * Records the exports in state, writes the files (0600 in a new 0700 `dir`), then exports
 * the variables and outputs and writes the summary. `startAgent` (refresh's credential agent)
 * runs once the directory exists and before any variable points at it; what it started is
 * recorded for the post step.
 */
export async function applyExports(
  runner: Runner,
  dir: string,
  exports: Exports,
  startAgent?: () => Promise<NonNullable<CleanupState['agent']>>,
): Promise<void> {
  // Recorded before anything is written, so the post step removes it even if we die here.
  const cleanup = cleanupFor(dir, exports);
  saveCleanupState(runner, cleanup);
  await writeFiles(dir, exports);
  if (startAgent) saveCleanupState(runner, { ...cleanup, agent: await startAgent() });
  for (const [name, value] of exports.variables) runner.exportVariable(name, value);
  for (const [name, file] of exports.fileVariables) runner.exportVariable(name, join(dir, file));
  for (const [name, value] of exports.outputs) runner.setOutput(name, value);
  await runner.summary(exports.summary);
}

async function writeFiles(dir: string, exports: Exports): Promise<void> {
  if (exports.files.length === 0) return;
  await mkdir(dir, { recursive: false, mode: 0o700 });
  // mkdir's mode passes through the umask: set it again, whatever the umask is.
  await chmod(dir, 0o700);
  for (const file of exports.files) {
    await writeFile(join(dir, file.name), file.content, { mode: 0o600, flag: 'wx' });
  }
}
