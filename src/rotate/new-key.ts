/**
 * Steps 2 and 3: create the new key, then verify it until it is surely usable, and the
 * checks with it that step 7 repeats. A key that fails is deleted again with the old one.
 */
import { isRetryable, messageOf } from '../shared/errors.js';
import { withRetry } from '../shared/retry.js';
import type { RotationContext } from './context.js';
import { describeAwsFailure, isKeyRefused, RotationError } from './failures.js';
import { deleteKey } from './keys.js';
import { shortKey } from './plan.js';
import type { KeyPair } from './writer.js';

/**
 * Step 2: CreateAccessKey, the secret masked at once and the key ID saved for the post step.
 * An ambiguous failure (5xx, timeout) may have created a key whose secret never arrived: delete it.
 */
export async function createKey(ctx: RotationContext): Promise<KeyPair> {
  const known = new Set([ctx.old.accessKeyId]);
  let key;
  try {
    key = await withRetry(
      async () => {
        try {
          return await ctx.d.iam.createAccessKey(ctx.old, ctx.user.userName);
        } catch (err) {
          if (isRetryable(err)) await deleteOrphans(ctx, known);
          throw err;
        }
      },
      ctx.d.retry,
      (attempt, err) =>
        ctx.d.log.info(`CreateAccessKey try ${attempt} failed (${messageOf(err)}); retrying.`),
    );
  } catch (err) {
    if (err instanceof RotationError) throw err;
    throw new RotationError(
      describeAwsFailure(err, 'CreateAccessKey', 'iam:CreateAccessKey', ctx.user.arn),
    );
  }
  ctx.d.mask(key.secret);
  ctx.state.newKeyId = key.id;
  ctx.save();
  ctx.report.newKeyId = key.id;
  ctx.d.log.info(`Created the new key ${shortKey(key.id)}.`);
  ctx.fresh = { accessKeyId: key.id, secretAccessKey: key.secret };
  return ctx.fresh;
}

async function deleteOrphans(ctx: RotationContext, known: Set<string>): Promise<void> {
  const { iam, retry } = ctx.d;
  try {
    const keys = await withRetry(() => iam.listAccessKeys(ctx.old, ctx.user.userName), retry);
    for (const k of keys.filter((key) => !known.has(key.id))) {
      ctx.d.log.warning(
        `CreateAccessKey got no answer, yet key ${shortKey(k.id)} exists: its secret never arrived, so it is deleted.`,
      );
      await deleteKey(iam, retry, ctx.old, ctx.user.userName, k.id);
    }
  } catch (err) {
    throw new RotationError(
      `${describeAwsFailure(err, 'cleaning up after an unanswered CreateAccessKey', 'iam:ListAccessKeys and iam:DeleteAccessKey', ctx.user.arn)}; a key whose secret never arrived may remain, and the next run retires it`,
    );
  }
}

/** Step 3: consecutive GetCallerIdentity successes, then ListAccessKeys; on failure the new key is deleted. */
export async function verifyNewKey(ctx: RotationContext, fresh: KeyPair): Promise<void> {
  try {
    await verify(ctx, fresh, true);
  } catch (err) {
    const cleanup = await deleteNewKey(ctx);
    throw new RotationError(
      `the new key ${shortKey(fresh.accessKeyId)} failed verification: ${messageOf(err)}; ${cleanup}`,
    );
  }
}

/** Deletes the new key with the old one; says what happened, for the failure message. */
export async function deleteNewKey(ctx: RotationContext): Promise<string> {
  const id = ctx.state.newKeyId;
  if (id === '') return 'no new key is left';
  try {
    await deleteKey(ctx.d.iam, ctx.d.retry, ctx.old, ctx.user.userName, id);
  } catch (err) {
    const failure = describeAwsFailure(
      err,
      `deleting the new key ${shortKey(id)}`,
      'iam:DeleteAccessKey',
      ctx.user.arn,
    );
    return `${failure}; the post step or the next run retires it`;
  }
  ctx.state.newKeyId = '';
  ctx.save();
  delete ctx.report.newKeyId;
  return `the new key ${shortKey(id)} was deleted`;
}

/**
 * Calls GetCallerIdentity with `pair` until `verifySuccesses` consecutive answers name the
 * user; a refused key (not yet propagated) or a throttled call resets the count. With
 * `iamToo`, then ListAccessKeys with it, since the next rotation signs IAM calls with it.
 */
export async function verify(ctx: RotationContext, pair: KeyPair, iamToo: boolean): Promise<void> {
  const { verifySuccesses: needed, verifyIntervalMs: interval, verifyTimeoutMs: timeout } = ctx.s;
  const { user } = ctx;
  const deadline = ctx.d.now() + timeout;
  let streak = 0;
  let tries = 0;
  let last = '';
  for (;;) {
    tries++;
    try {
      const { arn } = await ctx.d.identity.getCallerIdentity(pair);
      if (arn !== user.arn)
        throw new RotationError(`GetCallerIdentity with it answered ${arn}, not ${user.arn}`);
      streak++;
    } catch (err) {
      if (err instanceof RotationError || !(isKeyRefused(err) || isRetryable(err))) {
        throw err instanceof RotationError
          ? err
          : new RotationError(
              describeAwsFailure(
                err,
                'GetCallerIdentity with the new key',
                'sts:GetCallerIdentity',
                user.arn,
              ),
            );
      }
      if (streak > 0)
        ctx.d.log.info(`The new key was refused after ${streak} success(es); counting again.`);
      streak = 0;
      last = messageOf(err);
    }
    if (streak >= needed) break;
    if (ctx.d.now() + interval > deadline) {
      throw new RotationError(
        `it was not accepted ${needed} times in a row within ${timeout / 1000} s (${tries} tries${last === '' ? '' : `; last refusal: ${last}`})`,
      );
    }
    await ctx.d.sleep(interval);
  }
  ctx.d.log.info(
    `The new key works: ${needed} consecutive GetCallerIdentity successes as ${user.arn} (${tries} tries).`,
  );
  if (iamToo) {
    await untilAccepted(
      ctx,
      () => ctx.d.iam.listAccessKeys(pair, user.userName),
      'ListAccessKeys with the new key',
      'iam:ListAccessKeys',
      deadline,
    );
    ctx.d.log.info('The new key may call IAM (ListAccessKeys).');
  }
}

/** Retries a call signed with the new key while the key propagates (refused) or AWS is busy, until `deadline`. */
export async function untilAccepted<T>(
  ctx: RotationContext,
  fn: () => Promise<T>,
  doing: string,
  action: string,
  deadline: number,
): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (
        !(isKeyRefused(err) || isRetryable(err)) ||
        ctx.d.now() + ctx.s.verifyIntervalMs > deadline
      ) {
        throw new RotationError(describeAwsFailure(err, doing, action, ctx.user.arn));
      }
      await ctx.d.sleep(ctx.s.verifyIntervalMs);
    }
  }
}
