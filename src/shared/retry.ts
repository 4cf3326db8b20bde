/** Bounded retries with full jitter, for the failures that a second try can cure. */
import { isRetryable } from './errors.js';

/** How many tries, how long between them, and the clock to wait on (a seam for tests). */
export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff ceiling; doubles each try. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No new try starts after this long since the first. */
  totalMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** The defaults: 4 tries, 250 ms doubling to 2 s, no new try after 20 s. */
export function defaultRetryPolicy(maxAttempts = 4): RetryPolicy {
  return {
    maxAttempts,
    baseDelayMs: 250,
    maxDelayMs: 2000,
    totalMs: 20_000,
    sleep,
    random: Math.random,
    now: Date.now,
  };
}

/**
 * Runs `fn` until it succeeds, fails with an error that will not go away on retry, or the
 * policy's bound is reached; then rethrows the last error. `onRetry` hears each retry;
 * `retryable` decides which errors a retry can cure (AWS's rules by default).
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (attempt: number, err: unknown, delayMs: number) => void,
  retryable: (err: unknown) => boolean = isRetryable,
): Promise<T> {
  const start = policy.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err) || attempt >= policy.maxAttempts) throw err;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.round(ceiling * policy.random());
      if (policy.now() - start + delay > policy.totalMs) throw err;
      onRetry?.(attempt, err, delay);
      await policy.sleep(delay);
    }
  }
}
