/** Retry policies that take no real time: a fake clock that sleeping advances. */
import type { RetryPolicy } from '../src/shared/retry.js';

export interface InstantRetry extends RetryPolicy {
  /** Every delay slept, in order. */
  readonly delays: number[];
}

/** A policy whose sleep only moves a fake clock; `random` fixed at 1 (the full ceiling). */
export function instantRetry(overrides: Partial<RetryPolicy> = {}): InstantRetry {
  let clock = 0;
  const delays: number[] = [];
  return {
    maxAttempts: 4,
    baseDelayMs: 250,
    maxDelayMs: 2000,
    totalMs: 20_000,
    random: () => 1,
    now: () => clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
    ...overrides,
    delays,
  };
}
