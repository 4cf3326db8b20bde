/**
 * The rotation, steps 0–9 of the README's "Key rotation: the rotate action" section (its
 * table "What happens, step by step, and on failure"): at every instant every target holds a
 * pair that works, and a run that fails leaves a state the next run converges from. This
 * module sequences the steps; each lives in its own module. Ports, sleep and clock are injected.
 */
import { messageOf } from '../shared/errors.js';
import { RotationContext, type EngineDeps, type RotationReport } from './context.js';
import type { RotateSettings } from './inputs.js';
import { makeRoom } from './make-room.js';
import { createKey, verifyNewKey } from './new-key.js';
import { decide, planLines, type Decision } from './plan.js';
import { preflight, type Facts } from './preflight.js';
import { retireOld } from './retire.js';
import { writeAll } from './write-targets.js';

/** Runs a rotation (or its dry run). Never throws: a failure is `report.error`. */
export async function rotate(settings: RotateSettings, deps: EngineDeps): Promise<RotationReport> {
  const ctx = new RotationContext(settings, deps);
  try {
    await run(ctx);
  } catch (err) {
    ctx.report.error = messageOf(err);
  }
  // Finished when nothing is left for the post step to undo.
  ctx.state.finished = ctx.state.newKeyId === '' || ctx.state.committed;
  ctx.save();
  return ctx.report;
}

async function run(ctx: RotationContext): Promise<void> {
  const { s, d, report } = ctx;
  const { log } = d;
  ctx.save();
  const facts = await log.group('Preflight (changes nothing)', () =>
    preflight(d, ctx.old, s.targets),
  );
  const decision = decideFrom(ctx, facts);
  if (decision.kind === 'skip') {
    report.skipped = decision.reason;
    return;
  }
  if (s.dryRun) {
    for (const t of report.targets) {
      if (decision.skipAfterRoom === undefined) t.outcome = 'planned';
      else t.note = 'would be rewritten with the current key; min-age then skips';
    }
    log.info('Dry run: nothing was changed.');
    return;
  }
  const { other } = decision;
  if (other)
    await log.group('Step 1: make room for the new key', () =>
      makeRoom(ctx, other, facts.otherLastUsed),
    );
  if (decision.skipAfterRoom !== undefined) {
    report.skipped = decision.skipAfterRoom;
    log.info(`Skipping the rotation: ${decision.skipAfterRoom}.`);
    return;
  }
  const fresh = await log.group('Step 2: create the new key', () => createKey(ctx));
  await log.group('Step 3: verify the new key', () => verifyNewKey(ctx, fresh));
  await log.group('Step 4: write the new pair to every target', () => writeAll(ctx, fresh));
  if (s.graceSeconds > 0) {
    await log.group('Step 5: grace period', async () => {
      log.info(
        `Waiting ${s.graceSeconds} s so that jobs that started with the old key can finish.`,
      );
      await d.sleep(s.graceSeconds * 1000);
    });
  }
  await log.group('Steps 6–8: retire the old key', () => retireOld(ctx, fresh));
  report.rotated = true;
}

/** Takes in the preflight's facts, decides what to do, and prints the plan. */
function decideFrom(ctx: RotationContext, facts: Facts): Decision {
  const { s, d, report } = ctx;
  ctx.user = facts.user;
  report.user = facts.user;
  ctx.infos = facts.targets;
  const decision = decide({
    keys: facts.keys,
    currentId: ctx.old.accessKeyId,
    ...(facts.otherLastUsed === undefined ? {} : { otherLastUsed: facts.otherLastUsed }),
    ...(s.minAgeMs === undefined ? {} : { minAgeMs: s.minAgeMs }),
    secondKey: s.secondKey,
    now: d.now(),
  });
  report.plan = planLines(decision, ctx.user, {
    targets: ctx.infos.map((i) => i.label),
    graceSeconds: s.graceSeconds,
    deleteOldKey: s.deleteOldKey,
    verifySuccesses: s.verifySuccesses,
  });
  for (const line of report.plan) d.log.info(`${s.dryRun ? 'Would: ' : 'Plan: '}${line}`);
  return decision;
}
