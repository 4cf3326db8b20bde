/**
 * The pure decisions of a rotation: who the caller is, whether to rotate at all, what to do
 * with a second key, and the plan a dry run prints. Plain data in, plain data out.
 */
import { RotationError } from './failures.js';
import type { AccessKey, KeyLastUsed } from './ports.js';
import type { SecondKeyPolicy } from './inputs.js';

/** The IAM user that owns the key. */
export interface UserRef {
  arn: string;
  /** The last segment of the ARN (a path before it is not part of the name). */
  userName: string;
  accountId: string;
}

/** A key shown in logs: its last four characters (a key ID is not a secret, but the input one is masked). */
export function shortKey(id: string): string {
  return `…${id.slice(-4)}`;
}

/**
 * The user of a caller ARN. Refuses roles, federated users and the root user: only an IAM
 * user has access keys that a rotation can replace.
 */
export function userFromArn(arn: string): UserRef {
  const m = /^arn:[a-z-]+:(iam|sts)::(\d{12}):([a-z-]+)(?:\/(.*))?$/.exec(arn);
  const [, service, accountId = '', type, rest = ''] = m ?? [];
  if (service === 'iam' && type === 'user' && rest !== '') {
    const userName = rest.split('/').at(-1) ?? '';
    if (userName !== '') return { arn, userName, accountId };
  }
  const what =
    type === 'assumed-role'
      ? 'a role session (assumed-role): rotation needs the long-term key of an IAM user, not temporary credentials'
      : type === 'federated-user'
        ? 'a federated user: rotation needs the long-term key of an IAM user, not GetFederationToken credentials'
        : type === 'root'
          ? "the account's root user: root access keys are not rotated by this action (delete them)"
          : 'not an IAM user';
  throw new RotationError(`the input key belongs to ${arn}, ${what}`);
}

/** What the rotation will do, decided from the preflight facts. */
export type Decision =
  | { kind: 'skip'; reason: string }
  | {
      kind: 'rotate';
      current: AccessKey;
      other?: AccessKey;
      /**
       * min-age: the input key is young, yet a second key exists (a failed run left it): make
       * room (step 1), then stop with this reason instead of creating a key.
       */
      skipAfterRoom?: string;
    };

/** The facts `decide` needs. */
export interface DecisionInput {
  /** ListAccessKeys of the user. */
  keys: AccessKey[];
  /** The input key's ID. */
  currentId: string;
  /** GetAccessKeyLastUsed of the other key; undefined when there is none or it could not be read. */
  otherLastUsed?: KeyLastUsed;
  minAgeMs?: number;
  secondKey: SecondKeyPolicy;
  now: number;
}

/** Formats a duration in the largest whole unit: `3d`, `5h`, `12m`, `40s`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

/**
 * Decides from the user's keys: the input key must be listed and Active; with `min-age`, a
 * younger key is skipped (when it is the user's only key; otherwise room is made first, so
 * that a failed run's leftover key never blocks the runs that follow); a second key is made
 * room for, unless the strict policy finds it Active and used. Throws {@link RotationError}
 * when the rotation must not start.
 */
export function decide(input: DecisionInput): Decision {
  const current = input.keys.find((k) => k.id === input.currentId);
  if (!current) {
    throw new RotationError(
      `the input key ${shortKey(input.currentId)} is not among the user's access keys (${input.keys.map((k) => shortKey(k.id)).join(', ') || 'none'}); nothing was changed`,
    );
  }
  if (current.status !== 'Active') {
    throw new RotationError(
      `the input key ${shortKey(current.id)} is Inactive: the targets must hold an Active key. If a rotation ran with delete-old-key: false since this workflow read its secrets, the secret it read is stale; nothing was changed`,
    );
  }
  const others = input.keys.filter((k) => k.id !== current.id);
  if (others.length > 1)
    throw new RotationError(`the user has ${input.keys.length} access keys; expected at most two`);
  const other = others[0];

  let young: string | undefined;
  if (input.minAgeMs !== undefined && current.createdAt !== undefined) {
    const age = input.now - current.createdAt.getTime();
    if (age < input.minAgeMs) {
      young = `the key ${shortKey(current.id)} is ${formatAge(age)} old, younger than min-age ${formatAge(input.minAgeMs)}`;
      if (!other) return { kind: 'skip', reason: young };
    }
  }
  if (other && input.secondKey === 'strict' && other.status === 'Active') {
    const stop = `with second-key: strict the rotation stops here. Retire that key yourself, or use second-key: retire; nothing was changed`;
    const used = input.otherLastUsed;
    // Unknown use counts as use: strict exists to never retire a key something may rely on.
    if (used === undefined) {
      throw new RotationError(
        `the user's second key ${shortKey(other.id)} is Active and when it was last used is unknown (GetAccessKeyLastUsed failed): ${stop}`,
      );
    }
    if (used.date !== undefined) {
      throw new RotationError(
        `the user's second key ${shortKey(other.id)} is Active and was last used ${used.date.toISOString()}${used.service ? ` (${used.service})` : ''}: ${stop}`,
      );
    }
  }
  if (!other) return { kind: 'rotate', current };
  return young === undefined
    ? { kind: 'rotate', current, other }
    : { kind: 'rotate', current, other, skipAfterRoom: young };
}

/** The settings the printed plan mentions. */
export interface PlanOptions {
  targets: string[];
  graceSeconds: number;
  deleteOldKey: boolean;
  verifySuccesses: number;
}

/** The steps a rotation will take, one line each: what a dry run prints and every run logs. */
export function planLines(decision: Decision, user: UserRef, o: PlanOptions): string[] {
  if (decision.kind === 'skip') return [`Skip: ${decision.reason}.`];
  const lines: string[] = [];
  const old = shortKey(decision.current.id);
  const { other } = decision;
  if (other) {
    lines.push(
      `Make room: rewrite ${o.targets.length} target(s) with the current key ${old}, then deactivate and delete the second key ${shortKey(other.id)} (${other.status}).`,
    );
    if (decision.skipAfterRoom !== undefined) {
      lines.push(`Then skip: ${decision.skipAfterRoom}.`);
      return lines;
    }
  }
  lines.push(
    `Create a new access key for ${user.userName} and verify it (${o.verifySuccesses} consecutive GetCallerIdentity successes, then ListAccessKeys).`,
  );
  for (const t of o.targets) lines.push(`Write the new pair to ${t}.`);
  if (o.graceSeconds > 0)
    lines.push(`Wait ${o.graceSeconds} s for jobs that started with the old key.`);
  lines.push(`Deactivate the old key ${old} and verify the new key again.`);
  lines.push(
    o.deleteOldKey
      ? `Delete the old key ${old}, signed with the new key.`
      : `Keep the old key ${old} Inactive (delete-old-key: false).`,
  );
  return lines;
}
