/**
 * `action-timeout-s`: a bound on the whole main step. The step claims the deadline just before
 * it writes its exports; a deadline that passes first fails the step with nothing exported,
 * and one claimed first can no longer fire, so the exports are never cut in half.
 */
import { Input } from './inputs/table.js';

/** What the step holds while it works: it must claim the deadline before exporting. */
export interface Deadline {
  /** Throws when the time is up; otherwise stops the clock (the exports go out whole). */
  claim(): void;
}

/** The error of a deadline that passed. */
export class DeadlineExpired extends Error {
  override readonly name = 'DeadlineExpired';
}

/** The timer functions, a seam for tests. */
export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The message of a deadline that passed. */
export function expiredMessage(seconds: number): string {
  return `${Input.ActionTimeout}: the step did not finish within ${seconds} s and exported nothing`;
}

/**
 * Runs `work` under a deadline of `seconds` (none for 0): resolves as `work` does, or rejects
 * with {@link DeadlineExpired} when the time runs out before `work` claims the deadline. Work
 * that goes on after that fails at its claim, having exported nothing.
 */
export function withDeadline<T>(
  seconds: number,
  work: (deadline: Deadline) => Promise<T>,
  timers: Timers = realTimers,
): Promise<T> {
  let expired = false;
  let claimed = false;
  let handle: unknown;
  const deadline: Deadline = {
    claim() {
      if (expired) throw new DeadlineExpired(expiredMessage(seconds));
      claimed = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
  };
  const running = work(deadline);
  if (seconds <= 0 || claimed) return running;
  return new Promise<T>((resolve, reject) => {
    handle = timers.setTimeout(() => {
      expired = true;
      reject(new DeadlineExpired(expiredMessage(seconds)));
    }, seconds * 1000);
    running.then(
      (value) => {
        if (handle !== undefined) timers.clearTimeout(handle);
        resolve(value);
      },
      (err: unknown) => {
        if (handle !== undefined) timers.clearTimeout(handle);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
