/**
 * The refresh program's files: writes that readers never see half done (a temporary file
 * renamed into place), and a lock so that concurrent callers of one profile share one STS
 * round trip. Nothing here creates a directory: when the
 * post step has removed the step's directory, every write fails rather than recreating it.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, writeFile } from 'node:fs/promises';

/** Writes `content` (mode 0600) so that a reader sees the old file or the new one, never a part. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw err;
  }
}

/** How the lock waits. */
export interface LockTiming {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A lock older than this was left by a caller that died: take it over. */
  staleMs: number;
  /** Stop waiting after this long and go on without the lock (an extra STS call, not a failure). */
  maxWaitMs: number;
  pollMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  staleMs: 30_000,
  maxWaitMs: 25_000,
  pollMs: 25,
};

/**
 * Runs `work` holding `lockPath` (created exclusively, removed after), unless `ready` has an
 * answer by then. While another caller holds the lock, polls `ready` and returns its answer as
 * soon as it has one (the holder's result, read from the cache), without calling `work`.
 */
export async function withLock<T>(
  lockPath: string,
  ready: () => Promise<T | undefined>,
  work: () => Promise<T>,
  timing: LockTiming = DEFAULT_LOCK_TIMING,
): Promise<T> {
  const start = timing.now();
  for (;;) {
    let handle;
    try {
      handle = await open(lockPath, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (handle) {
      await handle.close();
      try {
        // The holder before us may have just finished: its answer saves a round trip.
        return (await ready()) ?? (await work());
      } finally {
        await unlink(lockPath).catch(() => undefined);
      }
    }
    const answer = await ready();
    if (answer !== undefined) return answer;
    const age = await stat(lockPath).then(
      (s) => timing.now() - s.mtimeMs,
      () => 0,
    );
    if (age > timing.staleMs) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (timing.now() - start > timing.maxWaitMs) return work();
    await timing.sleep(timing.pollMs);
  }
}
