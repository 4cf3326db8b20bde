/**
 * The rotate action's post step. When main did not finish (a killed or cancelled step)
 * before every target held the verified new key, it restores the old pair (from the step's
 * inputs) into every target main may have written, then deletes the new key. It reads what
 * to undo from the state main saved, never a secret. Its own failures are warnings.
 */
import { messageOf } from '../shared/errors.js';
import { defaultRetryPolicy } from '../shared/retry.js';
import { workflowRunner, type Runner } from '../shared/runner.js';
import { createPorts, maskInputs, type Ports } from './adapters.js';
import { getSettings } from './inputs.js';
import { parseRotationState, postAction, RotateState } from './state.js';
import { undo } from './undo.js';

/** Runs the post step. */
export async function run(
  runner: Runner = workflowRunner(),
  env: NodeJS.ProcessEnv = process.env,
  ports?: Ports,
): Promise<void> {
  try {
    const raw = runner.getState(RotateState.Rotation);
    const state = parseRotationState(raw);
    if (raw !== '' && state === undefined) {
      runner.warning('The saved rotation state is unreadable; nothing was undone.');
      return;
    }
    if (!state || postAction(state) === 'none') {
      runner.info(
        state?.committed
          ? 'Nothing to undo: every target holds the verified new key.'
          : 'Nothing to undo.',
      );
      return;
    }
    maskInputs(runner);
    const settings = getSettings((name) => runner.getInput(name), env);
    runner.warning(
      `The rotation did not finish: restoring the old key in ${state.pending.length} target(s) and deleting the new key.`,
    );
    const warnings = await undo(settings, state, {
      ...(ports ?? (await createPorts(settings, runner))),
      retry: defaultRetryPolicy(settings.retryMaxAttempts),
      log: runner,
    });
    for (const w of warnings) runner.warning(w);
    if (warnings.length === 0)
      runner.info('Undone: every target holds the old key, and the new key is deleted.');
  } catch (err) {
    runner.warning(`Rotation cleanup failed: ${messageOf(err)}`);
  }
}
