/**
 * A loopback fake of GitHub's REST API for Actions secrets (repository, environment and
 * organization scopes), served over real HTTP so Octokit runs unmodified against it.
 *
 * It follows docs.github.com "REST API endpoints for GitHub Actions secrets": each scope has
 * its own curve25519 key pair, writes are libsodium sealed boxes that the fake opens with its
 * private key (so tests can assert the plaintext), and lists are paged with `Link` headers so
 * `octokit.paginate` works. Plaintext never goes into `requests`, responses or error messages.
 *
 * Deliberate choices where GitHub's behaviour is undocumented, chosen to be the strictest:
 * an organization PUT with `visibility: selected` and no `selected_repository_ids` leaves the
 * secret shared with no repository; the read-only token gets 403 on every secrets endpoint.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
// The package's ESM build exports the crypto functions only on its default export.
import sodium from 'libsodium-wrappers';

/** Where a secret lives. */
export type SecretTarget =
  | { kind: 'repo'; repo: string }
  | { kind: 'env'; repo: string; env: string }
  | { kind: 'org'; org: string };

/** Who may read an organization secret. */
export type OrgVisibility = 'all' | 'private' | 'selected';

/** What the fake holds for one secret: the opened plaintext and bookkeeping. */
export interface StoredSecret {
  /** The plaintext (opened from the sealed box at write time). */
  value: string;
  /** The scope's key id the value was sealed with (current key id for `setSecret`). */
  keyId: string;
  /** ISO time, second precision, as GitHub reports it. */
  createdAt: string;
  /** ISO time, second precision, as GitHub reports it. */
  updatedAt: string;
  /** Successful writes through the API (0 for a secret only set with `setSecret`). */
  writes: number;
  /** Organization secrets only. */
  visibility?: OrgVisibility;
  /** Organization secrets with visibility `selected` only. */
  selectedRepositoryIds?: number[];
}

/** A canned failure for matching requests. */
export type Fault =
  | { status: number; message?: string; headers?: Record<string, string> }
  | { kind: 'reset' }
  | { kind: 'latency'; ms: number };

/** Applies `fault` to the next `times` requests matching `method` and `path`. */
export interface FaultRule {
  /** HTTP method, any case; all methods when absent. */
  method?: string;
  /** Tested against the request path without its query; all paths when absent. */
  path?: RegExp;
  /** How many matching requests it hits (default 1; `Infinity` for all). */
  times?: number;
  /** A status answer (the request is not processed), a reset socket, or a delay before normal processing. */
  fault: Fault;
}

/** One request as the fake saw it: the path is as sent (still URL-encoded), without query. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body (sealed values only, never plaintext). */
  body?: unknown;
  /** The status answered; absent while in flight or when the socket was reset. */
  status?: number;
}

/** Organization sharing options for `setSecret`. */
export interface OrgSecretOptions {
  visibility: OrgVisibility;
  selectedRepositoryIds?: number[];
}

/** A running fake. */
export interface GithubFake {
  /** `http://127.0.0.1:PORT`, for `GITHUB_API_URL` or Octokit's `baseUrl`. */
  url: string;
  /** A token that may read and write secrets. */
  token: string;
  /** A token like the default GITHUB_TOKEN: 403 "Resource not accessible by integration" on secrets endpoints. */
  readOnlyToken: string;
  /** Adds a repository, e.g. `octo/app`, with an id (generated when absent). */
  addRepo(fullName: string, id?: number): void;
  /** Adds an environment to a known repository. */
  addEnvironment(fullName: string, env: string): void;
  /** Adds an organization (its repositories are added with `addRepo('org/name')`). */
  addOrg(org: string): void;
  /** Pre-existing secret (plaintext kept by the fake); `org` only for organization targets. */
  setSecret(target: SecretTarget, name: string, value: string, org?: OrgSecretOptions): void;
  /** What is stored: the fake opens each sealed box with its private key at write time and keeps the plaintext. */
  secret(target: SecretTarget, name: string): StoredSecret | undefined;
  /** The scope's current public key, as the public-key endpoint returns it. */
  publicKey(target: SecretTarget): { keyId: string; key: string };
  /** Change a scope's public key (so a client holding the old key_id gets 422 on write). */
  rotatePublicKey(target: SecretTarget): void;
  /** Adds a fault rule; rules are tried in the order added, one per request. */
  inject(rule: FaultRule): void;
  /** Removes every fault rule. */
  clearFaults(): void;
  /** Every request in arrival order; empty it with `requests.length = 0`. */
  readonly requests: RecordedRequest[];
  /** Optional hook run after each successful secret write, before the answer is sent; awaited. */
  onWrite?: (target: SecretTarget, name: string) => void | Promise<void>;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

/** Parses `repo:octo/app`, `env:octo/app/production` or `org:octo`. */
export function parseTarget(text: string): SecretTarget {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  const parts = rest.split('/');
  if (colon > 0 && kind === 'repo' && parts.length === 2 && parts.every((p) => p !== '')) {
    return { kind: 'repo', repo: rest };
  }
  if (colon > 0 && kind === 'env' && parts.length >= 3 && parts.every((p) => p !== '')) {
    return { kind: 'env', repo: `${parts[0]}/${parts[1]}`, env: parts.slice(2).join('/') };
  }
  if (colon > 0 && kind === 'org' && parts.length === 1 && rest !== '') {
    return { kind: 'org', org: rest };
  }
  throw new Error(
    `not a secret target: "${text}" (expected repo:OWNER/REPO, env:OWNER/REPO/ENV or org:ORG)`,
  );
}

interface Scope {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
  secrets: Map<string, StoredSecret>;
}

interface Repo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  scope: Scope;
  envs: Map<string, { id: number; name: string; createdAt: string; scope: Scope }>;
}

interface Org {
  id: number;
  login: string;
  scope: Scope;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown inside a handler to answer with a GitHub error body. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest/actions/secrets';
const MAX_BODY = 1024 * 1024;
const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function errorBody(status: number, message: string): Record<string, string> {
  return { message, documentation_url: DOCS, status: String(status) };
}

function newToken(): string {
  return `ghs_${randomBytes(18).toString('hex')}`;
}

function newKeyId(): string {
  // GitHub's key ids are long decimal strings.
  return randomBytes(8).readBigUInt64BE().toString().padStart(19, '1');
}

function newScope(): Scope {
  const pair = sodium.crypto_box_keypair();
  return {
    keyId: newKeyId(),
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    secrets: new Map(),
  };
}

function copy(secret: StoredSecret): StoredSecret {
  const out: StoredSecret = { ...secret };
  if (secret.selectedRepositoryIds) out.selectedRepositoryIds = [...secret.selectedRepositoryIds];
  return out;
}

function normalizeName(name: string): string {
  return name.toUpperCase();
}

/** `selected_repository_ids` as numbers; the schema allows integers or their decimal strings. */
function repositoryIds(raw: unknown): number[] {
  const ok =
    Array.isArray(raw) &&
    raw.every(
      (i) =>
        (typeof i === 'number' && Number.isInteger(i)) ||
        (typeof i === 'string' && /^\d+$/.test(i)),
    );
  if (!ok) {
    throw new HttpError(
      422,
      `Invalid request.\n\nselected_repository_ids must be an array of repository ids.`,
    );
  }
  return (raw as (number | string)[]).map(Number);
}

function validateName(name: string): void {
  if (!SECRET_NAME.test(name) || name.startsWith('GITHUB_')) {
    throw new HttpError(
      422,
      `Invalid request.\n\nSecret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), must not start with a number or GITHUB_.`,
    );
  }
}

/** Starts a fake on 127.0.0.1 with a random port. */
export async function startGithubFake(): Promise<GithubFake> {
  await sodium.ready;

  const repos = new Map<string, Repo>();
  const orgs = new Map<string, Org>();
  const faults: { rule: FaultRule; left: number }[] = [];
  const requests: RecordedRequest[] = [];
  const token = newToken();
  const readOnlyToken = newToken();
  // Pending latency faults, so stop() can end them instead of leaving timers behind.
  const delays = new Map<NodeJS.Timeout, () => void>();
  let nextId = 100_000;
  let url = '';

  const repoOf = (fullName: string): Repo | undefined => repos.get(fullName.toLowerCase());

  function scopeOf(target: SecretTarget): Scope | undefined {
    switch (target.kind) {
      case 'repo':
        return repoOf(target.repo)?.scope;
      case 'env':
        return repoOf(target.repo)?.envs.get(target.env.toLowerCase())?.scope;
      case 'org':
        return orgs.get(target.org.toLowerCase())?.scope;
    }
  }

  function mustScope(target: SecretTarget): Scope {
    const scope = scopeOf(target);
    if (!scope) throw new Error(`github-fake: unknown scope ${JSON.stringify(target)}`);
    return scope;
  }

  /** Checks that every id is a repository of `org`; returns the message of the first that is not. */
  function foreignRepo(org: string, ids: readonly number[]): string | undefined {
    for (const id of ids) {
      const repo = [...repos.values()].find((r) => r.id === id);
      if (!repo || repo.owner.toLowerCase() !== org.toLowerCase()) {
        return `Invalid request.\n\nRepository ${id} is not a repository of ${org}.`;
      }
    }
    return undefined;
  }

  function nextPageLinks(req: URL, page: number, last: number): Record<string, string> {
    if (last <= 1) return {};
    const link = (p: number, rel: string): string => {
      const u = new URL(req.pathname + req.search, url);
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(link(page - 1, 'prev'));
    if (page < last) parts.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) parts.push(link(1, 'first'));
    return { link: parts.join(', ') };
  }

  function paged<T>(reqUrl: URL, key: string, items: T[]): Reply {
    const perPage = Math.min(
      100,
      Math.max(1, Number(reqUrl.searchParams.get('per_page') ?? 30) || 30),
    );
    const page = Math.max(1, Number(reqUrl.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    return {
      status: 200,
      body: { total_count: items.length, [key]: items.slice((page - 1) * perPage, page * perPage) },
      headers: nextPageLinks(reqUrl, page, last),
    };
  }

  function repoJson(repo: Repo): Record<string, unknown> {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      private: true,
      owner: {
        login: repo.owner,
        type: orgs.has(repo.owner.toLowerCase()) ? 'Organization' : 'User',
      },
      html_url: `https://github.com/${repo.fullName}`,
      url: `${url}/repos/${repo.fullName}`,
    };
  }

  function secretJson(name: string, s: StoredSecret, orgPath?: string): Record<string, unknown> {
    const out: Record<string, unknown> = { name, created_at: s.createdAt, updated_at: s.updatedAt };
    if (orgPath !== undefined) {
      out['visibility'] = s.visibility;
      if (s.visibility === 'selected') {
        out['selected_repositories_url'] =
          `${url}${orgPath}/${encodeURIComponent(name)}/repositories`;
      }
    }
    return out;
  }

  /** Opens the sealed box of a PUT body; throws 422 like GitHub on a stale key or a bad box. */
  function openBox(scope: Scope, body: Record<string, unknown>): string {
    const { encrypted_value: sealed, key_id: keyId } = body;
    if (typeof sealed !== 'string') {
      throw new HttpError(422, `Invalid request.\n\n"encrypted_value" wasn't supplied.`);
    }
    if (typeof keyId !== 'string') {
      throw new HttpError(422, `Invalid request.\n\n"key_id" wasn't supplied.`);
    }
    if (keyId !== scope.keyId) {
      throw new HttpError(
        422,
        `Invalid request.\n\nkey_id ${keyId} is not the current public key.`,
      );
    }
    try {
      const box = sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL);
      const plain = sodium.crypto_box_seal_open(box, scope.publicKey, scope.privateKey);
      return Buffer.from(plain).toString('utf8');
    } catch {
      throw new HttpError(
        422,
        `Invalid request.\n\nencrypted_value could not be decrypted with key_id ${keyId}.`,
      );
    }
  }

  async function write(
    target: SecretTarget,
    scope: Scope,
    name: string,
    value: string,
    keyId: string,
    org?: OrgSecretOptions,
  ): Promise<Reply> {
    const old = scope.secrets.get(name);
    const time = now();
    const stored: StoredSecret = {
      value,
      keyId,
      createdAt: old?.createdAt ?? time,
      updatedAt: time,
      writes: (old?.writes ?? 0) + 1,
    };
    if (org) {
      stored.visibility = org.visibility;
      if (org.selectedRepositoryIds) stored.selectedRepositoryIds = [...org.selectedRepositoryIds];
    }
    scope.secrets.set(name, stored);
    await fake.onWrite?.(target, name);
    return old ? { status: 204 } : { status: 201, body: {} };
  }

  function secretsRoutes(
    method: string,
    rest: string[],
    reqUrl: URL,
    target: SecretTarget,
    scope: Scope,
    body: unknown,
    orgPath?: string,
  ): Reply | Promise<Reply> | undefined {
    if (rest.length === 0 && method === 'GET') {
      const items = [...scope.secrets.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, s]) => secretJson(name, s, orgPath));
      return paged(reqUrl, 'secrets', items);
    }
    if (rest.length === 1 && rest[0] === 'public-key' && method === 'GET') {
      return {
        status: 200,
        body: {
          key_id: scope.keyId,
          key: sodium.to_base64(scope.publicKey, sodium.base64_variants.ORIGINAL),
        },
      };
    }
    if (rest.length < 1 || rest.length > 2 || rest[0] === undefined) return undefined;
    const name = normalizeName(rest[0]);
    const existing = scope.secrets.get(name);
    if (rest.length === 1 && method === 'GET') {
      if (!existing) throw new HttpError(404, 'Not Found');
      return { status: 200, body: secretJson(name, existing, orgPath) };
    }
    if (rest.length === 1 && method === 'DELETE') {
      if (!existing) throw new HttpError(404, 'Not Found');
      scope.secrets.delete(name);
      return { status: 204 };
    }
    if (rest.length === 1 && method === 'PUT') {
      validateName(name);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new HttpError(422, `Invalid request.\n\n"encrypted_value" wasn't supplied.`);
      }
      const fields = body as Record<string, unknown>;
      if (target.kind !== 'org')
        return write(target, scope, name, openBox(scope, fields), scope.keyId);
      const { visibility, selected_repository_ids: ids } = fields;
      if (visibility === undefined) {
        throw new HttpError(422, `Invalid request.\n\n"visibility" wasn't supplied.`);
      }
      if (visibility !== 'all' && visibility !== 'private' && visibility !== 'selected') {
        throw new HttpError(
          422,
          `Invalid request.\n\nvisibility must be one of all, private, selected.`,
        );
      }
      let selected: number[] | undefined;
      if (visibility === 'selected') {
        selected = ids === undefined ? [] : repositoryIds(ids);
        const bad = foreignRepo(target.org, selected);
        if (bad) throw new HttpError(422, bad);
      }
      const sharing: OrgSecretOptions = selected
        ? { visibility, selectedRepositoryIds: selected }
        : { visibility };
      // The schema makes the value optional for organization secrets: a PUT without it only
      // changes who may read an existing secret.
      if (fields['encrypted_value'] === undefined && fields['key_id'] === undefined && existing) {
        return write(target, scope, name, existing.value, existing.keyId, sharing);
      }
      return write(target, scope, name, openBox(scope, fields), scope.keyId, sharing);
    }
    if (rest.length === 2 && rest[1] === 'repositories' && orgPath !== undefined) {
      if (!existing) throw new HttpError(404, 'Not Found');
      if (existing.visibility !== 'selected') {
        throw new HttpError(409, `The visibility of the secret is not set to selected.`);
      }
      if (method === 'GET') {
        const list = (existing.selectedRepositoryIds ?? []).flatMap((id) => {
          const repo = [...repos.values()].find((r) => r.id === id);
          return repo ? [repoJson(repo)] : [];
        });
        return paged(reqUrl, 'repositories', list);
      }
      if (method === 'PUT' && target.kind === 'org') {
        const raw = (body as { selected_repository_ids?: unknown } | undefined)
          ?.selected_repository_ids;
        if (raw === undefined) {
          throw new HttpError(
            422,
            `Invalid request.\n\n"selected_repository_ids" wasn't supplied.`,
          );
        }
        const ids = repositoryIds(raw);
        const bad = foreignRepo(target.org, ids);
        if (bad) throw new HttpError(422, bad);
        existing.selectedRepositoryIds = ids;
        return { status: 204 };
      }
    }
    return undefined;
  }

  /** Routes an authenticated request; undefined means 404. */
  function route(
    method: string,
    segments: string[],
    reqUrl: URL,
    body: unknown,
  ): Reply | Promise<Reply> | undefined {
    const [top, a, b, c, d, e, ...more] = segments;
    if (top === 'repos' && a !== undefined && b !== undefined) {
      const repo = repoOf(`${a}/${b}`);
      if (!repo) throw new HttpError(404, 'Not Found');
      if (c === undefined)
        return method === 'GET' ? { status: 200, body: repoJson(repo) } : undefined;
      if (c === 'actions' && d === 'secrets') {
        const rest = [e, ...more].filter((s): s is string => s !== undefined);
        return secretsRoutes(
          method,
          rest,
          reqUrl,
          { kind: 'repo', repo: repo.fullName },
          repo.scope,
          body,
        );
      }
      if (c === 'actions' && d === 'organization-secrets' && e === undefined && method === 'GET') {
        const org = orgs.get(repo.owner.toLowerCase());
        const items = org
          ? [...org.scope.secrets.entries()]
              .filter(
                ([, s]) =>
                  s.visibility !== 'selected' || (s.selectedRepositoryIds ?? []).includes(repo.id),
              )
              .map(([name, s]) => ({
                name,
                created_at: s.createdAt,
                updated_at: s.updatedAt,
                visibility: s.visibility,
              }))
          : [];
        return paged(reqUrl, 'secrets', items);
      }
      if (c === 'environments' && d === undefined && method === 'GET') {
        // GET /repos/{owner}/{repo}/environments: paged, `total_count` and `environments`.
        const items = [...repo.envs.values()].map((env) => ({
          id: env.id,
          node_id: `EN_${env.id}`,
          name: env.name,
          created_at: env.createdAt,
          updated_at: env.createdAt,
        }));
        return paged(reqUrl, 'environments', items);
      }
      if (c === 'environments' && d !== undefined) {
        const env = repo.envs.get(d.toLowerCase());
        if (!env) throw new HttpError(404, 'Not Found');
        if (e === undefined) {
          if (method !== 'GET') return undefined;
          return {
            status: 200,
            body: {
              id: env.id,
              node_id: `EN_${env.id}`,
              name: env.name,
              url: `${url}/repos/${repo.fullName}/environments/${encodeURIComponent(env.name)}`,
              html_url: `https://github.com/${repo.fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
              created_at: env.createdAt,
              updated_at: env.createdAt,
              protection_rules: [],
              deployment_branch_policy: null,
            },
          };
        }
        if (e === 'secrets') {
          const target: SecretTarget = { kind: 'env', repo: repo.fullName, env: env.name };
          return secretsRoutes(method, more, reqUrl, target, env.scope, body);
        }
      }
      return undefined;
    }
    if (top === 'orgs' && a !== undefined && b === 'actions' && c === 'secrets') {
      const org = orgs.get(a.toLowerCase());
      if (!org) throw new HttpError(404, 'Not Found');
      const rest = [d, e, ...more].filter((s): s is string => s !== undefined);
      const orgPath = `/orgs/${org.login}/actions/secrets`;
      return secretsRoutes(
        method,
        rest,
        reqUrl,
        { kind: 'org', org: org.login },
        org.scope,
        body,
        orgPath,
      );
    }
    return undefined;
  }

  function send(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
    record.status = reply.status;
    const headers: Record<string, string> = {
      'x-github-media-type': 'github.v3; format=json',
      ...reply.headers,
    };
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    const text = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers).end(text);
  }

  function takeFault(method: string, path: string): Fault | undefined {
    for (const entry of faults) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path) {
        rule.path.lastIndex = 0;
        if (!rule.path.test(path)) continue;
      }
      entry.left -= 1;
      return rule.fault;
    }
    return undefined;
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > MAX_BODY) throw new HttpError(413, 'Payload Too Large');
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const reqUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = { method, path: reqUrl.pathname };
    requests.push(record);
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      send(res, record, { status: 413, body: errorBody(413, (err as Error).message) });
      return;
    }
    let body: unknown;
    let badJson = false;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
        record.body = body;
      } catch {
        badJson = true;
      }
    }

    const fault = takeFault(method, reqUrl.pathname);
    if (fault && 'kind' in fault && fault.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault && 'kind' in fault && fault.kind === 'latency') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          delays.delete(timer);
          resolve();
        }, fault.ms);
        delays.set(timer, resolve);
      });
      if (res.destroyed || req.socket.destroyed) return;
    } else if (fault && 'status' in fault) {
      const message = fault.message ?? STATUS_CODES[fault.status] ?? 'Error';
      const reply: Reply = { status: fault.status, body: errorBody(fault.status, message) };
      if (fault.headers) reply.headers = fault.headers;
      send(res, record, reply);
      return;
    }

    const auth = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!auth) {
      send(res, record, { status: 401, body: errorBody(401, 'Requires authentication') });
      return;
    }
    if (auth[1] !== token && auth[1] !== readOnlyToken) {
      send(res, record, { status: 401, body: errorBody(401, 'Bad credentials') });
      return;
    }
    if (badJson) {
      send(res, record, { status: 400, body: errorBody(400, 'Problems parsing JSON') });
      return;
    }

    let segments: string[];
    try {
      segments = reqUrl.pathname
        .split('/')
        .filter((s) => s !== '')
        .map((s) => decodeURIComponent(s));
    } catch {
      send(res, record, { status: 404, body: errorBody(404, 'Not Found') });
      return;
    }
    const secretsPath = segments.includes('secrets') || segments.includes('organization-secrets');
    if (auth[1] === readOnlyToken && secretsPath) {
      send(res, record, {
        status: 403,
        body: errorBody(403, 'Resource not accessible by integration'),
      });
      return;
    }
    try {
      const reply = await route(method, segments, reqUrl, body);
      send(res, record, reply ?? { status: 404, body: errorBody(404, 'Not Found') });
    } catch (err) {
      if (err instanceof HttpError) {
        send(res, record, { status: err.status, body: errorBody(err.status, err.message) });
      } else {
        // A throwing onWrite hook or a bug in the fake: answer like GitHub's own 500.
        send(res, record, { status: 500, body: errorBody(500, 'Server Error') });
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: GithubFake = {
    url,
    token,
    readOnlyToken,
    requests,
    addRepo(fullName, id) {
      const [owner, name, ...extra] = fullName.split('/');
      if (!owner || !name || extra.length > 0)
        throw new Error(`github-fake: not OWNER/REPO: "${fullName}"`);
      const existing = repoOf(fullName);
      if (existing) {
        if (id !== undefined && id !== existing.id) {
          throw new Error(`github-fake: ${fullName} already exists with id ${existing.id}`);
        }
        return;
      }
      const repoId = id ?? nextId++;
      if ([...repos.values()].some((r) => r.id === repoId)) {
        throw new Error(`github-fake: repository id ${repoId} is taken`);
      }
      repos.set(fullName.toLowerCase(), {
        id: repoId,
        owner,
        name,
        fullName,
        scope: newScope(),
        envs: new Map(),
      });
    },
    addEnvironment(fullName, env) {
      const repo = repoOf(fullName);
      if (!repo) throw new Error(`github-fake: unknown repository ${fullName}`);
      if (repo.envs.has(env.toLowerCase())) return;
      repo.envs.set(env.toLowerCase(), {
        id: nextId++,
        name: env,
        createdAt: now(),
        scope: newScope(),
      });
    },
    addOrg(org) {
      if (orgs.has(org.toLowerCase())) return;
      orgs.set(org.toLowerCase(), { id: nextId++, login: org, scope: newScope() });
    },
    setSecret(target, name, value, org) {
      const scope = mustScope(target);
      const key = normalizeName(name);
      if (target.kind !== 'org' && org)
        throw new Error('github-fake: visibility is for organization secrets only');
      const time = now();
      const stored: StoredSecret = {
        value,
        keyId: scope.keyId,
        createdAt: time,
        updatedAt: time,
        writes: 0,
      };
      if (target.kind === 'org') {
        stored.visibility = org?.visibility ?? 'private';
        if (stored.visibility === 'selected') {
          const ids = org?.selectedRepositoryIds ?? [];
          const bad = foreignRepo(target.org, ids);
          if (bad) throw new Error(`github-fake: ${bad.replace(/\s+/g, ' ')}`);
          stored.selectedRepositoryIds = [...ids];
        }
      }
      scope.secrets.set(key, stored);
    },
    secret(target, name) {
      const stored = scopeOf(target)?.secrets.get(normalizeName(name));
      return stored ? copy(stored) : undefined;
    },
    publicKey(target) {
      const scope = mustScope(target);
      return {
        keyId: scope.keyId,
        key: sodium.to_base64(scope.publicKey, sodium.base64_variants.ORIGINAL),
      };
    },
    rotatePublicKey(target) {
      const scope = mustScope(target);
      const next = newScope();
      scope.keyId = next.keyId;
      scope.publicKey = next.publicKey;
      scope.privateKey = next.privateKey;
    },
    inject(rule) {
      faults.push({ rule, left: rule.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const [timer, resolve] of delays) {
        clearTimeout(timer);
        resolve();
      }
      delays.clear();
    },
  };
  return fake;
}
