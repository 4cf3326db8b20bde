/**
 * The rotation, steps 0–9 of docs/key-rotation.md, with the documented failure handling:
 * at every instant every target holds a pair that works, and a run that fails leaves a
 * state the next run converges from. Ports, sleep and clock are injected.
 */
import { isRetryable, messageOf } from '../shared/errors.js';
import type { Credentials } from '../aws/credentials.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import { awsCode, describeAwsFailure, isKeyRefused, RotationError } from './failures.js';
import type { RotateSettings } from './inputs.js';
import { decide, planLines, shortKey, userFromArn, type UserRef } from './plan.js';
import type { AccessKey, IamPort, KeyLastUsed, KeyStatus, Seal } from './ports.js';
import { preflight, readOrgSharing, type PreflightDeps } from './preflight.js';
import { initialState, type RotationState } from './state.js';
import { targetLabel } from './targets.js';
import {
  targetInfo,
  WriteError,
  writePair,
  type KeyPair,
  type PairPart,
  type TargetInfo,
  type WriterDeps,
} from './writer.js';

const BOTH: readonly PairPart[] = ['secret', 'id'];

/** What one secret of a target holds, as far as the run knows: the input pair's value, the new pair's, or either. */
type Held = 'old' | 'new' | 'unknown';

/** Everything the engine acts through. */
export interface EngineDeps extends PreflightDeps {
  seal: Seal;
  /** Masks a secret in the log. */
  mask: (value: string) => void;
  /** Saves the state for the post step (never a secret in it). */
  save: (state: RotationState) => void;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** What happened to one target. */
export type TargetOutcome =
  'unchanged' | 'planned' | 'rotated' | 'restored' | 'not restored' | 'mismatched';

/** What a run did: the outputs, the job summary and the failure, if any. */
export interface RotationReport {
  user?: UserRef;
  oldKeyId: string;
  newKeyId?: string;
  rotated: boolean;
  dryRun: boolean;
  /** Why nothing was done (min-age). */
  skipped?: string;
  plan: string[];
  secondKey?: { id: string; status: KeyStatus; outcome: string };
  /** The old key at the end: deleted, Inactive, or still Active (a step 6 failure or a rollback). */
  oldKey?: 'deleted' | 'inactive' | 'active';
  targets: { label: string; outcome: TargetOutcome; note?: string }[];
  /** The one-line failure; undefined when the run succeeded. */
  error?: string;
}

/** Runs a rotation (or its dry run). Never throws: a failure is `report.error`. */
export async function rotate(settings: RotateSettings, deps: EngineDeps): Promise<RotationReport> {
  const rotation = new Rotation(settings, deps);
  try {
    await rotation.run();
  } catch (err) {
    rotation.report.error = messageOf(err);
  }
  rotation.finish();
  return rotation.report;
}

class Rotation {
  readonly report: RotationReport;
  private readonly state = initialState();
  private readonly old: Credentials;
  private readonly writer: WriterDeps;
  private user: UserRef = { arn: '', userName: '', accountId: '' };
  private infos: TargetInfo[];
  private fresh: KeyPair | undefined;
  /** Per target label, what each of its two secrets holds. */
  private readonly held = new Map<string, Record<PairPart, Held>>();

  constructor(
    private readonly s: RotateSettings,
    private readonly d: EngineDeps,
  ) {
    this.old = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
    this.infos = s.targets.map((t) => targetInfo(t));
    this.report = {
      oldKeyId: s.accessKeyId,
      rotated: false,
      dryRun: s.dryRun,
      plan: [],
      targets: s.targets.map((t) => ({ label: targetLabel(t), outcome: 'unchanged' })),
    };
    this.writer = {
      secrets: d.secrets,
      seal: d.seal,
      retry: d.retry,
      debug: (m) => d.log.debug(m),
    };
  }

  private get iam(): IamPort {
    return this.d.iam;
  }

  private get retry(): RetryPolicy {
    return this.d.retry;
  }

  private save(): void {
    this.d.save({ ...this.state, pending: [...this.state.pending] });
  }

  private outcome(label: string, outcome: TargetOutcome, note?: string): void {
    const t = this.report.targets.find((r) => r.label === label);
    if (!t) return;
    t.outcome = outcome;
    if (note !== undefined) t.note = note;
  }

  private holding(label: string): Record<PairPart, Held> {
    let h = this.held.get(label);
    if (!h) {
      h = { secret: 'old', id: 'old' };
      this.held.set(label, h);
    }
    return h;
  }

  /** The pair a target surely holds complete, or undefined when its two secrets may disagree. */
  private complete(label: string): 'old' | 'new' | undefined {
    const h = this.holding(label);
    return h.secret === h.id && h.secret !== 'unknown' ? h.secret : undefined;
  }

  /** Writes `parts` of the old or the new pair into a target, keeping track of what landed. */
  private async put(
    info: TargetInfo,
    side: 'old' | 'new',
    parts: readonly PairPart[] = BOTH,
  ): Promise<void> {
    const pair = side === 'old' ? this.old : this.fresh;
    if (!pair) throw new RotationError('internal: no new key to write');
    const h = this.holding(info.label);
    try {
      await writePair(this.writer, info, pair, parts);
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

  /** Marks the end for the post step: finished when nothing is left to undo. */
  finish(): void {
    this.state.finished = this.state.newKeyId === '' || this.state.committed;
    this.save();
  }

  async run(): Promise<void> {
    this.save();
    const { log } = this.d;
    const facts = await log.group('Preflight (changes nothing)', () =>
      preflight(this.d, this.old, this.s.targets),
    );
    this.user = facts.user;
    this.report.user = facts.user;
    this.infos = facts.targets;
    const decision = decide({
      keys: facts.keys,
      currentId: this.old.accessKeyId,
      ...(facts.otherLastUsed === undefined ? {} : { otherLastUsed: facts.otherLastUsed }),
      ...(this.s.minAgeMs === undefined ? {} : { minAgeMs: this.s.minAgeMs }),
      secondKey: this.s.secondKey,
      now: this.d.now(),
    });
    this.report.plan = planLines(decision, this.user, {
      targets: this.infos.map((i) => i.label),
      graceSeconds: this.s.graceSeconds,
      deleteOldKey: this.s.deleteOldKey,
      verifySuccesses: this.s.verifySuccesses,
    });
    for (const line of this.report.plan) log.info(`${this.s.dryRun ? 'Would: ' : 'Plan: '}${line}`);
    if (decision.kind === 'skip') {
      this.report.skipped = decision.reason;
      return;
    }
    if (this.s.dryRun) {
      for (const t of this.report.targets) {
        if (decision.skipAfterRoom === undefined) t.outcome = 'planned';
        else t.note = 'would be rewritten with the current key; min-age then skips';
      }
      log.info('Dry run: nothing was changed.');
      return;
    }
    const { other } = decision;
    if (other)
      await log.group('Step 1: make room for the new key', () =>
        this.makeRoom(other, facts.otherLastUsed),
      );
    if (decision.skipAfterRoom !== undefined) {
      this.report.skipped = decision.skipAfterRoom;
      log.info(`Skipping the rotation: ${decision.skipAfterRoom}.`);
      return;
    }
    const fresh = await log.group('Step 2: create the new key', () => this.create());
    await log.group('Step 3: verify the new key', () => this.verifyNew(fresh));
    await log.group('Step 4: write the new pair to every target', () => this.writeAll(fresh));
    if (this.s.graceSeconds > 0) {
      await log.group('Step 5: grace period', async () => {
        log.info(
          `Waiting ${this.s.graceSeconds} s so that jobs that started with the old key can finish.`,
        );
        await this.d.sleep(this.s.graceSeconds * 1000);
      });
    }
    await log.group('Steps 6–8: retire the old key', () => this.retireOld(fresh));
    this.report.rotated = true;
  }

  /** Step 1: the input key is the truth. Rewrite every target with it, then retire the other key. */
  private async makeRoom(other: AccessKey, lastUsed: KeyLastUsed | undefined): Promise<void> {
    const used =
      lastUsed === undefined
        ? 'last use unknown'
        : lastUsed.date
          ? `last used ${lastUsed.date.toISOString()}`
          : 'never used';
    this.d.log.info(
      `The user already has a second key ${shortKey(other.id)} (${other.status}, ${used}). Rewriting every target with the current key before retiring it.`,
    );
    for (const info of this.infos) {
      try {
        await writePair(this.writer, info, this.old);
      } catch (err) {
        if (!(err instanceof WriteError) || !err.touched)
          throw new RotationError(`making room: ${messageOf(err)}; no key was touched`);
        // Part of the pair landed: the target may hold the other key's ID with the input key's secret.
        this.d.log.warning(
          `${info.label}: ${messageOf(err)}, after part of the pair was written; writing the complete current pair again.`,
        );
        try {
          await writePair(this.writer, info, this.old);
        } catch (again) {
          this.outcome(
            info.label,
            'mismatched',
            'a rewrite with the current key stopped halfway; retried, failed again',
          );
          throw new RotationError(
            `making room: ${messageOf(err)}; writing the complete current pair again failed too: ${messageOf(again)}. ${info.label} MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret): write the current pair into it by hand, then run again; no key was touched`,
          );
        }
      }
      this.outcome(info.label, 'unchanged', 'rewritten with the current key');
      this.d.log.info(
        `${info.label}: rewritten with the current key ${shortKey(this.old.accessKeyId)}.`,
      );
    }
    const doing = `retiring the second key ${shortKey(other.id)}`;
    try {
      if (other.status === 'Active')
        await withRetry(
          () => this.iam.updateAccessKey(this.old, this.user.userName, other.id, 'Inactive'),
          this.retry,
        );
      await this.deleteKey(this.old, other.id);
    } catch (err) {
      const action =
        other.status === 'Active'
          ? 'iam:UpdateAccessKey or iam:DeleteAccessKey'
          : 'iam:DeleteAccessKey';
      throw new RotationError(
        `${describeAwsFailure(err, doing, action, this.user.arn)}; every target holds the current key`,
      );
    }
    this.report.secondKey = { id: other.id, status: other.status, outcome: 'deleted' };
    this.d.log.info(`Deleted the second key ${shortKey(other.id)}.`);
  }

  /** Deletes a key; one that is already gone counts as deleted. */
  private async deleteKey(signer: Credentials, keyId: string): Promise<void> {
    await withRetry(async () => {
      try {
        await this.iam.deleteAccessKey(signer, this.user.userName, keyId);
      } catch (err) {
        if (awsCode(err) !== 'NoSuchEntity') throw err;
      }
    }, this.retry);
  }

  /** Step 2. An ambiguous failure (5xx, timeout) may have created a key whose secret never arrived: delete it. */
  private async create(): Promise<KeyPair> {
    const known = new Set([this.old.accessKeyId]);
    let key;
    try {
      key = await withRetry(
        async () => {
          try {
            return await this.iam.createAccessKey(this.old, this.user.userName);
          } catch (err) {
            if (isRetryable(err)) await this.deleteOrphans(known);
            throw err;
          }
        },
        this.retry,
        (attempt, err) =>
          this.d.log.info(`CreateAccessKey try ${attempt} failed (${messageOf(err)}); retrying.`),
      );
    } catch (err) {
      if (err instanceof RotationError) throw err;
      throw new RotationError(
        describeAwsFailure(err, 'CreateAccessKey', 'iam:CreateAccessKey', this.user.arn),
      );
    }
    this.d.mask(key.secret);
    this.state.newKeyId = key.id;
    this.save();
    this.report.newKeyId = key.id;
    this.d.log.info(`Created the new key ${shortKey(key.id)}.`);
    this.fresh = { accessKeyId: key.id, secretAccessKey: key.secret };
    return this.fresh;
  }

  private async deleteOrphans(known: Set<string>): Promise<void> {
    try {
      const keys = await withRetry(
        () => this.iam.listAccessKeys(this.old, this.user.userName),
        this.retry,
      );
      for (const k of keys.filter((key) => !known.has(key.id))) {
        this.d.log.warning(
          `CreateAccessKey got no answer, yet key ${shortKey(k.id)} exists: its secret never arrived, so it is deleted.`,
        );
        await this.deleteKey(this.old, k.id);
      }
    } catch (err) {
      throw new RotationError(
        `${describeAwsFailure(err, 'cleaning up after an unanswered CreateAccessKey', 'iam:ListAccessKeys and iam:DeleteAccessKey', this.user.arn)}; a key whose secret never arrived may remain, and the next run retires it`,
      );
    }
  }

  /** Step 3: consecutive GetCallerIdentity successes, then ListAccessKeys; on failure the new key is deleted. */
  private async verifyNew(fresh: KeyPair): Promise<void> {
    try {
      await this.verify(fresh, true);
    } catch (err) {
      const cleanup = await this.deleteNewKey();
      throw new RotationError(
        `the new key ${shortKey(fresh.accessKeyId)} failed verification: ${messageOf(err)}; ${cleanup}`,
      );
    }
  }

  /** Deletes the new key with the old one; says what happened, for the failure message. */
  private async deleteNewKey(): Promise<string> {
    const id = this.state.newKeyId;
    if (id === '') return 'no new key is left';
    try {
      await this.deleteKey(this.old, id);
    } catch (err) {
      const failure = describeAwsFailure(
        err,
        `deleting the new key ${shortKey(id)}`,
        'iam:DeleteAccessKey',
        this.user.arn,
      );
      return `${failure}; the post step or the next run retires it`;
    }
    this.state.newKeyId = '';
    this.save();
    delete this.report.newKeyId;
    return `the new key ${shortKey(id)} was deleted`;
  }

  /**
   * Calls GetCallerIdentity with `pair` until `verifySuccesses` consecutive answers name the
   * user; a refused key (not yet propagated) or a throttled call resets the count. With
   * `iamToo`, then ListAccessKeys with it, since the next rotation signs IAM calls with it.
   */
  private async verify(pair: KeyPair, iamToo: boolean): Promise<void> {
    const {
      verifySuccesses: needed,
      verifyIntervalMs: interval,
      verifyTimeoutMs: timeout,
    } = this.s;
    const deadline = this.d.now() + timeout;
    let streak = 0;
    let tries = 0;
    let last = '';
    for (;;) {
      tries++;
      try {
        const { arn } = await this.d.identity.getCallerIdentity(pair);
        if (arn !== this.user.arn)
          throw new RotationError(
            `GetCallerIdentity with it answered ${arn}, not ${this.user.arn}`,
          );
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
                  this.user.arn,
                ),
              );
        }
        if (streak > 0)
          this.d.log.info(`The new key was refused after ${streak} success(es); counting again.`);
        streak = 0;
        last = messageOf(err);
      }
      if (streak >= needed) break;
      if (this.d.now() + interval > deadline) {
        throw new RotationError(
          `it was not accepted ${needed} times in a row within ${timeout / 1000} s (${tries} tries${last === '' ? '' : `; last refusal: ${last}`})`,
        );
      }
      await this.d.sleep(interval);
    }
    this.d.log.info(
      `The new key works: ${needed} consecutive GetCallerIdentity successes as ${this.user.arn} (${tries} tries).`,
    );
    if (iamToo) {
      await this.untilAccepted(
        () => this.iam.listAccessKeys(pair, this.user.userName),
        'ListAccessKeys with the new key',
        'iam:ListAccessKeys',
        deadline,
      );
      this.d.log.info('The new key may call IAM (ListAccessKeys).');
    }
  }

  /** Retries a call signed with the new key while the key propagates (refused) or AWS is busy, until `deadline`. */
  private async untilAccepted<T>(
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
          this.d.now() + this.s.verifyIntervalMs > deadline
        ) {
          throw new RotationError(describeAwsFailure(err, doing, action, this.user.arn));
        }
        await this.d.sleep(this.s.verifyIntervalMs);
      }
    }
  }

  /** Step 4: each target in turn; a failure restores every target that was or may have been written. */
  private async writeAll(fresh: KeyPair): Promise<void> {
    for (const info of this.infos) {
      this.state.pending.push(info.label);
      this.save();
      try {
        await this.put(info, 'new');
      } catch (err) {
        if (err instanceof WriteError && !err.touched) {
          this.state.pending = this.state.pending.filter((l) => l !== info.label);
          this.save();
        }
        return this.rollBack(messageOf(err));
      }
      this.outcome(info.label, 'rotated');
      this.d.log.info(`${info.label}: now holds the new key ${shortKey(fresh.accessKeyId)}.`);
    }
    this.state.pending = [];
    this.state.committed = true;
    this.save();
  }

  /**
   * Writes the old pair back into every pending target (only the secrets that changed);
   * when all are restored, deletes the new key. When a restore fails, deletes nothing (both
   * keys stay Active), and a target whose restore stopped halfway gets the complete new pair
   * instead, so it holds a pair that works. Always throws.
   */
  private async rollBack(cause: string): Promise<never> {
    const failed: string[] = [];
    const mismatched: string[] = [];
    const pending = this.infos.filter((i) => this.state.pending.includes(i.label));
    for (const info of pending) {
      const h = this.holding(info.label);
      const parts = BOTH.filter((p) => h[p] !== 'old');
      try {
        if (parts.length > 0) await this.put(info, 'old', parts);
      } catch (err) {
        failed.push(messageOf(err));
        if (this.complete(info.label) !== 'new') {
          this.d.log.warning(
            `${info.label}: the restore stopped with the pair possibly half written (${messageOf(err)}); writing the complete new pair instead.`,
          );
          try {
            await this.put(info, 'new');
          } catch (again) {
            failed.push(`rolling ${info.label} forward to the new pair: ${messageOf(again)}`);
          }
        }
        if (this.complete(info.label) === 'new') {
          this.outcome(info.label, 'not restored', 'holds the complete new pair');
        } else {
          mismatched.push(info.label);
          this.outcome(info.label, 'mismatched', 'restore and roll-forward both failed');
        }
        continue;
      }
      this.state.pending = this.state.pending.filter((l) => l !== info.label);
      this.save();
      this.outcome(info.label, 'restored');
      this.d.log.info(`${info.label}: restored to the old key.`);
    }
    if (failed.length === 0) {
      const cleanup = await this.deleteNewKey();
      throw new RotationError(
        `${cause}. Rolled back: ${pending.length} target(s) restored to the old key, and ${cleanup}`,
      );
    }
    this.d.log.warning(`Rollback incomplete: ${failed.join(' | ')}`);
    const left = this.state.pending.length;
    const newId = shortKey(this.state.newKeyId);
    const works =
      mismatched.length === 0
        ? `each of them holds the complete new pair ${newId}, so every target still works; the post step retries the restore, and the next run converges from either key`
        : `${mismatched.join(', ')} MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret) and may not work: write the pair of the old or the new key into ${mismatched.length === 1 ? 'it' : 'them'} by hand${left > mismatched.length ? '; the other unrestored target(s) hold the complete new pair' : ''}`;
    throw new RotationError(
      `${cause}. ROLLBACK INCOMPLETE: ${left} target(s) could not be restored to the old key: ${failed.join(' | ')}. Both keys are left Active; ${works}`,
    );
  }

  /** Steps 6–8: deactivate the old key, verify the new one again, delete the old one. */
  private async retireOld(fresh: KeyPair): Promise<void> {
    const oldId = shortKey(this.old.accessKeyId);
    const deadline = (): number => this.d.now() + this.s.verifyTimeoutMs;
    try {
      await this.untilAccepted(
        () => this.iam.updateAccessKey(fresh, this.user.userName, this.old.accessKeyId, 'Inactive'),
        `deactivating the old key ${oldId}`,
        'iam:UpdateAccessKey',
        deadline(),
      );
    } catch (err) {
      this.report.oldKey = 'active';
      this.d.log.warning(
        `${messageOf(err)} — the targets already hold the verified new key; the old key ${oldId} stays Active, and the next run retires it.`,
      );
      return;
    }
    this.report.oldKey = 'inactive';
    this.d.log.info(`Deactivated the old key ${oldId}.`);

    try {
      await this.verify(fresh, false);
    } catch (err) {
      await this.undoDeactivation(messageOf(err), fresh);
    }

    if (!this.s.deleteOldKey) {
      this.d.log.info(`Kept the old key ${oldId} Inactive (delete-old-key: false).`);
      return;
    }
    try {
      await this.untilAccepted(
        () => this.deleteKey(fresh, this.old.accessKeyId),
        `deleting the old key ${oldId}`,
        'iam:DeleteAccessKey',
        deadline(),
      );
    } catch (err) {
      this.d.log.warning(
        `${messageOf(err)} — the old key ${oldId} is left Inactive; the next run deletes it.`,
      );
      return;
    }
    this.report.oldKey = 'deleted';
    this.d.log.info(`Deleted the old key ${oldId}, signed with the new key.`);
  }

  /**
   * Step 7 failed: the targets hold a key that no longer verifies. Reactivate the old key,
   * then put it back into every target and delete the new key (the step 4 rollback). Throws.
   */
  private async undoDeactivation(why: string, fresh: KeyPair): Promise<never> {
    const cause = `the new key ${shortKey(fresh.accessKeyId)} failed verification after the old key was deactivated: ${why}`;
    const failures: string[] = [];
    // In AWS an Inactive key cannot sign, so the new key tries first; the old one is the fallback.
    for (const signer of [fresh, this.old]) {
      try {
        await withRetry(
          () =>
            this.iam.updateAccessKey(signer, this.user.userName, this.old.accessKeyId, 'Active'),
          this.retry,
        );
        this.report.oldKey = 'active';
        this.d.log.info(`Reactivated the old key ${shortKey(this.old.accessKeyId)}.`);
        this.state.committed = false;
        this.state.pending = this.infos.map((i) => i.label);
        this.save();
        return this.rollBack(`${cause}; the old key was reactivated`);
      } catch (err) {
        if (err instanceof RotationError) throw err;
        failures.push(messageOf(err));
      }
    }
    throw new RotationError(
      `${cause}. Reactivating the old key ${shortKey(this.old.accessKeyId)} failed too (${failures.join(' | ')}): the targets hold the new key; reactivate the old key in IAM (aws iam update-access-key --status Active) or check the new one, then run again`,
    );
  }
}

/** What the post step needs to undo an unfinished run. */
export type UndoDeps = Omit<EngineDeps, 'save' | 'mask' | 'sleep' | 'now'>;

/**
 * The post step's undo, for a main step that did not finish before committing: writes the
 * old pair back into every pending target, then deletes the new key (only when every
 * restore worked). Returns warnings; never throws.
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
  const writer: WriterDeps = {
    secrets: deps.secrets,
    seal: deps.seal,
    retry: deps.retry,
    debug: (m) => deps.log.debug(m),
  };
  let failed = 0;
  for (const label of state.pending) {
    const target = settings.targets.find((t) => targetLabel(t) === label);
    if (!target) {
      warnings.push(`${label} is not among the targets any more: not restored`);
      failed++;
      continue;
    }
    try {
      const info = targetInfo(target, await readOrgSharing(deps, target));
      try {
        await writePair(writer, info, old);
      } catch (err) {
        if (!(err instanceof WriteError) || !err.touched) throw err;
        // Half of the pair may have landed: try the complete old pair once more.
        deps.log.warning(
          `${label}: ${messageOf(err)}, after part of the old pair was written; writing it again.`,
        );
        try {
          await writePair(writer, info, old);
        } catch (again) {
          warnings.push(
            `${label}: could not restore the old key: ${messageOf(err)}; writing it again failed too: ${messageOf(again)}. ${label} MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret): write the pair of the old or the new key into it by hand`,
          );
          failed++;
          continue;
        }
      }
      deps.log.info(`${label}: restored to the old key ${shortKey(old.accessKeyId)}.`);
    } catch (err) {
      warnings.push(`${label}: could not restore the old key: ${messageOf(err)}`);
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
    await withRetry(async () => {
      try {
        await deps.iam.deleteAccessKey(old, user.userName, state.newKeyId);
      } catch (err) {
        if (awsCode(err) !== 'NoSuchEntity') throw err;
      }
    }, deps.retry);
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
