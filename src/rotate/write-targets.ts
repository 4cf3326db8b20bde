/**
 * Step 4: write the new pair into every target, and its rollback, which the step 7 undo
 * reuses. The run tracks what each secret holds, so that a restore rewrites only what changed
 * and a target whose restore stops halfway gets a complete pair that works.
 */
import { messageOf } from '../shared/errors.js';
import type { RotationContext } from './context.js';
import { RotationError } from './failures.js';
import { deleteNewKey } from './new-key.js';
import { shortKey } from './plan.js';
import { WriteError, writePair, type KeyPair, type PairPart, type TargetInfo } from './writer.js';

const BOTH: readonly PairPart[] = ['secret', 'id'];

/** Writes `parts` of the old or the new pair into a target, keeping track of what landed. */
async function put(
  ctx: RotationContext,
  info: TargetInfo,
  side: 'old' | 'new',
  parts: readonly PairPart[] = BOTH,
): Promise<void> {
  const pair = side === 'old' ? ctx.old : ctx.fresh;
  if (!pair) throw new RotationError('internal: no new key to write');
  const h = ctx.holding(info.label);
  try {
    await writePair(ctx.writer, info, pair, parts);
  } catch (err) {
    if (err instanceof WriteError) {
      for (const p of parts) {
        if (err.landed[p] === 'yes') h[p] = side;
        else if (err.landed[p] === 'maybe' && h[p] !== side) h[p] = 'unknown';
      }
    } else {
      for (const p of parts) if (h[p] !== side) h[p] = 'unknown';
    }
    throw err;
  }
  for (const p of parts) h[p] = side;
}

/** Step 4: each target in turn; a failure restores every target that was or may have been written. */
export async function writeAll(ctx: RotationContext, fresh: KeyPair): Promise<void> {
  for (const info of ctx.infos) {
    ctx.state.pending.push(info.label);
    ctx.save();
    try {
      await put(ctx, info, 'new');
    } catch (err) {
      if (err instanceof WriteError && !err.touched) {
        ctx.state.pending = ctx.state.pending.filter((l) => l !== info.label);
        ctx.save();
      }
      return rollBack(ctx, messageOf(err));
    }
    ctx.outcome(info.label, 'rotated');
    ctx.d.log.info(`${info.label}: now holds the new key ${shortKey(fresh.accessKeyId)}.`);
  }
  ctx.state.pending = [];
  ctx.state.committed = true;
  ctx.save();
}

/**
 * Writes the old pair back into every pending target (only the secrets that changed);
 * when all are restored, deletes the new key. When a restore fails, deletes nothing (both
 * keys stay Active), and a target whose restore stopped halfway gets the complete new pair
 * instead, so it holds a pair that works. Always throws.
 */
export async function rollBack(ctx: RotationContext, cause: string): Promise<never> {
  const failed: string[] = [];
  const mismatched: string[] = [];
  const pending = ctx.infos.filter((i) => ctx.state.pending.includes(i.label));
  for (const info of pending) {
    const h = ctx.holding(info.label);
    const parts = BOTH.filter((p) => h[p] !== 'old');
    try {
      if (parts.length > 0) await put(ctx, info, 'old', parts);
    } catch (err) {
      failed.push(messageOf(err));
      if (!(await rollForward(ctx, info, messageOf(err), failed))) mismatched.push(info.label);
      continue;
    }
    ctx.state.pending = ctx.state.pending.filter((l) => l !== info.label);
    ctx.save();
    ctx.outcome(info.label, 'restored');
    ctx.d.log.info(`${info.label}: restored to the old key.`);
  }
  if (failed.length === 0) {
    const cleanup = await deleteNewKey(ctx);
    throw new RotationError(
      `${cause}. Rolled back: ${pending.length} target(s) restored to the old key, and ${cleanup}`,
    );
  }
  ctx.d.log.warning(`Rollback incomplete: ${failed.join(' | ')}`);
  const left = ctx.state.pending.length;
  const newId = shortKey(ctx.state.newKeyId);
  const works =
    mismatched.length === 0
      ? `each of them holds the complete new pair ${newId}, so every target still works; the post step retries the restore, and the next run converges from either key`
      : `${mismatched.join(', ')} MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret) and may not work: write the pair of the old or the new key into ${mismatched.length === 1 ? 'it' : 'them'} by hand${left > mismatched.length ? '; the other unrestored target(s) hold the complete new pair' : ''}`;
  throw new RotationError(
    `${cause}. ROLLBACK INCOMPLETE: ${left} target(s) could not be restored to the old key: ${failed.join(' | ')}. Both keys are left Active; ${works}`,
  );
}

/**
 * A restore failed: when the target may hold half of each pair, writes the complete new pair,
 * which works since the new key stays Active. Says whether the target holds the complete new pair.
 */
async function rollForward(
  ctx: RotationContext,
  info: TargetInfo,
  why: string,
  failed: string[],
): Promise<boolean> {
  if (ctx.complete(info.label) !== 'new') {
    ctx.d.log.warning(
      `${info.label}: the restore stopped with the pair possibly half written (${why}); writing the complete new pair instead.`,
    );
    try {
      await put(ctx, info, 'new');
    } catch (again) {
      failed.push(`rolling ${info.label} forward to the new pair: ${messageOf(again)}`);
    }
  }
  if (ctx.complete(info.label) === 'new') {
    ctx.outcome(info.label, 'not restored', 'holds the complete new pair');
    return true;
  }
  ctx.outcome(info.label, 'mismatched', 'restore and roll-forward both failed');
  return false;
}
