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
import { withLock, writeAtomic, type LockTiming } from '../../../../src/connect/refresh/store.js';

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
});
