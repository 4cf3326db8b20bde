/** src/connect/refresh/store.ts: the refresh program's atomic writes and its lock. */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_LOCK_TIMING,
  withLock,
  writeAtomic,
  type LockTiming,
} from '../../../../src/connect/refresh/store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'refresh-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('files', () => {
  test('writeAtomic replaces a file whole, 0600, leaving no temporary file', async () => {
    const path = join(dir, 'cache.json');
    await writeAtomic(path, 'one');
    await writeAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['cache.json']);
  });

  test('writeAtomic never recreates a removed directory', async () => {
    rmSync(dir, { recursive: true });
    await expect(writeAtomic(join(dir, 'cache.json'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(existsSync(dir)).toBe(false);
  });
});

describe('withLock', () => {
  const timing = (over: Partial<LockTiming> = {}): LockTiming => ({
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    staleMs: 30_000,
    maxWaitMs: 5_000,
    pollMs: 5,
    ...over,
  });

  test('concurrent callers: one works, the others take its answer', async () => {
    const lock = join(dir, 'p.lock');
    let answer: string | undefined;
    let calls = 0;
    const work = async (): Promise<string> => {
      calls++;
      await new Promise((r) => setTimeout(r, 50));
      answer = 'fresh';
      return answer;
    };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => withLock(lock, async () => answer, work, timing())),
    );
    expect(results).toEqual(Array(6).fill('fresh'));
    expect(calls).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  test('the lock is released when the work fails', async () => {
    const lock = join(dir, 'p.lock');
    await expect(
      withLock(
        lock,
        async () => undefined,
        () => Promise.reject(new Error('sts down')),
        timing(),
      ),
    ).rejects.toThrow('sts down');
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock left by a caller that died is taken over', async () => {
    const lock = join(dir, 'p.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(
      await withLock(
        lock,
        async () => undefined,
        async () => 'mine',
        timing(),
      ),
    ).toBe('mine');
  });

  test('a caller that waited too long goes on without the lock', async () => {
    const lock = join(dir, 'p.lock');
    writeFileSync(lock, '');
    let clock = Date.now();
    const t = timing({ now: () => clock, sleep: async (ms) => void (clock += ms * 100) });
    expect(
      await withLock(
        lock,
        async () => undefined,
        async () => 'anyway',
        t,
      ),
    ).toBe('anyway');
    expect(existsSync(lock)).toBe(true);
  });

  test("a lock exactly as old as staleMs is still the holder's: it is not taken over", async () => {
    const lock = join(dir, 'p.lock');
    writeFileSync(lock, '');
    // Whole seconds: the file's mtimeMs is then exact.
    utimesSync(lock, 1_000, 1_000);
    const staleMs = 30_000;
    const t = timing({
      staleMs,
      // Gives up waiting at the first look: then only a takeover would remove the lock.
      maxWaitMs: -1,
      now: () => 1_000_000 + staleMs,
    });
    expect(
      await withLock(
        lock,
        async () => undefined,
        async () => 'without the lock',
        t,
      ),
    ).toBe('without the lock');
    expect(existsSync(lock)).toBe(true);
  });

  test('a wait of exactly maxWaitMs polls once more before going on without the lock', async () => {
    const lock = join(dir, 'p.lock');
    writeFileSync(lock, '');
    const clock = Date.now();
    let polls = 0;
    const order: string[] = [];
    const t = timing({
      maxWaitMs: 0,
      now: () => clock,
      sleep: async () => void order.push('sleep'),
    });
    const ready = async (): Promise<string | undefined> => {
      polls++;
      // The second look finds the holder's answer: the caller never had to work.
      return polls === 2 ? 'the holder said' : undefined;
    };
    expect(await withLock(lock, ready, async () => 'worked', t)).toBe('the holder said');
    expect(order).toEqual(['sleep']);
  });

  test('an error other than "the lock exists" fails at once, without working or waiting', async () => {
    const lock = join(dir, 'gone', 'p.lock');
    let worked = false;
    let slept = 0;
    await expect(
      withLock(
        lock,
        async () => undefined,
        async () => {
          worked = true;
          return 'x';
        },
        timing({ sleep: async () => void slept++ }),
      ),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(worked).toBe(false);
    expect(slept).toBe(0);
  });

  test('the default timing waits for a holder in real time, a poll at a time', async () => {
    const lock = join(dir, 'p.lock');
    writeFileSync(lock, '');
    let answer: string | undefined;
    setTimeout(() => {
      answer = 'from the holder';
      rmSync(lock);
    }, 60);
    let looks = 0;
    const ready = async (): Promise<string | undefined> => {
      looks++;
      return answer;
    };
    expect(await withLock(lock, ready, async () => 'worked', DEFAULT_LOCK_TIMING)).toBe(
      'from the holder',
    );
    // It slept pollMs (25 ms) between looks rather than spinning: a few looks (a loaded machine may add some), not hundreds.
    expect(looks).toBeGreaterThanOrEqual(2);
    expect(looks).toBeLessThanOrEqual(20);
  });
});
