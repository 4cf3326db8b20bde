/** src/refresh/store.ts and src/refresh/oidc.ts: the program's files, its lock, its token request. */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readIfExists,
  withLock,
  writeAtomic,
  type LockTiming,
} from '../../../../src/connect/refresh/store.js';
import {
  NoTokenEndpointError,
  requestIdToken,
  type Fetch,
} from '../../../../src/connect/refresh/oidc.js';
import { isRetryable } from '../../../../src/shared/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'refresh-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('files', () => {
  test('readIfExists tells absent from present', async () => {
    expect(await readIfExists(join(dir, 'none'))).toBeUndefined();
    writeFileSync(join(dir, 'a'), 'text');
    expect(await readIfExists(join(dir, 'a'))).toBe('text');
  });

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

describe('requestIdToken', () => {
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-1',
  };
  const answer =
    (status: number, body: string): Fetch =>
    async () =>
      new Response(body, { status, headers: { 'content-type': 'application/json' } });

  test('GETs the URL with the audience and the bearer token, as core.getIDToken does', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetchFn = (async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), auth: new Headers(init.headers).get('authorization') });
      return new Response('{"value":"eyJ.jwt.sig"}', { status: 200 });
    }) as Fetch;
    expect(await requestIdToken(env, 'sts.amazonaws.com', fetchFn)).toBe('eyJ.jwt.sig');
    expect(seen).toEqual([
      {
        url: 'https://token.example/x?api-version=2.0&audience=sts.amazonaws.com',
        auth: 'Bearer bearer-1',
      },
    ]);
  });

  test('without the variables: a plain reason that no retry will cure', async () => {
    const err = await requestIdToken({}, 'a', answer(200, '{}')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoTokenEndpointError);
    expect((err as Error).message).toMatch(/id-token: write/);
    expect(isRetryable(err)).toBe(false);
  });

  test('HTTP errors carry their status: a 5xx is retried, a 401 is not', async () => {
    const e500 = await requestIdToken(env, 'a', answer(503, '')).catch((e: unknown) => e);
    const e401 = await requestIdToken(env, 'a', answer(401, '{"message":"Bad credentials"}')).catch(
      (e: unknown) => e,
    );
    expect((e500 as Error).message).toBe('the GitHub OIDC token endpoint answered HTTP 503');
    expect(isRetryable(e500)).toBe(true);
    expect(isRetryable(e401)).toBe(false);
  });

  test('a network failure is retried; an answer without a token is not', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as Fetch;
    const net = await requestIdToken(env, 'a', refused).catch((e: unknown) => e);
    expect((net as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(isRetryable(net)).toBe(true);
    await expect(requestIdToken(env, 'a', answer(200, '{}'))).rejects.toThrow(/without a token/);
    await expect(requestIdToken(env, 'a', answer(200, '<html>'))).rejects.toThrow(
      /other than JSON/,
    );
  });
});
