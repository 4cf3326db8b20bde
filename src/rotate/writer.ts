/**
 * Writing one key pair into one target: a fresh public key, both values sealed before the
 * first request, then the secret key and the key ID written back to back (the window in
 * which a killed runner leaves a mismatched pair stays as short as two requests). A 422 that
 * names `key_id` (the scope's key changed) fetches the key again, once. A failure says, per
 * secret, whether it landed, so that a caller never leaves one key's ID with another's secret.
 */
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import {
  describeGithubFailure,
  isKeyIdMismatch,
  isRetryableGithub,
  mayHaveWritten,
  RotationError,
} from './failures.js';
import type { OrgSharing, PublicKey, SecretsPort, Seal } from './ports.js';
import { scopeLabel, targetLabel, type Target } from './targets.js';

/** An access key ID and its secret. */
export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A target as the preflight found it: organization secrets carry their sharing, per secret name. */
export interface TargetInfo {
  target: Target;
  label: string;
  sharing: Map<string, OrgSharing>;
}

/** What a write needs. */
export interface WriterDeps {
  secrets: SecretsPort;
  seal: Seal;
  retry: RetryPolicy;
  debug: (message: string) => void;
}

/** Whether one secret's write landed: not at all, perhaps (no answer, 5xx), or surely. */
export type Landed = 'no' | 'maybe' | 'yes';

/** The two secrets of a pair. */
export type PairPart = 'secret' | 'id';

/**
 * A failed write. `landed` says, per secret, whether it was or may have been written;
 * `touched` whether either was.
 */
export class WriteError extends RotationError {
  constructor(
    message: string,
    readonly landed: Record<PairPart, Landed>,
  ) {
    super(message);
  }

  get touched(): boolean {
    return this.landed.secret !== 'no' || this.landed.id !== 'no';
  }
}

/** A target with no sharing to keep (a repository or environment). */
export function targetInfo(target: Target, sharing = new Map<string, OrgSharing>()): TargetInfo {
  return { target, label: targetLabel(target), sharing };
}

/**
 * Writes `pair` into the target's two secrets, the secret key first; `parts` limits the write
 * to some of them (a restore rewrites only what was changed). Throws {@link WriteError}.
 */
export async function writePair(
  deps: WriterDeps,
  info: TargetInfo,
  pair: KeyPair,
  parts: readonly PairPart[] = ['secret', 'id'],
): Promise<void> {
  const { target } = info;
  const { scope } = target;
  const landed: Record<PairPart, Landed> = { secret: 'no', id: 'no' };
  let doing = `reading the public key of ${scopeLabel(scope)}`;
  const retried = <T>(fn: () => Promise<T>): Promise<T> =>
    withRetry(
      fn,
      deps.retry,
      (attempt, err) =>
        deps.debug(
          `${doing}: try ${attempt} failed (${describeGithubFailure(err, 'request')}); retrying`,
        ),
      isRetryableGithub,
    );
  const sealFor = async (key: PublicKey): Promise<Map<string, string>> =>
    new Map([
      [target.secretName, await deps.seal(pair.secretAccessKey, key.key)],
      [target.idName, await deps.seal(pair.accessKeyId, key.key)],
    ]);

  try {
    let key = await retried(() => deps.secrets.getPublicKey(scope));
    let sealed = await sealFor(key);
    let refetched = false;
    const names: [PairPart, string][] = [
      ['secret', target.secretName],
      ['id', target.idName],
    ];
    for (const [part, name] of names.filter(([p]) => parts.includes(p))) {
      doing = `writing ${scopeLabel(scope)} ${name}`;
      for (;;) {
        try {
          const value = { encryptedValue: sealed.get(name) ?? '', keyId: key.keyId };
          await retried(async () => {
            try {
              await deps.secrets.putSecret(scope, name, value, info.sharing.get(name));
            } catch (err) {
              if (mayHaveWritten(err)) landed[part] = 'maybe';
              throw err;
            }
          });
          landed[part] = 'yes';
          break;
        } catch (err) {
          if (!isKeyIdMismatch(err) || refetched) throw err;
          refetched = true;
          deps.debug(`${doing}: the public key changed; fetching it again`);
          key = await retried(() => deps.secrets.getPublicKey(scope));
          sealed = await sealFor(key);
        }
      }
    }
  } catch (err) {
    throw new WriteError(describeGithubFailure(err, doing, scope), landed);
  }
}

/** A complete write that failed twice: first after part of the pair landed, then again. */
export class HalfWriteError extends RotationError {
  constructor(
    /** The write that stopped halfway. */
    readonly first: WriteError,
    /** Why writing the complete pair again failed. */
    readonly again: unknown,
  ) {
    super(first.message);
  }
}

/**
 * Writes the complete `pair`; when the write fails after part of it landed, writes the
 * complete pair once more, since a target must not keep one key's ID with the other's
 * secret. `onHalf` is told before that second write. Throws the failure as it came when
 * nothing landed, and a {@link HalfWriteError} when the second write fails too.
 */
export async function writeWhole(
  deps: WriterDeps,
  info: TargetInfo,
  pair: KeyPair,
  onHalf: (err: WriteError) => void,
): Promise<void> {
  try {
    await writePair(deps, info, pair);
  } catch (err) {
    if (!(err instanceof WriteError) || !err.touched) throw err;
    onHalf(err);
    try {
      await writePair(deps, info, pair);
    } catch (again) {
      throw new HalfWriteError(err, again);
    }
  }
}
