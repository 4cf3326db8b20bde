/**
 * Step 1, only when the user already has a second key: the input key is the truth. Every
 * target is rewritten with the current pair, then the other key is retired, so that step 2
 * has room for the new key and no target is left pointing at the key that goes.
 */
import { messageOf } from '../shared/errors.js';
import { withRetry } from '../shared/retry.js';
import type { RotationContext } from './context.js';
import { describeAwsFailure, RotationError } from './failures.js';
import { deleteKey } from './keys.js';
import { shortKey } from './plan.js';
import type { AccessKey, KeyLastUsed } from './ports.js';
import { HalfWriteError, writeWhole, type TargetInfo } from './writer.js';

/** Step 1: rewrites every target with the input pair, then deactivates and deletes `other`. */
export async function makeRoom(
  ctx: RotationContext,
  other: AccessKey,
  lastUsed: KeyLastUsed | undefined,
): Promise<void> {
  const used =
    lastUsed === undefined
      ? 'last use unknown'
      : lastUsed.date
        ? `last used ${lastUsed.date.toISOString()}`
        : 'never used';
  ctx.d.log.info(
    `The user already has a second key ${shortKey(other.id)} (${other.status}, ${used}). Rewriting every target with the current key before retiring it.`,
  );
  for (const info of ctx.infos) await rewrite(ctx, info);
  await retireOther(ctx, other);
}

/** Writes the input pair into one target; a failure touches no key. */
async function rewrite(ctx: RotationContext, info: TargetInfo): Promise<void> {
  try {
    // A write stopped halfway may leave the other key's ID with the input key's secret.
    await writeWhole(ctx.writer, info, ctx.old, (err) =>
      ctx.d.log.warning(
        `${info.label}: ${messageOf(err)}, after part of the pair was written; writing the complete current pair again.`,
      ),
    );
  } catch (err) {
    if (!(err instanceof HalfWriteError))
      throw new RotationError(`making room: ${messageOf(err)}; no key was touched`);
    ctx.outcome(
      info.label,
      'mismatched',
      'a rewrite with the current key stopped halfway; retried, failed again',
    );
    throw new RotationError(
      `making room: ${messageOf(err.first)}; writing the complete current pair again failed too: ${messageOf(err.again)}. ${info.label} MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret): write the current pair into it by hand, then run again; no key was touched`,
    );
  }
  ctx.outcome(info.label, 'unchanged', 'rewritten with the current key');
  ctx.d.log.info(`${info.label}: rewritten with the current key ${shortKey(ctx.old.accessKeyId)}.`);
}

/** Deactivates (when Active) and deletes the second key, signed with the input key. */
async function retireOther(ctx: RotationContext, other: AccessKey): Promise<void> {
  const { iam, retry } = ctx.d;
  const doing = `retiring the second key ${shortKey(other.id)}`;
  try {
    if (other.status === 'Active')
      await withRetry(
        () => iam.updateAccessKey(ctx.old, ctx.user.userName, other.id, 'Inactive'),
        retry,
      );
    await deleteKey(iam, retry, ctx.old, ctx.user.userName, other.id);
  } catch (err) {
    const action =
      other.status === 'Active'
        ? 'iam:UpdateAccessKey or iam:DeleteAccessKey'
        : 'iam:DeleteAccessKey';
    throw new RotationError(
      `${describeAwsFailure(err, doing, action, ctx.user.arn)}; every target holds the current key`,
    );
  }
  ctx.report.secondKey = { id: other.id, status: other.status, outcome: 'deleted' };
  ctx.d.log.info(`Deleted the second key ${shortKey(other.id)}.`);
}
