/**
 * What main leaves for the refresh program, and the AWS config file that points consumers at
 * it. Pure: the file names, the shape of `refresh.json` (no secret in it) with a parser that
 * checks it, and the `credential_process` command line, quoted for the parsers that read it.
 */
import { CONNECTION_NAME, isExported, type ConnectionSpec, type Plan } from '../model.js';

/** File names inside the step's own directory (all of them; the post step removes the directory). */
export const RefreshFile = {
  /** The AWS config file (AWS_CONFIG_FILE): one profile per connection. */
  Config: 'config',
  /** The non-secret plan the refresh program runs ({@link RefreshConfig}). */
  Plan: 'refresh.json',
  /** Session credentials the refreshes assume the chain with ({@link SessionFile}). */
  Session: 'session.json',
} as const;

/** The cache of what the program last printed for `profile`. */
export function cacheFileName(profile: string): string {
  return `cache-${profile}.json`;
}

/** The profile of a role chain: a stable name, whatever the length of the chain. */
export const CHAIN_PROFILE = 'aws-connection';

/** Each profile and the connection it gives: every named connection, or the chain's last hop. */
export function refreshProfileNames(plan: Plan): [profile: string, connection: string][] {
  if (plan.named)
    return plan.connections.filter((c) => isExported(plan, c)).map((c) => [c.name, c.name]);
  const last = plan.connections.at(-1);
  return last ? [[plan.awsProfile ?? CHAIN_PROFILE, last.name]] : [];
}

/**
 * The profile a plain step gets (the config file's `default` renews as it): the chain's, or
 * the primary connection's; undefined for named connections without `connection`.
 */
export function primaryRefreshProfile(plan: Plan): string | undefined {
  if (!plan.named)
    return plan.connections.length > 0 ? (plan.awsProfile ?? CHAIN_PROFILE) : undefined;
  return plan.primary;
}

/** A profile name: a connection's name, so safe bare in a command line. */
export const PROFILE_NAME = CONNECTION_NAME;

/** The version of refresh.json; the program refuses any other. */
export const REFRESH_CONFIG_VERSION = 1;

/** Variables of the default provider chain that main saw, restored before each refresh. */
export const DEFAULT_CHAIN_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  // Later steps see these cleared (they would compete with the profiles): keep main's.
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;
export type DefaultChainVariable = (typeof DEFAULT_CHAIN_VARIABLES)[number];

/** Where session credentials came from: GetSessionToken, or given to the step as they are. */
export type SessionOrigin = 'get-session-token' | 'given';

/** Where each refresh gets the credentials that sign (or are) the first hop. */
export type RefreshBase =
  /** Session credentials in {@link RefreshFile.Session}: from GetSessionToken, or given as they are. */
  | { kind: 'session'; origin: SessionOrigin; windowSeconds: number }
  /**
   * The same session, held in memory by the credential agent (agent.ts), which answers on
   * `socket` (a name inside this file's directory) until `until` (ISO 8601).
   */
  | { kind: 'agent'; origin: SessionOrigin; windowSeconds: number; socket: string; until: string }
  /** A fresh GitHub OIDC token from ACTIONS_ID_TOKEN_REQUEST_URL. */
  | { kind: 'oidc'; audience: string }
  /** The token file, read again (an absolute path). */
  | { kind: 'web-identity-file'; path: string }
  /** The default provider chain, with main's values of these variables (null: unset). */
  | { kind: 'default-chain'; env: Record<DefaultChainVariable, string | null> };

/** refresh.json: everything a refresh needs, and no secret. */
export interface RefreshConfig {
  version: typeof REFRESH_CONFIG_VERSION;
  region: string;
  stsEndpoint?: string;
  /** A proxy without credentials in it; otherwise the program reads HTTPS_PROXY itself. */
  proxy?: string;
  retryMaxAttempts: number;
  /** Named connections (labels in messages say `connection "x"` rather than `role 2 of 3`). */
  named: boolean;
  base: RefreshBase;
  /** Every connection, each after its source. */
  connections: ConnectionSpec[];
  /** Profile name to connection name. */
  profiles: Record<string, string>;
}

/** session.json: temporary credentials only, never a long-term key. */
export interface SessionFile {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO 8601; absent when unknown (temporary keys given to the action). */
  expiration?: string;
}

/** refresh.json or session.json is not what this version writes. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const optString = (v: unknown): boolean => v === undefined || isString(v);

/** Parses refresh.json, checking the shape the program relies on. */
export function parseRefreshConfig(text: string): RefreshConfig {
  const bad = (what: string): ConfigFileError =>
    new ConfigFileError(
      `${RefreshFile.Plan} is not one this version of aws-connection wrote (${what})`,
    );
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (!isObject(v)) throw bad('not an object');
  if (v['version'] !== REFRESH_CONFIG_VERSION) throw bad(`version ${JSON.stringify(v['version'])}`);
  if (!isString(v['region']) || !optString(v['stsEndpoint']) || !optString(v['proxy'])) {
    throw bad('region, stsEndpoint or proxy');
  }
  if (typeof v['retryMaxAttempts'] !== 'number' || typeof v['named'] !== 'boolean') {
    throw bad('retryMaxAttempts or named');
  }
  if (!checkBase(v['base'])) throw bad('base');
  const connections = v['connections'];
  if (!Array.isArray(connections) || !connections.every(checkConnection)) throw bad('connections');
  const names = new Set(connections.map((c: Json) => c['name']));
  const profiles = v['profiles'];
  if (!isObject(profiles) || !Object.values(profiles).every((c) => isString(c) && names.has(c))) {
    throw bad('profiles');
  }
  return v as unknown as RefreshConfig;
}

function checkBase(b: unknown): boolean {
  if (!isObject(b)) return false;
  switch (b['kind']) {
    case 'session':
      return (
        (b['origin'] === 'get-session-token' || b['origin'] === 'given') &&
        typeof b['windowSeconds'] === 'number'
      );
    case 'agent':
      return (
        (b['origin'] === 'get-session-token' || b['origin'] === 'given') &&
        typeof b['windowSeconds'] === 'number' &&
        isString(b['socket']) &&
        /^[\w-][\w.-]*$/.test(b['socket']) &&
        isString(b['until'])
      );
    case 'oidc':
      return isString(b['audience']);
    case 'web-identity-file':
      return isString(b['path']);
    case 'default-chain': {
      const env = b['env'];
      return (
        isObject(env) && DEFAULT_CHAIN_VARIABLES.every((k) => env[k] === null || isString(env[k]))
      );
    }
    default:
      return false;
  }
}

function checkConnection(c: unknown): c is Json {
  if (!isObject(c) || !isString(c['name']) || !optString(c['source'])) return false;
  const role = c['role'];
  return (
    checkKind(c['kind']) &&
    isObject(role) &&
    isString(role['arn']) &&
    isString(c['sessionName']) &&
    typeof c['durationSeconds'] === 'number' &&
    isString(c['region']) &&
    Array.isArray(c['tags']) &&
    Array.isArray(c['transitiveTagKeys']) &&
    Array.isArray(c['policyArns'])
  );
}

function checkKind(k: unknown): boolean {
  if (!isObject(k)) return false;
  return k['type'] === 'connection' || (k['type'] === 'chain' && typeof k['position'] === 'number');
}

/** Parses session.json. */
export function parseSessionFile(text: string): SessionFile {
  const bad = new ConfigFileError(
    `${RefreshFile.Session} is not one this version of aws-connection wrote`,
  );
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad;
  }
  if (!isObject(v) || !isString(v['accessKeyId']) || !isString(v['secretAccessKey'])) throw bad;
  if (!optString(v['sessionToken']) || !optString(v['expiration'])) throw bad;
  return v as unknown as SessionFile;
}

/** The connections a profile needs, in order: its ancestors, then itself. */
export function lineage(connections: ConnectionSpec[], name: string): ConnectionSpec[] {
  const byName = new Map(connections.map((c) => [c.name, c]));
  const result: ConnectionSpec[] = [];
  for (
    let spec = byName.get(name);
    spec;
    spec = spec.source === undefined ? undefined : byName.get(spec.source)
  ) {
    if (result.includes(spec))
      throw new ConfigFileError(`connection "${name}" has a cycle of sources`);
    result.unshift(spec);
  }
  if (result[0]?.source !== undefined) {
    throw new ConfigFileError(
      `connection "${name}" has a source that is not in ${RefreshFile.Plan}`,
    );
  }
  return result;
}

/**
 * Quotes one argument of the `credential_process` command line. Three parsers read it: the
 * INI reader of each tool (the JS SDK cuts a value at whitespace followed by `#` or `;`),
 * then, on Linux and macOS, `/bin/sh -c` (the JS SDK) or Python's `shlex.split` (the AWS
 * CLI), and on Windows `cmd.exe` or botocore's Windows splitter. Single quotes mean the same
 * to sh and shlex, and nothing inside them is special (`'` is written `'\''`); Windows has
 * only double quotes, inside which `"` cannot be written and cmd.exe expands `%VAR%`.
 * Arguments that no quoting carries through every parser are refused.
 */
export function quoteArg(arg: string, platform: NodeJS.Platform): string {
  const control = [...arg].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  if (arg === '' || control || /\s[#;]/.test(arg)) {
    throw new Error(`cannot be written into a credential_process line: ${JSON.stringify(arg)}`);
  }
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg;
  if (platform === 'win32') {
    if (/["%]/.test(arg)) throw new Error(`cannot be quoted for Windows: ${JSON.stringify(arg)}`);
    // Backslashes are literal unless a run of them ends at a quote, where they escape each
    // other: a trailing run is doubled so the closing quote still closes.
    return `"${arg.replace(/\\+$/, (run) => run + run)}"`;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Where the pieces of the command line are. */
export interface ProgramLocation {
  /** The node binary (main's `process.execPath`). */
  node: string;
  /** The refresh program, `dist/refresh/index.js` of the action. */
  program: string;
  platform: NodeJS.Platform;
}

/** The `credential_process` command line for `profile`. */
export function credentialProcess(
  where: ProgramLocation,
  configPath: string,
  profile: string,
): string {
  if (!PROFILE_NAME.test(profile))
    throw new Error(`${JSON.stringify(profile)} is not a profile name`);
  const q = (arg: string): string => quoteArg(arg, where.platform);
  return [q(where.node), q(where.program), '--config', q(configPath), '--profile', profile].join(
    ' ',
  );
}
