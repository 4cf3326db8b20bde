import {
  DeadlineExpired,
  expiredMessage,
  withDeadline,
  type Deadline,
  type Timers,
} from '../../../src/connect/deadline.js';

/** Timers that fire only when told to. */
function manualTimers(): Timers & { fire: () => void; pending: () => number } {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (fn) => {
      timers.set(++next, fn);
      return next;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    fire: () => {
      for (const [id, fn] of [...timers]) {
        timers.delete(id);
        fn();
      }
    },
    pending: () => timers.size,
  };
}

/** A promise with its resolve exposed. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('withDeadline', () => {
  test('0 seconds: no timer, the work as it is', async () => {
    const timers = manualTimers();
    await expect(withDeadline(0, async () => 'done', timers)).resolves.toBe('done');
    expect(timers.pending()).toBe(0);
  });

  test('work that claims and finishes in time: the timer is gone', async () => {
    const timers = manualTimers();
    const result = await withDeadline(
      5,
      async (d) => {
        d.claim();
        return 'exported';
      },
      timers,
    );
    expect(result).toBe('exported');
    expect(timers.pending()).toBe(0);
  });

  test('the deadline passes first: it rejects, and the late claim throws, so nothing is exported', async () => {
    const timers = manualTimers();
    const slow = gate();
    let exported = false;
    let lateClaim: unknown;
    const work = async (d: Deadline): Promise<void> => {
      await slow.promise;
      try {
        d.claim();
        exported = true;
      } catch (err) {
        lateClaim = err;
      }
    };
    const running = withDeadline(3, work, timers);
    timers.fire();
    await expect(running).rejects.toThrow(new DeadlineExpired(expiredMessage(3)));
    slow.open();
    await new Promise((r) => setImmediate(r));
    expect(exported).toBe(false);
    expect(lateClaim).toBeInstanceOf(DeadlineExpired);
  });

  test('once claimed, the deadline cannot fire: the exports go out whole', async () => {
    const timers = manualTimers();
    const writing = gate();
    const running = withDeadline(
      3,
      async (d) => {
        d.claim();
        await writing.promise;
        return 'all written';
      },
      timers,
    );
    expect(timers.pending()).toBe(0);
    writing.open();
    await expect(running).resolves.toBe('all written');
  });

  test('a failure of the work is passed on and clears the timer', async () => {
    const timers = manualTimers();
    await expect(
      withDeadline(
        3,
        async () => {
          throw new Error('AccessDenied');
        },
        timers,
      ),
    ).rejects.toThrow('AccessDenied');
    expect(timers.pending()).toBe(0);
  });

  test('the message names the input and says nothing was exported', () => {
    expect(expiredMessage(7)).toBe(
      'action-timeout-s: the step did not finish within 7 s and exported nothing',
    );
  });
});
