import { jest } from '@jest/globals';
import { defaultRetryPolicy, sleep, withRetry } from '../../../src/shared/retry.js';
import { instantRetry } from '../../../__fixtures__/retry.js';
import { awsError } from '../../../__fixtures__/sts.js';

/** A function that fails with `errors` in turn, then answers `value`. */
function flaky<T>(value: T, ...errors: Error[]): jest.Mock<() => Promise<T>> {
  return jest.fn(async (): Promise<T> => {
    const err = errors.shift();
    if (err !== undefined) throw err;
    return value;
  });
}

describe('withRetry', () => {
  test('returns at once when the first try succeeds', async () => {
    const policy = instantRetry();
    const fn = flaky('ok');
    await expect(withRetry(fn, policy)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(policy.delays).toEqual([]);
  });

  test('retries throttling with doubling, capped backoff, and tells onRetry', async () => {
    const policy = instantRetry({ maxAttempts: 6 });
    const throttled = awsError('Throttling', 'Rate exceeded', 400);
    const fn = flaky('ok', throttled, throttled, throttled, throttled, throttled);
    const onRetry = jest.fn<(attempt: number, err: unknown, delay: number) => void>();
    await expect(withRetry(fn, policy, onRetry)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(6);
    // random() is 1: each delay is the full ceiling, 250 ms doubling up to 2000 ms.
    expect(policy.delays).toEqual([250, 500, 1000, 2000, 2000]);
    expect(onRetry.mock.calls).toEqual([
      [1, throttled, 250],
      [2, throttled, 500],
      [3, throttled, 1000],
      [4, throttled, 2000],
      [5, throttled, 2000],
    ]);
  });

  test('applies full jitter', async () => {
    const policy = instantRetry({ random: () => 0.5 });
    const fn = flaky('ok', awsError('Throttling'), awsError('Throttling'));
    await withRetry(fn, policy);
    expect(policy.delays).toEqual([125, 250]);
  });

  test.each([
    ['AccessDenied', awsError('AccessDenied', 'no', 403)],
    ['InvalidClientTokenId', awsError('InvalidClientTokenId', 'no', 403)],
    ['a plain error', new Error('boom')],
  ])('never retries %s', async (_what, err) => {
    const policy = instantRetry();
    const fn = flaky('ok', err);
    await expect(withRetry(fn, policy)).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(policy.delays).toEqual([]);
  });

  test('rethrows the last error after maxAttempts tries', async () => {
    const policy = instantRetry({ maxAttempts: 3 });
    const errors = [
      awsError('Throttling', 'one'),
      awsError('Throttling', 'two'),
      awsError('Throttling', 'three'),
      awsError('Throttling', 'four'),
    ];
    const fn = flaky('ok', ...errors);
    await expect(withRetry(fn, policy)).rejects.toBe(errors[2]);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(policy.delays).toHaveLength(2);
  });

  test('maxAttempts 1 makes one try', async () => {
    const policy = instantRetry({ maxAttempts: 1 });
    const err = awsError('Throttling');
    const fn = flaky('ok', err);
    await expect(withRetry(fn, policy)).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('starts no new try once the total time would be exceeded', async () => {
    const policy = instantRetry({ maxAttempts: 10, totalMs: 1000 });
    const err = awsError('ServiceUnavailable', 'down', 503);
    const fn = jest.fn(async (): Promise<string> => {
      throw err;
    });
    await expect(withRetry(fn, policy)).rejects.toBe(err);
    // 250 + 500 = 750 ms slept; the next delay (1000) would end past 1000 ms.
    expect(policy.delays).toEqual([250, 500]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  test('a try that would start exactly at the total time still starts', async () => {
    const policy = instantRetry({ maxAttempts: 10, totalMs: 750 });
    const err = awsError('ServiceUnavailable', 'down', 503);
    const fn = jest.fn(async (): Promise<string> => {
      throw err;
    });
    await expect(withRetry(fn, policy)).rejects.toBe(err);
    expect(policy.delays).toEqual([250, 500]);
  });

  test('counts the time the calls themselves take', async () => {
    let clock = 0;
    const policy = instantRetry({ totalMs: 5000, now: () => clock });
    const err = awsError('RequestTimeout');
    const fn = jest.fn(async (): Promise<string> => {
      clock += 5000; // a hung request abandoned after its timeout
      throw err;
    });
    await expect(withRetry(fn, policy)).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('defaultRetryPolicy', () => {
  test('4 tries, 250 ms doubling to 2 s, 20 s in all, on the real clock', () => {
    const p = defaultRetryPolicy();
    expect(p).toMatchObject({
      maxAttempts: 4,
      baseDelayMs: 250,
      maxDelayMs: 2000,
      totalMs: 20_000,
    });
    expect(p.sleep).toBe(sleep);
    expect(p.random).toBe(Math.random);
    expect(p.now).toBe(Date.now);
  });
  test('takes the number of tries', () => {
    expect(defaultRetryPolicy(7).maxAttempts).toBe(7);
  });
});

describe('sleep', () => {
  test('waits on a timer', async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      const p = sleep(1000).then(() => {
        done = true;
      });
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await p;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
