/**
 * Reads every input once, validates it and builds the {@link Plan}. Pure apart from the
 * `read` function it is given (and reading `connections-file`), so the whole input surface is
 * tested with tables and no mocks. Nothing here calls AWS.
 */
import { InputError, show } from '../../shared/errors.js';
import { chainExternalId, repositoryIds, requireIds } from '../plan/external-id.js';
import type { BaseSpec, ConnectionSpec, Plan } from '../model.js';
import type { Tag } from '../../aws/credentials.js';
import type { ConnectionsSource } from './connections.js';
import { parseGithubTags, tagsFromObject } from '../plan/tags.js';
import { resolveEndpoint, resolveProxy } from '../../shared/network.js';
import {
  DURATION,
  parseAccessKeyId,
  parseAccountId,
  parseBoolean,
  parseDuration,
  parseExternalId,
  parseInlinePolicy,
  parseInteger,
  parsePolicyArn,
  parseRegion,
  parseRoleArn,
  parseSecretKey,
  parseSessionName,
  parseSessionToken,
  parseSourceIdentity,
  parseTagKey,
  singleLine,
  splitLines,
  splitList,
} from '../../shared/validate.js';

/** Every input of the main action, by its name in action.yml. */
export const Input = {
  Region: 'aws-region',
  AccessKeyId: 'aws-access-key-id',
  SecretAccessKey: 'aws-secret-access-key',
  SessionToken: 'aws-session-token',
  RoleToAssume: 'role-to-assume',
  RoleChain: 'role-chain',
  SessionName: 'role-session-name',
  Duration: 'role-duration-seconds',
  ExternalId: 'role-external-id',
  Audience: 'audience',
  WebIdentityTokenFile: 'web-identity-token-file',
  InlineSessionPolicy: 'inline-session-policy',
  ManagedSessionPolicies: 'managed-session-policies',
  AllowedAccountIds: 'allowed-account-ids',
  OutputCredentials: 'output-credentials',
  OutputEnvCredentials: 'output-env-credentials',
  StsEndpoint: 'sts-endpoint',
  MaskAccountId: 'mask-aws-account-id',
  HttpProxy: 'http-proxy',
  SessionCredentials: 'session-credentials',
  SourceIdentity: 'source-identity',
  SessionTags: 'session-tags',
  TransitiveTagKeys: 'transitive-tag-keys',
  RetryMaxAttempts: 'retry-max-attempts',
  Connections: 'connections',
  ConnectionsFile: 'connections-file',
  Connection: 'connection',
  Refresh: 'refresh',
  RefreshWindow: 'refresh-window',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

/** Reads one input's raw text ('' when not given). */
export type ReadInput = (name: InputName) => string;

/** Reads a file's text, or undefined when it does not exist (for `connections-file`). */
export type ReadFile = (path: string) => string | undefined;

/** The default session name, as the peer action uses. */
export const DEFAULT_SESSION_NAME = 'GitHubActions';
/** The default connections file, read when it exists and `connections` is not given. */
export const DEFAULT_CONNECTIONS_FILE = '.github/aws-connections.yml';

/**
 * Builds the plan from the inputs and the runner's environment. Throws {@link InputError}
 * on the first input that breaks a rule.
 */
export async function getPlan(
  read: ReadInput,
  env: NodeJS.ProcessEnv,
  readFile: ReadFile,
): Promise<Plan> {
  const text = (name: InputName): string => read(name).trim();
  const line = (name: InputName): string => singleLine(name, text(name));
  const bool = (name: InputName, fallback: boolean): boolean =>
    parseBoolean(name, line(name), fallback);

  const regionText = line(Input.Region) || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || '';
  if (regionText === '') throw new InputError(Input.Region, 'is required (or set AWS_REGION)');
  const region = parseRegion(Input.Region, regionText);

  const named = readNamedSource(text, readFile);
  // `text`, not `line`: a role chain and connections span lines.
  const base = readBase(
    line,
    env,
    text(Input.RoleToAssume) !== '' || text(Input.RoleChain) !== '' || named !== undefined,
    text,
  );
  const chainText = text(Input.RoleChain);
  const roleText = line(Input.RoleToAssume);
  if (chainText !== '' && roleText !== '') {
    throw new InputError(
      Input.RoleChain,
      `cannot be combined with ${Input.RoleToAssume} (a single role is a chain of one)`,
    );
  }
  if (named && (chainText !== '' || roleText !== '')) {
    throw new InputError(
      named.input,
      `cannot be combined with ${chainText !== '' ? Input.RoleChain : Input.RoleToAssume}`,
    );
  }
  if (!named && line(Input.Connection) !== '') {
    throw new InputError(
      Input.Connection,
      `${show(line(Input.Connection))} needs connections (the ${Input.Connections} input or ${DEFAULT_CONNECTIONS_FILE})`,
    );
  }

  const sessionName = parseSessionName(
    Input.SessionName,
    line(Input.SessionName) || DEFAULT_SESSION_NAME,
  );
  const durationText = line(Input.Duration);
  const ids = repositoryIds(env);
  const tags = await readTags(text, env);
  const transitiveTagKeys = readTransitiveKeys(text, tags);
  const sourceIdentityText = line(Input.SourceIdentity);
  const sourceIdentity =
    sourceIdentityText === ''
      ? undefined
      : parseSourceIdentity(Input.SourceIdentity, sourceIdentityText);
  const webBase = base.kind === 'oidc' || base.kind === 'web-identity-file';
  const refresh = bool(Input.Refresh, false);
  // With refresh, key bases are re-assumed from session credentials on every renewal: the
  // first hop is capped like a chained role from the start.
  const refreshFromKeys = refresh && !webBase;
  const temporaryBase =
    (base.kind === 'static' && base.sessionToken !== undefined) || refreshFromKeys;

  let connections: ConnectionSpec[];
  let primary: string | undefined;
  if (named) {
    rejectStepRoleOptions(text);
    const { parseConnections } = await import('./connections.js');
    const parsed = parseConnections(named, {
      region,
      sessionName,
      ids,
      webBase,
      temporaryBase,
      primary: line(Input.Connection),
    });
    connections = parsed.connections;
    primary = parsed.primary;
  } else {
    const roleArns = chainText !== '' ? splitLines(chainText) : roleText !== '' ? [roleText] : [];
    const input = chainText !== '' ? Input.RoleChain : Input.RoleToAssume;
    const roles = roleArns.map((arn) => parseRoleArn(input, arn, region));
    if (roles.length > 20)
      throw new InputError(Input.RoleChain, `has ${roles.length} roles, more than 20`);
    const externalIds =
      roles.length === 0 ? undefined : readExternalIds(text, roles.length, webBase);
    connections = roles.map((role, i): ConnectionSpec => {
      const position = i + 1;
      const web = i === 0 && webBase;
      const chained = i > 0 || temporaryBase;
      const max = chained ? DURATION.maxChained : DURATION.maxAssumeRole;
      const why =
        i > 0
          ? `the limit for a chained role (role ${position} of ${roles.length} is assumed with temporary credentials)`
          : temporaryBase
            ? `the limit for a role assumed with temporary credentials (${refreshFromKeys ? `${Input.Refresh} re-assumes it from session credentials` : `${Input.SessionToken} is set`})`
            : 'the longest session STS grants';
      const durationSeconds =
        durationText === ''
          ? DURATION.maxChained
          : parseDuration(Input.Duration, durationText, max, why);
      const explicitId = web ? undefined : externalIds?.[webBase ? i - 1 : i];
      const firstAssume = webBase ? i === 1 : i === 0;
      const last = i === roles.length - 1;
      const spec: ConnectionSpec = {
        name: `chain-${position}`,
        role,
        externalIdDerived: !web && explicitId === undefined,
        sessionName,
        durationSeconds,
        durationExplicit: durationText !== '',
        region,
        tags: firstAssume ? tags : [],
        transitiveTagKeys: firstAssume ? transitiveTagKeys : [],
        policyArns: [],
      };
      if (i > 0) spec.source = `chain-${i}`;
      if (!web)
        spec.externalId =
          explicitId ?? chainExternalId(requireIds(ids, Input.ExternalId), position, role.name);
      if (firstAssume && sourceIdentity !== undefined) spec.sourceIdentity = sourceIdentity;
      if (last) readSessionPolicies(text, region, spec);
      return spec;
    });
    primary = connections.at(-1)?.name;
    if (roles.length === 0) rejectRoleOnlyInputs(text);
    if (sourceIdentity !== undefined && !connections.some((c) => c.sourceIdentity !== undefined)) {
      throw new InputError(
        Input.SourceIdentity,
        'needs a role assumed with AssumeRole (a web-identity hop takes its source identity from the token)',
      );
    }
    if (tags.length > 0 && !connections.some((c) => c.tags.length > 0)) {
      throw new InputError(
        Input.SessionTags,
        'needs a role assumed with AssumeRole (a web-identity hop takes its tags from the token)',
      );
    }
  }

  const sessionDurationSeconds =
    connections.length === 0 && durationText !== ''
      ? parseDuration(
          Input.Duration,
          durationText,
          DURATION.maxSessionToken,
          'the longest GetSessionToken session',
        )
      : DURATION.maxChained;
  if (
    base.kind === 'static' &&
    base.sessionToken !== undefined &&
    connections.length === 0 &&
    durationText !== ''
  ) {
    throw new InputError(
      Input.Duration,
      `has no effect: ${Input.SessionToken} is given and no role, so the session is used as it is`,
    );
  }

  const allowedAccountIds = splitList(text(Input.AllowedAccountIds)).map((id) =>
    parseAccountId(Input.AllowedAccountIds, id),
  );
  const stsEndpoint = resolveEndpoint(line(Input.StsEndpoint), env);
  const proxy = resolveProxy(
    line(Input.HttpProxy),
    stsEndpoint ?? `https://sts.${region}.amazonaws.com`,
    env,
  );
  const refreshWindowText = line(Input.RefreshWindow);

  const plan: Plan = {
    region,
    base,
    connections,
    named: named !== undefined,
    sessionCredentials: bool(Input.SessionCredentials, true),
    sessionDurationSeconds,
    allowedAccountIds,
    outputCredentials: bool(Input.OutputCredentials, false),
    outputEnvCredentials: bool(Input.OutputEnvCredentials, true),
    maskAccountId: bool(Input.MaskAccountId, false),
    retryMaxAttempts:
      line(Input.RetryMaxAttempts) === ''
        ? 4
        : parseInteger(Input.RetryMaxAttempts, line(Input.RetryMaxAttempts), 1, 10),
    refresh,
    refreshWindowSeconds: refreshWindowText === '' ? 6 * 3600 : parseWindow(refreshWindowText),
  };
  if (primary !== undefined) plan.primary = primary;
  if (stsEndpoint !== undefined) plan.stsEndpoint = stsEndpoint;
  if (proxy !== undefined) plan.proxy = proxy;
  if (plan.refresh && connections.length === 0) {
    throw new InputError(
      Input.Refresh,
      'needs a role (role-to-assume, role-chain or connections): the profile re-assumes it',
    );
  }
  if (!plan.outputEnvCredentials && !plan.outputCredentials && !plan.named) {
    throw new InputError(
      Input.OutputEnvCredentials,
      'is false and output-credentials is false: the credentials would go nowhere',
    );
  }
  return plan;
}

/** Chooses the base credentials from the inputs, in the documented order. */
function readBase(
  line: (name: InputName) => string,
  env: NodeJS.ProcessEnv,
  hasRole: boolean,
  text: (name: InputName) => string,
): BaseSpec {
  // Credentials skip the single-line check, which shows the value: their own rules refuse
  // a line break without showing anything.
  const keyId = text(Input.AccessKeyId);
  const secret = text(Input.SecretAccessKey);
  const token = text(Input.SessionToken);
  const tokenFile = line(Input.WebIdentityTokenFile);
  if ((keyId === '') !== (secret === '')) {
    throw new InputError(
      keyId === '' ? Input.AccessKeyId : Input.SecretAccessKey,
      `is required with ${keyId === '' ? Input.SecretAccessKey : Input.AccessKeyId}`,
    );
  }
  if (token !== '' && keyId === '') {
    throw new InputError(
      Input.SessionToken,
      `needs ${Input.AccessKeyId} and ${Input.SecretAccessKey}`,
    );
  }
  if (keyId !== '') {
    if (tokenFile !== '') {
      throw new InputError(
        Input.WebIdentityTokenFile,
        `cannot be combined with ${Input.AccessKeyId}: choose one source of base credentials`,
      );
    }
    const base: BaseSpec = {
      kind: 'static',
      accessKeyId: parseAccessKeyId(Input.AccessKeyId, keyId),
      secretAccessKey: parseSecretKey(Input.SecretAccessKey, secret),
    };
    if (token !== '') base.sessionToken = parseSessionToken(Input.SessionToken, token);
    return base;
  }
  if (tokenFile !== '') return { kind: 'web-identity-file', path: tokenFile };
  const audience = line(Input.Audience) || 'sts.amazonaws.com';
  if (!/^[\u0021-\u007e]{1,256}$/.test(audience)) {
    throw new InputError(
      Input.Audience,
      `${show(audience)} must be 1 to 256 printable characters without spaces`,
    );
  }
  const mayRequestToken =
    Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL']) && Boolean(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
  return mayRequestToken && hasRole ? { kind: 'oidc', audience } : { kind: 'default-chain' };
}

/** The connections YAML: from the input, the named file, or the default file when it exists. */
function readNamedSource(
  text: (name: InputName) => string,
  readFile: ReadFile,
): ConnectionsSource | undefined {
  const inline = text(Input.Connections);
  const file = text(Input.ConnectionsFile);
  if (inline !== '' && file !== '') {
    throw new InputError(Input.ConnectionsFile, `cannot be combined with ${Input.Connections}`);
  }
  if (inline !== '') return { input: Input.Connections, text: inline };
  if (file !== '') {
    const content = readFile(file);
    if (content === undefined)
      throw new InputError(Input.ConnectionsFile, `${show(file)} does not exist`);
    return { input: Input.ConnectionsFile, text: content };
  }
  // The repository's default file serves steps that name no role of their own: a step with
  // role-to-assume or role-chain keeps working when the file is added.
  if (text(Input.RoleToAssume) !== '' || text(Input.RoleChain) !== '') return undefined;
  const fallback = readFile(DEFAULT_CONNECTIONS_FILE);
  return fallback === undefined ? undefined : { input: Input.ConnectionsFile, text: fallback };
}

/** Explicit external IDs: one for every AssumeRole hop, or one a line for each. */
function readExternalIds(
  text: (name: InputName) => string,
  roles: number,
  webBase: boolean,
): string[] | undefined {
  const lines = splitLines(text(Input.ExternalId));
  if (lines.length === 0) return undefined;
  const assumeHops = webBase ? roles - 1 : roles;
  if (assumeHops <= 0) {
    throw new InputError(
      Input.ExternalId,
      'is set, but the only role is assumed with a web identity, which takes no external ID',
    );
  }
  const ids = lines.map((id) => parseExternalId(Input.ExternalId, id));
  if (ids.length === 1) return Array<string>(assumeHops).fill(ids[0] ?? '');
  if (ids.length !== assumeHops) {
    throw new InputError(
      Input.ExternalId,
      `has ${ids.length} lines for ${assumeHops} AssumeRole hops: give one for all, or one a line for each`,
    );
  }
  return ids;
}

/** Session tags: `true` for the GitHub context tags, or a YAML map of your own. */
async function readTags(text: (name: InputName) => string, env: NodeJS.ProcessEnv): Promise<Tag[]> {
  const raw = text(Input.SessionTags);
  if (raw === '' || ['false', 'False', 'FALSE'].includes(raw)) return [];
  if (['true', 'True', 'TRUE'].includes(raw)) return parseGithubTags(env);
  const { parseDocument } = await import('yaml');
  // The failsafe schema keeps every value as written (`0042` stays 0042, not 42).
  const doc = parseDocument(raw, { uniqueKeys: true, schema: 'failsafe' });
  if (doc.errors.length > 0)
    throw new InputError(
      Input.SessionTags,
      'must be true, false, or a YAML map of tag key to value',
    );
  return tagsFromObject(Input.SessionTags, '', doc.toJS());
}

/** With named connections, role options are set per connection, not for the step. */
function rejectStepRoleOptions(text: (name: InputName) => string): void {
  rejectGiven(
    text,
    [
      Input.ExternalId,
      Input.Duration,
      Input.InlineSessionPolicy,
      Input.ManagedSessionPolicies,
      Input.SessionTags,
      Input.TransitiveTagKeys,
      Input.SourceIdentity,
    ],
    'cannot be combined with connections: set it on each connection instead',
  );
}

/** Fails on the first of `names` that is given (`session-tags: false` counts as not given). */
function rejectGiven(
  text: (name: InputName) => string,
  names: readonly InputName[],
  message: string,
): void {
  for (const name of names) {
    const value = text(name);
    if (
      value !== '' &&
      !(name === Input.SessionTags && ['false', 'False', 'FALSE'].includes(value))
    ) {
      throw new InputError(name, message);
    }
  }
}

function readTransitiveKeys(text: (name: InputName) => string, tags: Tag[]): string[] {
  const keys = splitList(text(Input.TransitiveTagKeys)).map((k) =>
    parseTagKey(Input.TransitiveTagKeys, k),
  );
  if (keys.length > 50)
    throw new InputError(Input.TransitiveTagKeys, `has ${keys.length} keys, more than 50`);
  for (const key of keys) {
    if (!tags.some((t) => t.key === key)) {
      throw new InputError(Input.TransitiveTagKeys, `${show(key)} is not one of the session tags`);
    }
  }
  return keys;
}

/** Session policies for the last hop (they scope down the credentials that are exported). */
function readSessionPolicies(
  text: (name: InputName) => string,
  region: string,
  spec: ConnectionSpec,
): void {
  const inline = text(Input.InlineSessionPolicy);
  if (inline !== '') spec.policy = parseInlinePolicy(Input.InlineSessionPolicy, inline);
  spec.policyArns = splitList(text(Input.ManagedSessionPolicies)).map((arn) =>
    parsePolicyArn(Input.ManagedSessionPolicies, arn, region),
  );
  if (spec.policyArns.length > 10) {
    throw new InputError(
      Input.ManagedSessionPolicies,
      `has ${spec.policyArns.length} ARNs, more than 10`,
    );
  }
  const size = (spec.policy?.length ?? 0) + spec.policyArns.reduce((n, arn) => n + arn.length, 0);
  if (size > 2048) {
    throw new InputError(
      Input.ManagedSessionPolicies,
      `with the inline policy comes to ${size} characters, above 2048, the limit for session policies`,
    );
  }
}

/** Inputs that only make sense with a role. */
function rejectRoleOnlyInputs(text: (name: InputName) => string): void {
  rejectGiven(
    text,
    [
      Input.ExternalId,
      Input.InlineSessionPolicy,
      Input.ManagedSessionPolicies,
      Input.SessionTags,
      Input.TransitiveTagKeys,
      Input.SourceIdentity,
      Input.WebIdentityTokenFile,
    ],
    `needs a role (${Input.RoleToAssume}, ${Input.RoleChain} or ${Input.Connections})`,
  );
}

/** `refresh-window`: seconds, or a number with `h` or `m`; 15 minutes to 36 hours. */
function parseWindow(value: string): number {
  const m = /^(\d{1,6})([hms]?)$/.exec(value);
  if (!m)
    throw new InputError(
      Input.RefreshWindow,
      `${show(value)} is not a duration (seconds, or a number with h or m, such as 6h)`,
    );
  const unit = m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1;
  const seconds = Number(m[1]) * unit;
  if (seconds < DURATION.min || seconds > DURATION.maxSessionToken) {
    throw new InputError(
      Input.RefreshWindow,
      `${show(value)} is outside 15m to 36h, the range of a GetSessionToken session`,
    );
  }
  return seconds;
}
