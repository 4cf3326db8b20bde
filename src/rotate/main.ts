/**
 * The rotate action's main step: read the inputs, build the adapters, rotate, then report
 * (outputs and job summary, also after a failure). `setFailed` is called here and nowhere else.
 */
import { messageOf } from '../shared/errors.js';
import { defaultRetryPolicy, sleep as realSleep } from '../shared/retry.js';
import { mask, workflowRunner, type Runner } from '../shared/runner.js';
import { createPorts, maskInputs, type Ports } from './adapters.js';
import type { EngineDeps } from './context.js';
import { rotate } from './engine.js';
import { getSettings } from './inputs.js';
import { RotateState } from './state.js';
import { outputsOf, renderSummary } from './summary.js';

/** Seams for tests; the entry point uses the defaults. */
export interface RotateDeps {
  runner: Runner;
  env: NodeJS.ProcessEnv;
  ports?: Ports;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Runs the main step. */
export async function run(deps: Partial<RotateDeps> = {}): Promise<void> {
  const runner = deps.runner ?? workflowRunner(deps.env ?? process.env);
  const env = deps.env ?? process.env;
  try {
    maskInputs(runner);
    const settings = getSettings((name) => runner.getInput(name), env);
    runner.debug(
      `Targets ${settings.targets.length}; GitHub API ${settings.githubApiUrl}; dry-run ${settings.dryRun}; min-age ${settings.minAgeMs ?? 'none'} ms; delete-old-key ${settings.deleteOldKey}; second-key ${settings.secondKey}; grace ${settings.graceSeconds} s; verify ${settings.verifySuccesses} in ${settings.verifyTimeoutMs} ms every ${settings.verifyIntervalMs} ms`,
    );
    const ports = deps.ports ?? (await createPorts(settings, runner));
    const sleep = deps.sleep ?? realSleep;
    const now = deps.now ?? Date.now;
    const engine: EngineDeps = {
      ...ports,
      retry: { ...defaultRetryPolicy(settings.retryMaxAttempts), sleep, now },
      log: runner,
      mask: (v) => mask(runner, v),
      save: (state) => runner.saveState(RotateState.Rotation, JSON.stringify(state)),
      sleep,
      now,
    };
    const report = await rotate(settings, engine);
    for (const [name, value] of outputsOf(report)) runner.setOutput(name, value);
    await runner.summary(renderSummary(report));
    if (report.error !== undefined) runner.setFailed(report.error);
    else if (report.rotated)
      runner.info(
        `Rotated: every target holds the new key; the old key is ${report.oldKey === 'deleted' ? 'deleted' : report.oldKey === 'inactive' ? 'Inactive' : 'still Active'}.`,
      );
    else
      runner.info(
        report.skipped === undefined
          ? 'Nothing was changed.'
          : `Nothing was changed: ${report.skipped}.`,
      );
  } catch (err) {
    runner.setFailed(messageOf(err));
  }
}
