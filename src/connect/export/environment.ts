/**
 * The environment a later step's AWS tools read, decided variable by variable: every
 * variable the AWS CLI, boto3, the JS SDK v3 and the other official SDKs read for
 * credentials, profile, config files and region is set, cleared or kept on purpose, so that
 * every tool resolves the identity and region the log names, whatever earlier steps left.
 * Pure: the environment before the step is given.
 *
 * What it rests on (each checked with the real tools in
 * __tests__/integration/later-steps.test.ts):
 * - A GITHUB_ENV entry sets a variable; nothing unsets one. "Cleared" means set to ''.
 * - An empty AWS_PROFILE or AWS_DEFAULT_PROFILE makes the CLI and boto3 refuse every call
 *   ("The config profile () could not be found"), and any non-empty AWS_PROFILE makes the JS
 *   SDK skip the environment keys. So these two are never set where no step set them; where
 *   an earlier step did, they are pointed at the `default` profile of the step's own files.
 * - AWS_REGION (JS SDK) and AWS_DEFAULT_REGION (CLI, boto3) win over every profile's region,
 *   empty or not, and an empty AWS_REGION makes the JS SDK refuse every call.
 * - botocore reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN, AWS_DEFAULT_PROFILE before
 *   AWS_PROFILE, and AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE before a profile's keys or
 *   credential_process (unless `--profile` is given).
 * - Keys for a profile in AWS_SHARED_CREDENTIALS_FILE win over its credential_process.
 */
import type { Credentials } from '../../aws/credentials.js';

/** The environment before the step: a variable absent is undefined, one cleared is ''. */
export type Before = Readonly<Record<string, string | undefined>>;

/** The key pair and its token: what a default chain reads as the environment's keys. */
export const KEY_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

/** Credentials a later step reads from the environment. */
export const CREDENTIAL_VARIABLES = [
  ...KEY_VARIABLES,
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_CREDENTIAL_SCOPE',
] as const;

/** Which profile a tool uses when none is named. */
export const PROFILE_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const;

/** Where the profiles are. */
export const FILE_VARIABLES = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_SDK_LOAD_CONFIG',
] as const;

export const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/**
 * Other credential sources of the default chains. Web identity comes before a profile's keys
 * in botocore; container credentials are what a plain step would fall back to.
 */
export const COMPETING_VARIABLES = [
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;

/** Every variable the step may set or clear, and its post step may restore. */
export const LATER_STEP_VARIABLES: readonly string[] = [
  ...CREDENTIAL_VARIABLES,
  ...PROFILE_VARIABLES,
  ...FILE_VARIABLES,
  ...REGION_VARIABLES,
  ...COMPETING_VARIABLES,
];

/** Variables whose values are secrets: masked wherever they are handled, the previous value too. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
]);

/** The profile a tool uses when none is named; the step's own files always define it. */
export const DEFAULT_PROFILE = 'default';

/** One variable the step sets: its value, and what was there before (null: absent). */
export interface VariableChange {
  name: string;
  value: string;
  previous: string | null;
}

/** What a later step resolves: with no profile named, and with each profile. */
export interface LaterSteps {
  /** A step that names no profile: the identity (undefined: none), its region, and from where. */
  plain: { identity?: string; region: string; from: 'variables' | 'profile' | 'nothing' };
  /** Each profile a step can name, with the identity and the region it resolves to. */
  profiles: { name: string; identity: string; region: string; ownRegion: string }[];
  /** Profiles of earlier steps the step's files carry on, and the region each resolves to. */
  carried: { name: string; region: string }[];
  /** Variables given a value, and variables cleared (set to ''). */
  set: string[];
  cleared: string[];
  /** Profile variables an earlier step set, now naming the step's `default` profile. */
  repointed: string[];
  /** True when the region is not in AWS_REGION because profiles have their own. */
  regionInProfiles: boolean;
}

/** What later steps are to get. */
export interface EnvironmentInput {
  before: Before;
  /** Credentials plain steps get as AWS_* variables; undefined: none (profiles, or nothing). */
  keys?: { credentials: Credentials; accountId: string };
  /** The step's own config and credentials files (absolute paths); undefined: it writes none. */
  files?: { config: string; credentials: string };
  /** The region plain steps get; `inEnvironment` false: through the default profile instead. */
  region: { plain: string; inEnvironment: boolean };
}

/** True when an earlier step left one of these variables set (to anything, '' included). */
export function anySet(before: Before, names: readonly string[]): boolean {
  return names.some((name) => before[name] !== undefined);
}

/**
 * Every variable the step sets, in the order to write them. Variables not listed are kept
 * as earlier steps left them.
 */
export function laterStepEnvironment(input: EnvironmentInput): VariableChange[] {
  const { before } = input;
  const changes = new Map<string, string>();
  const put = (name: string, value: string): void => {
    changes.set(name, value);
  };
  // Cleared only where something is there to clear: '' is no safer than absent.
  const clear = (name: string): void => {
    if (before[name] !== undefined && before[name] !== '') put(name, '');
  };
  const putOrClear = (name: string, value: string | undefined): void => {
    if (value === undefined) clear(name);
    else put(name, value);
  };

  if (input.keys) {
    const { credentials: c, accountId } = input.keys;
    put('AWS_ACCESS_KEY_ID', c.accessKeyId);
    put('AWS_SECRET_ACCESS_KEY', c.secretAccessKey);
    putOrClear('AWS_SESSION_TOKEN', c.sessionToken);
    // botocore takes AWS_SECURITY_TOKEN first, even empty: where it exists, it must agree.
    if (before['AWS_SECURITY_TOKEN'] !== undefined) put('AWS_SECURITY_TOKEN', c.sessionToken ?? '');
    putOrClear('AWS_CREDENTIAL_EXPIRATION', c.expiration?.toISOString());
    if (before['AWS_ACCOUNT_ID'] !== undefined) put('AWS_ACCOUNT_ID', accountId);
    clear('AWS_CREDENTIAL_SCOPE');
  } else {
    // Keys would win over every profile (and never renew): none may remain.
    for (const name of CREDENTIAL_VARIABLES) clear(name);
  }

  if (input.files) {
    put('AWS_CONFIG_FILE', input.files.config);
    put('AWS_SHARED_CREDENTIALS_FILE', input.files.credentials);
    // The JS SDK v2 and the Go SDK v1 read the config file only with it.
    put('AWS_SDK_LOAD_CONFIG', '1');
    for (const name of PROFILE_VARIABLES)
      if (before[name] !== undefined) put(name, DEFAULT_PROFILE);
  }

  if (input.region.inEnvironment) {
    for (const name of REGION_VARIABLES) put(name, input.region.plain);
  }

  for (const name of COMPETING_VARIABLES) clear(name);

  return [...changes].map(([name, value]) => ({ name, value, previous: before[name] ?? null }));
}

/**
 * Whether the region goes into AWS_REGION / AWS_DEFAULT_REGION: with the environment's
 * credentials (`output-env-credentials`), as configure-aws-credentials does. They win over
 * every profile's region, so they are left unset where a profile needs a region of its own,
 * unless an earlier step set them: no step can unset them, so they are set to the plain region
 * and the profiles resolve there (the log says so).
 */
export function regionInEnvironment(
  before: Before,
  plainRegion: string,
  profileRegions: readonly string[],
  toEnvironment = true,
): boolean {
  return (
    anySet(before, REGION_VARIABLES) ||
    (toEnvironment && profileRegions.every((region) => region === plainRegion))
  );
}

/**
 * Whether the step needs files of its own even without profiles to export: to carry the
 * region in the default profile, or to give a profile variable an earlier step set a profile
 * to point at.
 */
export function needsOwnFiles(before: Before, regionInEnv: boolean): boolean {
  return !regionInEnv || anySet(before, PROFILE_VARIABLES);
}
