/** src/connect/refresh/oidc.ts: the refresh program's own GitHub OIDC token request. */
import {
  NoTokenEndpointError,
  requestIdToken,
  type Fetch,
} from '../../../../src/connect/refresh/oidc.js';
import { isRetryable } from '../../../../src/shared/errors.js';

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
