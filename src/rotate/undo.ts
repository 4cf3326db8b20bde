/**
 * The post step's undo, for a main step that stopped before every target held the verified
 * new key: the old pair back into every target main may have written, then the new key
 * deleted. It writes and deletes through the same helpers as the forward steps.
 */
import { messageOf } from '../shared/errors.js';
import { withRetry } from '../shared/retry.js';
import type { Credentials } from '../aws/credentials.js';
import { writerDeps, type EngineDeps } from './context.js';
import { describeAwsFailure } from './failures.js';
import type { RotateSettings } from './inputs.js';
import { deleteKey } from './keys.js';
import { shortKey, userFromArn } from './plan.js';
import { readOrgSharing } from './preflight.js';
import type { RotationState } from './state.js';
import { targetLabel } from './targets.js';
import { HalfWriteError, targetInfo, writeWhole, type WriterDeps } from './writer.js';

/** What the post step needs to undo an unfinished run. */
export type UndoDeps = Omit<EngineDeps, 'save' | 'mask' | 'sleep' | 'now'>;

/**
 * Writes the old pair back into every pending target, then deletes the new key (only when
 * every restore worked). Returns warnings; never throws.
 */
export async function undo(
  settings: RotateSettings,
  state: RotationState,
  deps: UndoDeps,
): Promise<string[]> {
  const warnings: string[] = [];
  const old: Credentials = {
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
  };
  const writer = writerDeps(deps);
  let failed = 0;
  for (const label of state.pending) {
    const warning = await restore(settings, deps, writer, old, label);
    if (warning !== undefined) {
      warnings.push(warning);
      failed++;
    }
  }
  if (failed > 0) {
    warnings.push(
      `the new key ${shortKey(state.newKeyId)} is kept, since a target may still hold it; the next run retires whichever key its input is not`,
    );
    return warnings;
  }
  try {
    const user = userFromArn(
      (await withRetry(() => deps.identity.getCallerIdentity(old), deps.retry)).arn,
    );
    await deleteKey(deps.iam, deps.retry, old, user.userName, state.newKeyId);
    deps.log.info(
      `Deleted the new key ${shortKey(state.newKeyId)}: the targets hold the old key again.`,
    );
  } catch (err) {
    warnings.push(
      `${describeAwsFailure(err, `deleting the new key ${shortKey(state.newKeyId)}`, 'iam:DeleteAccessKey')}; the next run retires it`,
    );
  }
  return warnings;
}

/** Writes the old pair into the target labelled `label`; returns the warning when it could not. */
async function restore(
  settings: RotateSettings,
  deps: UndoDeps,
  writer: WriterDeps,
  old: Credentials,
  label: string,
): Promise<string | undefined> {
  const target = settings.targets.find((t) => targetLabel(t) === label);
  if (!target) return `${label} is not among the targets any more: not restored`;
  try {
    const info = targetInfo(target, await readOrgSharing(deps, target));
    // A restore stopped halfway may leave one key's ID with the other key's secret.
    await writeWhole(writer, info, old, (err) =>
      deps.log.warning(
        `${label}: ${messageOf(err)}, after part of the old pair was written; writing it again.`,
      ),
    );
  } catch (err) {
    if (err instanceof HalfWriteError)
      return `${label}: could not restore the old key: ${messageOf(err.first)}; writing it again failed too: ${messageOf(err.again)}. ${label} MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret): write the pair of the old or the new key into it by hand`;
    return `${label}: could not restore the old key: ${messageOf(err)}`;
  }
  deps.log.info(`${label}: restored to the old key ${shortKey(old.accessKeyId)}.`);
  return undefined;
}
