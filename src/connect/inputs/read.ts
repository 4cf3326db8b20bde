/**
 * Reads every input of the main action once into one typed {@link ConnectInputs}: trimmed,
 * the action.yml default put in for an empty one, single-line where one line is expected,
 * and parsed where the value depends on no other input. Rules between inputs come after
 * (rules.ts, then the plan); this module reads and does nothing else.
 */
import { InputError, show } from '../../shared/errors.js';
import type { Tag } from '../../aws/credentials.js';
import type { ConnectionsSource } from './connections.js';
import { parseGithubTags, tagsFromObject } from '../plan/tags.js';
import { resolveEndpoint, resolveProxy } from '../../shared/network.js';
import { Input, INPUT_DEFAULTS, type InputName } from './table.js';
import {
  booleanOf,
  DURATION,
  parseAccountId,
  parseBoolean,
  parseProfileName,
  parseInteger,
  parseRegion,
  parseSessionName,
  parseSourceIdentity,
  singleLine,
  splitList,
} from '../../shared/validate.js';

/** Reads one input's raw text ('' when not given). */
export type ReadInput = (name: InputName) => string;

/** Reads a file's text, or undefined when it does not exist (for `connections-file`). */
export type ReadFile = (path: string) => string | undefined;

/**
 * The conventional connections file. Read only when `connections-file` names it: never
 * implicitly, as a checkout of a pull request could then choose the role and external ID.
 */
export const DEFAULT_CONNECTIONS_FILE = '.github/aws-connections.yml';

/** The notice for a default file that is there but not named. */
export const DEFAULT_FILE_NOTICE =
  `${DEFAULT_CONNECTIONS_FILE} is not read: add connections-file: ${DEFAULT_CONNECTIONS_FILE} ` +
  'to the step to use it. It is never read implicitly, because the working directory may be a ' +
  'checkout of a pull request, which could then choose the role and the external ID.';

/** Every input, read. Text fields are '' when the input is not given. */
export interface ConnectInputs {
  /** `aws-region`, else AWS_REGION, else AWS_DEFAULT_REGION. */
  region: string;
  /** `aws-access-key-id` as given: a credential, checked (never shown) by the base rules. */
  accessKeyId: string;
  /** `aws-secret-access-key` as given (a credential). */
  secretAccessKey: string;
  /** `aws-session-token` as given (a credential). */
  sessionToken: string;
  /** `web-identity-token-file`: a path. */
  webIdentityTokenFile: string;
  /** `audience` as given, checked only when the base is OIDC. */
  audience: string;
  /** `role-to-assume`: one ARN. */
  roleToAssume: string;
  /** `role-chain`: ARNs, one a line. */
  roleChain: string;
  /** `connections`, or the file `connections-file` names. */
  connections?: ConnectionsSource;
  /** `connection`: the named connection for AWS_* variables. */
  connection: string;
  /** `role-session-name`. */
  sessionName: string;
  /** `role-duration-seconds` as given; its caps depend on the hop. */
  duration: string;
  /** `role-external-id` as given: one line, or one a line per AssumeRole hop. */
  externalIds: string;
  /** `inline-session-policy` as given (JSON). */
  inlineSessionPolicy: string;
  /** `managed-session-policies` as given (a list). */
  managedSessionPolicies: string;
  /** `session-tags`: the GitHub context tags, or the user's map; none for `false`. */
  sessionTags: Tag[];
  /** What `session-tags` asked for: nothing, the GitHub context tags, or a map of its own. */
  sessionTagsFrom: 'off' | 'github' | 'map';
  /** `custom-tags`: a JSON object of tags, parsed; combined with the others by the rules. */
  customTags: Tag[];
  /** `role-skip-session-tagging`; undefined when not given. */
  skipSessionTagging?: boolean;
  /** `transitive-tag-keys`, split; checked against the tags by the plan. */
  transitiveTagKeys: string[];
  /** `source-identity`. */
  sourceIdentity?: string;
  /** `allowed-account-ids`. */
  allowedAccountIds: string[];
  /** `sts-endpoint`, else AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL. */
  stsEndpoint?: string;
  /** `http-proxy`, else HTTPS_PROXY / HTTP_PROXY, with NO_PROXY applied to the STS endpoint. */
  proxy?: string;
  sessionCredentials: boolean;
  outputCredentials: boolean;
  outputEnvCredentials: boolean;
  /** `aws-profile`: the profile name the credentials are written as. */
  awsProfile?: string;
  overwriteAwsProfile: boolean;
  maskAccountId: boolean;
  retryMaxAttempts: number;
  refresh: boolean;
  /** `role-chaining`: the base is the keys in the job's environment. */
  roleChaining: boolean;
  /** `force-skip-oidc`: never choose GitHub OIDC as the base. */
  forceSkipOidc: boolean;
  /** `disable-retry`: one try per STS call. */
  disableRetry: boolean;
  specialCharactersWorkaround: boolean;
  unsetCurrentCredentials: boolean;
  useExistingCredentials: boolean;
  /** `action-timeout-s`; 0 for none. */
  actionTimeoutSeconds: number;
  /** `refresh-window`, in seconds. */
  refreshWindowSeconds: number;
  /** The inputs given a value (`session-tags: false` is not one): what refusals look at. */
  given: ReadonlySet<InputName>;
  /** What the log should say that is not an error (the default file left unread). */
  notices: string[];
}

/** Reads every input. Throws {@link InputError} on the first that breaks a rule of its own. */
export async function readInputs(
  read: ReadInput,
  env: NodeJS.ProcessEnv,
  readFile: ReadFile,
): Promise<ConnectInputs> {
  // `text` for values that may span lines (a role chain, a policy, credentials: their own
  // rules refuse a line break without showing the value); `line` for the rest.
  const text = (name: InputName): string => read(name).trim() || INPUT_DEFAULTS[name];
  const line = (name: InputName): string => singleLine(name, text(name));
  const bool = (name: InputName): boolean => parseBoolean(name, line(name), false);

  const regionText = line(Input.Region) || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || '';
  if (regionText === '') throw new InputError(Input.Region, 'is required (or set AWS_REGION)');
  const region = parseRegion(Input.Region, regionText);
  const connections = readConnectionsSource(text, readFile);
  const sessionTagsText = text(Input.SessionTags);
  const sessionTags = await readTags(sessionTagsText, env);
  const sessionTagsFlag = booleanOf(sessionTagsText);
  const sourceIdentity = line(Input.SourceIdentity);
  const stsEndpoint = resolveEndpoint(line(Input.StsEndpoint), env);
  const proxy = resolveProxy(
    line(Input.HttpProxy),
    stsEndpoint ?? `https://sts.${region}.amazonaws.com`,
    env,
    line(Input.NoProxy),
  );
  const skipText = line(Input.RoleSkipSessionTagging);
  const inputs: ConnectInputs = {
    region,
    accessKeyId: text(Input.AccessKeyId),
    secretAccessKey: text(Input.SecretAccessKey),
    sessionToken: text(Input.SessionToken),
    webIdentityTokenFile: line(Input.WebIdentityTokenFile),
    audience: text(Input.Audience),
    roleToAssume: line(Input.RoleToAssume),
    roleChain: text(Input.RoleChain),
    connection: line(Input.Connection),
    sessionName: parseSessionName(Input.SessionName, line(Input.SessionName)),
    duration: line(Input.Duration),
    externalIds: text(Input.ExternalId),
    inlineSessionPolicy: text(Input.InlineSessionPolicy),
    managedSessionPolicies: text(Input.ManagedSessionPolicies),
    sessionTags,
    sessionTagsFrom:
      sessionTagsFlag === true
        ? 'github'
        : sessionTagsFlag === false || sessionTagsText === ''
          ? 'off'
          : 'map',
    customTags: readCustomTags(text(Input.CustomTags)),
    transitiveTagKeys: splitList(text(Input.TransitiveTagKeys)),
    allowedAccountIds: splitList(text(Input.AllowedAccountIds)).map((id) =>
      parseAccountId(Input.AllowedAccountIds, id),
    ),
    sessionCredentials: bool(Input.SessionCredentials),
    outputCredentials: bool(Input.OutputCredentials),
    // configure-aws-credentials' default: the environment, unless a profile is asked for.
    outputEnvCredentials: parseBoolean(
      Input.OutputEnvCredentials,
      line(Input.OutputEnvCredentials),
      line(Input.AwsProfile) === '',
    ),
    overwriteAwsProfile: bool(Input.OverwriteAwsProfile),
    maskAccountId: bool(Input.MaskAccountId),
    retryMaxAttempts: parseInteger(Input.RetryMaxAttempts, line(Input.RetryMaxAttempts), 1, 10),
    refresh: bool(Input.Refresh),
    roleChaining: bool(Input.RoleChaining),
    forceSkipOidc: bool(Input.ForceSkipOidc),
    disableRetry: bool(Input.DisableRetry),
    specialCharactersWorkaround: bool(Input.SpecialCharactersWorkaround),
    unsetCurrentCredentials: bool(Input.UnsetCurrentCredentials),
    useExistingCredentials: bool(Input.UseExistingCredentials),
    actionTimeoutSeconds: parseActionTimeout(line(Input.ActionTimeout)),
    refreshWindowSeconds: parseWindow(line(Input.RefreshWindow)),
    given: new Set(Object.values(Input).filter((name) => isGiven(name, read(name).trim()))),
    notices: connections === undefined && defaultFileIsThere(readFile) ? [DEFAULT_FILE_NOTICE] : [],
  };
  if (connections !== undefined) inputs.connections = connections;
  const awsProfile = line(Input.AwsProfile);
  if (awsProfile !== '') inputs.awsProfile = parseProfileName(Input.AwsProfile, awsProfile);
  if (skipText !== '')
    inputs.skipSessionTagging = parseBoolean(Input.RoleSkipSessionTagging, skipText, false);
  if (sourceIdentity !== '')
    inputs.sourceIdentity = parseSourceIdentity(Input.SourceIdentity, sourceIdentity);
  if (stsEndpoint !== undefined) inputs.stsEndpoint = stsEndpoint;
  if (proxy !== undefined) inputs.proxy = proxy;
  return inputs;
}

/** The inputs that count as given only when true (or, for `session-tags`, not false). */
const GIVEN_UNLESS_FALSE: ReadonlySet<InputName> = new Set([
  Input.SessionTags,
  Input.RoleSkipSessionTagging,
  Input.RoleChaining,
  Input.ForceSkipOidc,
  Input.DisableRetry,
  Input.SpecialCharactersWorkaround,
  Input.UnsetCurrentCredentials,
  Input.UseExistingCredentials,
]);

/** An input counts as given when set; the switches above only when not set to false. */
function isGiven(name: InputName, value: string): boolean {
  return value !== '' && !(GIVEN_UNLESS_FALSE.has(name) && booleanOf(value) === false);
}

/** The longest `action-timeout-s`: six hours, the longest a job runs on a hosted runner. */
export const MAX_ACTION_TIMEOUT_SECONDS = 21_600;

/** `action-timeout-s`: whole seconds, 0 (or empty) for no limit. */
export function parseActionTimeout(value: string): number {
  return value === '' ? 0 : parseInteger(Input.ActionTimeout, value, 0, MAX_ACTION_TIMEOUT_SECONDS);
}

/** `custom-tags`: a JSON object of tag key to a string, number or boolean. */
function readCustomTags(raw: string): Tag[] {
  if (raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError(
      Input.CustomTags,
      'is not valid JSON (write a JSON object, such as {"Team": "Platform"})',
    );
  }
  return tagsFromObject(Input.CustomTags, '', parsed);
}

/** The connections YAML: from the input, or from the file the workflow names. */
function readConnectionsSource(
  text: (name: InputName) => string,
  readFile: ReadFile,
): ConnectionsSource | undefined {
  const inline = text(Input.Connections);
  const file = text(Input.ConnectionsFile);
  if (inline !== '' && file !== '') {
    throw new InputError(Input.ConnectionsFile, `cannot be combined with ${Input.Connections}`);
  }
  if (inline !== '') return { input: Input.Connections, text: inline };
  if (file === '') return undefined;
  const content = readFile(file);
  if (content === undefined)
    throw new InputError(Input.ConnectionsFile, `${show(file)} does not exist`);
  return { input: Input.ConnectionsFile, text: content };
}

/**
 * Whether the default file is there, for the notice only: its text is dropped unparsed, and
 * whatever stands at its path (a directory, a file we may not read) never fails the step.
 */
function defaultFileIsThere(readFile: ReadFile): boolean {
  try {
    return readFile(DEFAULT_CONNECTIONS_FILE) !== undefined;
  } catch {
    return true;
  }
}

/** Session tags: `true` for the GitHub context tags, or a YAML map of your own. */
async function readTags(raw: string, env: NodeJS.ProcessEnv): Promise<Tag[]> {
  const flag = booleanOf(raw);
  if (raw === '' || flag === false) return [];
  if (flag === true) return parseGithubTags(env);
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
