/**
 * Steps 6–8: retire the old key once every target holds the verified new one. Deactivate,
 * verify the new key again, delete; signed with the new key, so that the old key's last
 * act is not needed. Only a failed step 7 undoes the rotation.
 */
import { messageOf } from '../shared/errors.js';
import { withRetry } from '../shared/retry.js';
import type { RotationContext } from './context.js';
import { RotationError } from './failures.js';
import { deleteKey } from './keys.js';
import { untilAccepted, verify } from './new-key.js';
import { shortKey } from './plan.js';
import { rollBack } from './write-targets.js';
import type { KeyPair } from './writer.js';

/** Steps 6–8: deactivate the old key, verify the new one again, delete the old one. */
export async function retireOld(ctx: RotationContext, fresh: KeyPair): Promise<void> {
  const { iam, retry } = ctx.d;
  const { old } = ctx;
  const oldId = shortKey(old.accessKeyId);
  const deadline = (): number => ctx.d.now() + ctx.s.verifyTimeoutMs;
  try {
    await untilAccepted(
      ctx,
      () => iam.updateAccessKey(fresh, ctx.user.userName, old.accessKeyId, 'Inactive'),
      `deactivating the old key ${oldId}`,
      'iam:UpdateAccessKey',
      deadline(),
    );
  } catch (err) {
    ctx.report.oldKey = 'active';
    ctx.d.log.warning(
      `${messageOf(err)} — the targets already hold the verified new key; the old key ${oldId} stays Active, and the next run retires it.`,
    );
    return;
  }
  ctx.report.oldKey = 'inactive';
  ctx.d.log.info(`Deactivated the old key ${oldId}.`);

  try {
    await verify(ctx, fresh, false);
  } catch (err) {
    await undoDeactivation(ctx, messageOf(err), fresh);
  }

  if (!ctx.s.deleteOldKey) {
    ctx.d.log.info(`Kept the old key ${oldId} Inactive (delete-old-key: false).`);
    return;
  }
  try {
    await untilAccepted(
      ctx,
      () => deleteKey(iam, retry, fresh, ctx.user.userName, old.accessKeyId),
      `deleting the old key ${oldId}`,
      'iam:DeleteAccessKey',
      deadline(),
    );
  } catch (err) {
    ctx.d.log.warning(
      `${messageOf(err)} — the old key ${oldId} is left Inactive; the next run deletes it.`,
    );
    return;
  }
  ctx.report.oldKey = 'deleted';
  ctx.d.log.info(`Deleted the old key ${oldId}, signed with the new key.`);
}

/**
 * Step 7 failed: the targets hold a key that no longer verifies. Reactivate the old key,
 * then put it back into every target and delete the new key (the step 4 rollback). Throws.
 */
async function undoDeactivation(ctx: RotationContext, why: string, fresh: KeyPair): Promise<never> {
  const { old } = ctx;
  const cause = `the new key ${shortKey(fresh.accessKeyId)} failed verification after the old key was deactivated: ${why}`;
  const failures: string[] = [];
  // In AWS an Inactive key cannot sign, so the new key tries first; the old one is the fallback.
  for (const signer of [fresh, old]) {
    try {
      await withRetry(
        () => ctx.d.iam.updateAccessKey(signer, ctx.user.userName, old.accessKeyId, 'Active'),
        ctx.d.retry,
      );
    } catch (err) {
      failures.push(messageOf(err));
      continue;
    }
    ctx.report.oldKey = 'active';
    ctx.d.log.info(`Reactivated the old key ${shortKey(old.accessKeyId)}.`);
    ctx.state.committed = false;
    ctx.state.pending = ctx.infos.map((i) => i.label);
    ctx.save();
    // Reactivated: the rollback's outcome is the step's, whatever it is (no other signer).
    return rollBack(ctx, `${cause}; the old key was reactivated`);
  }
  throw new RotationError(
    `${cause}. Reactivating the old key ${shortKey(old.accessKeyId)} failed too (${failures.join(' | ')}): the targets hold the new key; reactivate the old key in IAM (aws iam update-access-key --status Active) or check the new one, then run again`,
  );
}
