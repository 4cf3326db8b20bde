/**
 * A loopback stand-in for GitHub's OIDC token endpoint. Set ACTIONS_ID_TOKEN_REQUEST_URL=url and
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN=requestToken; `core.getIDToken(aud)` then GETs
 * `url&audience=aud` with `Authorization: Bearer <requestToken>` and gets `{"value": "<jwt>"}`.
 * The JWT is well formed but its signature is fake: moto never checks it, and the proxy's
 * web-identity emulation reads the claims without verifying it.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of `startOidc`. */
export interface OidcOptions {
  /** Serve exactly this token instead of a generated JWT. */
  token?: string;
  /** The bearer token callers must present; default random. */
  requestToken?: string;
  /** Claims added to (or replacing) the generated ones. */
  claims?: Record<string, unknown>;
  /** Lifetime of generated tokens in seconds (default 300; negative: already expired). */
  ttlSeconds?: number;
}

/** A running OIDC endpoint. */
export interface OidcServer {
  /** ACTIONS_ID_TOKEN_REQUEST_URL (already has a query string, as GitHub's does). */
  readonly url: string;
  readonly requestToken: string;
  /** Authorised token requests, in order. */
  readonly requests: { audience: string }[];
  /** Requests refused for a missing or wrong bearer token. */
  readonly refused: number;
  stop(): Promise<void>;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** GitHub-like claims for repo octo/app on refs/heads/main. */
export function githubClaims(audience: string, ttlSeconds = 300): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo/app:ref:refs/heads/main',
    aud: audience,
    iat: now,
    nbf: now - 5,
    exp: now + ttlSeconds,
    jti: randomBytes(8).toString('hex'),
    ref: 'refs/heads/main',
    sha: 'abc',
    repository: 'octo/app',
    repository_id: '100200300',
    repository_owner: 'octo',
    repository_owner_id: '4040',
    run_id: '777',
    run_attempt: '1',
    actor: 'octocat',
    workflow: 'ci',
    event_name: 'push',
    job_workflow_ref: 'octo/app/.github/workflows/ci.yml@refs/heads/main',
  };
}

/** An unsigned-but-well-formed JWT (`header.payload.signature`, base64url) carrying `claims`. */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64url(claims)}.${randomBytes(32).toString('base64url')}`;
}

/** Starts the endpoint on a free loopback port. */
export async function startOidc(opts: OidcOptions = {}): Promise<OidcServer> {
  const requestToken = opts.requestToken ?? randomBytes(16).toString('hex');
  const requests: { audience: string }[] = [];
  let refused = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || req.headers.authorization !== `Bearer ${requestToken}`) {
      refused += 1;
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"message":"Bad credentials"}');
      return;
    }
    const audience = url.searchParams.get('audience') ?? 'https://github.com/octo';
    requests.push({ audience });
    const value =
      opts.token ?? fakeJwt({ ...githubClaims(audience, opts.ttlSeconds), ...opts.claims });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token?api-version=2.0`,
    requestToken,
    requests,
    get refused() {
      return refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
