/**
 * `refresh: true`: after the main step has resolved the whole plan, it exports profiles whose
 * credentials come from the refresh program (`credential_process`) rather than fixed keys.
 * This module decides the files main writes into its own directory: the AWS config file and
 * refresh.json (the non-secret plan the program runs).
 *
 * With keys as the base (session credentials), the renewal material stays out of files: a
 * credential agent (agent.ts), started once the directory exists, holds the session and the
 * first answers in memory and answers only for the exported profiles. On Windows, where the
 * agent's socket would be a named pipe with a default ACL broader than the user, the session
 * goes to session.json as before, with a warning. For the other bases (a fresh OIDC token, a
 * token file, the default chain: material that is not the step's to hide) a cache per profile
 * holds the credentials just resolved, so the first call costs nothing.
 *
 * A long-term key is never written: static keys (and long-term keys that the default chain
 * took from the environment, which later steps no longer see) are exchanged once for
 * GetSessionToken credentials lasting `refresh-window`, and only those are kept.
 */
import { access } from 'node:fs/promises';
import { join, posix, resolve, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaseCredentials } from '../resolve/base.js';
import { describeFailure } from '../resolve/hints.js';
import type { ExportFile, RefreshExport } from '../export/exports.js';
import type { Plan } from '../model.js';
import type { Credentials } from '../../aws/credentials.js';
import type { Resolution } from '../resolve/resolve.js';
import { withRetry, type RetryPolicy } from '../../shared/retry.js';
import type { StsPort } from '../../aws/sts.js';
import {
  cacheFileName,
  credentialProcess,
  DEFAULT_CHAIN_VARIABLES,
  primaryRefreshProfile,
  REFRESH_CONFIG_VERSION,
  refreshProfileNames,
  RefreshFile,
  type ProgramLocation,
  type RefreshBase,
  type RefreshConfig,
  type SessionFile,
} from './config.js';
import {
  renderProcessCredentials,
  toProcessCredentials,
  type ProcessCredentials,
} from './output.js';
import { AGENT_SOCKET } from './agent-protocol.js';
import { AGENT_MATERIAL_VERSION, type AgentMaterial } from './agent.js';
import {
  agentVariables,
  startAgent,
  type AgentRecord,
  type StartAgentOptions,
} from './agent-start.js';

/** What main already has that the profiles need. */
export interface RefreshContext {
  /** The base credentials main resolved (static keys are exchanged for a session). */
  base: BaseCredentials;
  sts: StsPort;
  retry: RetryPolicy;
  /** Main's environment. */
  env: NodeJS.ProcessEnv;
  info: (message: string) => void;
  warning: (message: string) => void;
  /** Where the program is; defaults: this node, dist/refresh/index.js beside this bundle. */
  location?: Partial<ProgramLocation>;
  /** Resolves a relative web-identity-token-file (default: the working directory). */
  cwd?: string;
  now?: () => number;
  /** Starts the credential agent (default: agent-start.ts). */
  startAgent?: (options: StartAgentOptions) => Promise<AgentRecord>;
}

/** The refresh export, and for an agent, how to start it once the step's directory exists. */
export interface RefreshProfiles extends RefreshExport {
  startAgent?: () => Promise<AgentRecord>;
}

/**
 * `dist/refresh/index.js` of the running action, beside the bundle this module is in, as a
 * path of `platform` (a parameter so Windows paths are tested on any host).
 */
export function refreshProgramPath(
  moduleUrl: string = import.meta.url,
  platform: NodeJS.Platform = process.platform,
): string {
  const windows = platform === 'win32';
  const paths = windows ? win32 : posix;
  // Built by hand rather than with `new URL(…, import.meta.url)`, which the bundler would
  // take for an asset to copy into dist/main.
  const bundleDir = paths.dirname(fileURLToPath(moduleUrl, { windows }));
  return paths.join(bundleDir, '..', ['refresh', 'index.js'].join('/'));
}

/**
 * The refresh profiles (each a `credential_process` command) and the files they need; makes
 * one GetSessionToken call for a key base. export/exports.ts writes the profiles into the
 * step's config file.
 */
export async function buildRefreshProfiles(
  plan: Plan,
  resolution: Resolution,
  dir: string,
  ctx: RefreshContext,
): Promise<RefreshProfiles> {
  const where: ProgramLocation = {
    node: ctx.location?.node ?? process.execPath,
    program: ctx.location?.program ?? refreshProgramPath(),
    platform: ctx.location?.platform ?? process.platform,
  };
  try {
    await access(where.program);
  } catch {
    throw new Error(`refresh: the refresh program ${where.program} is missing from the action`);
  }
  const now = ctx.now ?? Date.now;
  const configPath = join(dir, RefreshFile.Plan);
  const profiles = refreshProfileNames(plan);
  const byName = new Map(resolution.connections.map((c) => [c.spec.name, c]));

  const files: ExportFile[] = [];
  const { base: resolvedBase, session } = await refreshBase(plan, ctx);
  const agent = resolvedBase.kind === 'session' && session && where.platform !== 'win32';
  let base: RefreshBase = resolvedBase;
  const until =
    session?.expiration ?? new Date(now() + plan.refreshWindowSeconds * 1000).toISOString();
  if (agent && resolvedBase.kind === 'session') {
    base = { ...resolvedBase, kind: 'agent', socket: AGENT_SOCKET, until };
  } else if (session) {
    if (where.platform === 'win32') ctx.warning(WINDOWS_SESSION_WARNING);
    files.push({ name: RefreshFile.Session, content: `${JSON.stringify(session)}\n` });
  }

  const config: RefreshConfig = {
    version: REFRESH_CONFIG_VERSION,
    region: plan.region,
    retryMaxAttempts: plan.retryMaxAttempts,
    named: plan.named,
    base,
    connections: plan.connections,
    profiles: Object.fromEntries(profiles),
  };
  if (plan.stsEndpoint !== undefined) config.stsEndpoint = plan.stsEndpoint;
  if (plan.proxy !== undefined) {
    if (hasUserInfo(plan.proxy)) {
      // The agent has it in memory; the program of the other bases reads its own variables.
      if (!agent)
        ctx.warning(
          'refresh: the proxy address holds credentials, which are not written to disk: refreshes use HTTPS_PROXY / HTTP_PROXY of the process that reads the profile.',
        );
    } else {
      config.proxy = plan.proxy;
    }
  }
  files.push({ name: RefreshFile.Plan, content: `${JSON.stringify(config, null, 2)}\n` });

  const entries = profiles.map(([profile, connection]) => ({
    name: profile,
    connection,
    region: byName.get(connection)?.spec.region ?? plan.region,
    command: credentialProcess(where, configPath, profile),
  }));

  // The first answer of each profile is what main just resolved.
  const seed: Record<string, ProcessCredentials> = {};
  for (const [profile, connection] of profiles) {
    const result = byName.get(connection);
    if (!result?.session.credentials.expiration) continue;
    const fallback = new Date(now() + result.spec.durationSeconds * 1000);
    seed[profile] = toProcessCredentials(result.session.credentials, fallback);
  }
  if (!agent) {
    for (const [profile, answer] of Object.entries(seed))
      files.push({ name: cacheFileName(profile), content: renderProcessCredentials(answer) });
  }
  ctx.info(
    `Refresh: ${profiles.length} profile${profiles.length === 1 ? '' : 's'} (${profiles.map(([p]) => p).join(', ')}) renewed by credential_process from ${describeRefreshBase(base)}.`,
  );
  // With keys as the base, renewals stop when the kept session does (the end of refresh-window).
  const renewal = { from: describeRefreshBase(base) };
  const primary = primaryRefreshProfile(plan);
  const result: RefreshProfiles = {
    files,
    profiles: entries,
    ...(primary !== undefined && { primary }),
    renewal: session?.expiration ? { ...renewal, until: new Date(session.expiration) } : renewal,
  };
  if (agent && session) {
    // In memory only: the plan with the proxy as main has it (a password included).
    const material: AgentMaterial = {
      version: AGENT_MATERIAL_VERSION,
      config: {
        ...config,
        base: resolvedBase,
        ...(plan.proxy === undefined ? {} : { proxy: plan.proxy }),
      },
      session,
      seed,
      until: Date.parse(until),
      env: agentVariables(ctx.env),
    };
    const start = ctx.startAgent ?? startAgent;
    result.startAgent = () =>
      start({ node: where.node, program: where.program, dir, material, env: ctx.env });
  }
  return result;
}

/** Why a key base keeps its session in a file on Windows. */
export const WINDOWS_SESSION_WARNING =
  "refresh: on Windows the refresh session is kept in session.json in the step's directory (the credential agent's socket would be a named pipe, whose default ACL lets other accounts read it): any later step of this job can read that session and assume the first role with it until refresh-window ends. Prefer OIDC as the base, or a Linux or macOS runner.";

/** Where refreshes get their base, and the session credentials to keep for a key base. */
async function refreshBase(
  plan: Plan,
  ctx: RefreshContext,
): Promise<{ base: RefreshBase; session?: SessionFile }> {
  const window = plan.refreshWindowSeconds;
  switch (plan.base.kind) {
    case 'oidc':
      return { base: { kind: 'oidc', audience: plan.base.audience } };
    case 'web-identity-file':
      return {
        base: {
          kind: 'web-identity-file',
          path: resolve(ctx.cwd ?? process.cwd(), plan.base.path),
        },
      };
    case 'static':
      return keyBase(ctx, requireKeys(ctx.base), window);
    case 'default-chain': {
      const keys = requireKeys(ctx.base);
      // Later steps see the AWS_* key variables blanked (they would win over the profile),
      // so keys the chain took from the environment cannot be found again: keep a session.
      const fromEnvironment =
        !ctx.env['AWS_PROFILE'] && ctx.env['AWS_ACCESS_KEY_ID'] === keys.accessKeyId;
      if (fromEnvironment) return keyBase(ctx, keys, window);
      const env = Object.fromEntries(
        DEFAULT_CHAIN_VARIABLES.map((name) => [name, ctx.env[name] || null]),
      ) as Record<(typeof DEFAULT_CHAIN_VARIABLES)[number], string | null>;
      return { base: { kind: 'default-chain', env } };
    }
  }
}

function requireKeys(base: BaseCredentials): Credentials {
  if (base.kind !== 'credentials') throw new Error('refresh: the base credentials are not keys');
  return base.credentials;
}

/** Keys: long-term ones are exchanged for a session of `window`; temporary ones are kept. */
async function keyBase(
  ctx: RefreshContext,
  keys: Credentials,
  window: number,
): Promise<{ base: RefreshBase; session: SessionFile }> {
  if (keys.sessionToken !== undefined) {
    ctx.warning(
      'refresh: the base keys are temporary; the profiles renew only until they expire. Long-term keys (exchanged for a session of refresh-window) or OIDC renew for longer.',
    );
    const session: SessionFile = {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      sessionToken: keys.sessionToken,
    };
    if (keys.expiration) session.expiration = keys.expiration.toISOString();
    return { base: { kind: 'session', origin: 'given', windowSeconds: window }, session };
  }
  let credentials: Credentials;
  try {
    credentials = await withRetry(() => ctx.sts.getSessionToken(keys, window), ctx.retry);
  } catch (err) {
    throw new Error(
      `refresh: ${describeFailure(err, { label: 'exchanging the base keys for a refresh session (GetSessionToken)', base: ctx.base })}`,
      { cause: err },
    );
  }
  const session: SessionFile = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
  };
  if (credentials.sessionToken !== undefined) session.sessionToken = credentials.sessionToken;
  if (credentials.expiration) session.expiration = credentials.expiration.toISOString();
  ctx.info(
    `Refresh: exchanged the base keys for session credentials (GetSessionToken, ${window} s, until ${session.expiration ?? 'unknown'}); only those are kept.`,
  );
  return { base: { kind: 'session', origin: 'get-session-token', windowSeconds: window }, session };
}

function describeRefreshBase(base: RefreshBase): string {
  switch (base.kind) {
    case 'session':
      return base.origin === 'given'
        ? 'the temporary base keys'
        : 'session credentials (refresh-window)';
    case 'agent':
      return base.origin === 'given'
        ? 'the temporary base keys, held in memory by a credential agent'
        : 'session credentials (refresh-window), held in memory by a credential agent';
    case 'oidc':
      return 'a fresh GitHub OIDC token each time';
    case 'web-identity-file':
      return `the token file ${base.path}, read each time`;
    case 'default-chain':
      return 'the default provider chain, resolved each time';
  }
}

function hasUserInfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}
