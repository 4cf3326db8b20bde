/**
 * The rules between inputs: which base credentials the inputs choose, which sources of roles
 * exclude each other, and which inputs need a role, or have no meaning beside connections.
 * Pure functions over {@link ConnectInputs}; each error names the input it refuses.
 */
import { InputError, show } from '../../shared/errors.js';
import type { Tag } from '../../aws/credentials.js';
import type { BaseSpec } from '../model.js';
import { parseGithubTags } from '../plan/tags.js';
import type { ConnectInputs } from './read.js';
import { Input, type InputName } from './table.js';
import {
  parseAccessKeyId,
  parseSecretKey,
  parseSessionToken,
  singleLine,
} from '../../shared/validate.js';

/** True when the step names a role of its own or connections. */
export function hasRole(inputs: ConnectInputs): boolean {
  return inputs.roleToAssume !== '' || inputs.roleChain !== '' || inputs.connections !== undefined;
}

/** Chooses the base credentials from the inputs, in the documented order. */
export function chooseBase(inputs: ConnectInputs, env: NodeJS.ProcessEnv): BaseSpec {
  const { accessKeyId: keyId, secretAccessKey: secret, sessionToken: token } = inputs;
  const tokenFile = inputs.webIdentityTokenFile;
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
  // Keys or a token file given as inputs win over role-chaining, as in configure-aws-credentials.
  if (inputs.roleChaining && keyId === '' && tokenFile === '') return environmentBase(inputs, env);
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
  const audience = singleLine(Input.Audience, inputs.audience);
  if (!/^[\u0021-\u007e]{1,256}$/.test(audience)) {
    throw new InputError(
      Input.Audience,
      `${show(audience)} must be 1 to 256 printable characters without spaces`,
    );
  }
  const mayRequestToken =
    Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL']) && Boolean(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
  return mayRequestToken && hasRole(inputs) && !inputs.forceSkipOidc
    ? { kind: 'oidc', audience }
    : { kind: 'default-chain' };
}

/**
 * `role-chaining: true`: the keys an earlier step exported, even where the job could request
 * an OIDC token. With none but an `AWS_PROFILE`, the default provider chain reads that profile.
 */
function environmentBase(inputs: ConnectInputs, env: NodeJS.ProcessEnv): BaseSpec {
  if (!hasRole(inputs)) {
    throw new InputError(
      Input.RoleChaining,
      `needs a role to assume (${Input.RoleToAssume}, ${Input.RoleChain} or ${Input.Connections})`,
    );
  }
  const keyId = env['AWS_ACCESS_KEY_ID'] ?? '';
  const secret = env['AWS_SECRET_ACCESS_KEY'] ?? '';
  const token = env['AWS_SESSION_TOKEN'] ?? '';
  if (keyId === '' || secret === '') {
    if (env['AWS_PROFILE']) return { kind: 'default-chain' };
    throw new InputError(
      Input.RoleChaining,
      'is true, but the environment holds no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (nor AWS_PROFILE) for it to start from: an earlier step must export them',
    );
  }
  const base: BaseSpec = {
    kind: 'static',
    from: 'environment',
    accessKeyId: parseAccessKeyId('AWS_ACCESS_KEY_ID', keyId),
    secretAccessKey: parseSecretKey('AWS_SECRET_ACCESS_KEY', secret),
  };
  if (token !== '') base.sessionToken = parseSessionToken('AWS_SESSION_TOKEN', token);
  return base;
}

/**
 * The session tags of the first AssumeRole, from every input that asks for tags, and the
 * lines the log owes about them. `session-tags` turns them on; so do `custom-tags` (the
 * GitHub context tags and these) and `transitive-tag-keys` alone (the GitHub context tags),
 * as configure-aws-credentials tags by default; `role-skip-session-tagging: true` turns them
 * off and conflicts with every input that asks for them.
 */
export function sessionTagsOf(
  inputs: ConnectInputs,
  env: NodeJS.ProcessEnv,
): { tags: Tag[]; notices: string[] } {
  const { sessionTags, sessionTagsFrom, customTags } = inputs;
  const askers: InputName[] = [
    sessionTagsFrom === 'off' ? undefined : Input.SessionTags,
    inputs.given.has(Input.CustomTags) ? Input.CustomTags : undefined,
    inputs.transitiveTagKeys.length > 0 ? Input.TransitiveTagKeys : undefined,
  ].filter((name) => name !== undefined);
  if (inputs.skipSessionTagging === true) {
    const asker = askers[0];
    if (asker !== undefined) {
      throw new InputError(
        Input.RoleSkipSessionTagging,
        `is true, but ${asker} asks for session tags: remove one of them`,
      );
    }
    return { tags: [], notices: [] };
  }
  const notices: string[] = [];
  if (inputs.skipSessionTagging === false && askers.length === 0) {
    notices.push(
      `${Input.RoleSkipSessionTagging}: false has no effect: sessions are untagged here unless ${Input.SessionTags}, ${Input.CustomTags} or ${Input.TransitiveTagKeys} asks for tags`,
    );
  }
  if (sessionTagsFrom !== 'off' || askers.length === 0) {
    if (customTags.length > 0 && sessionTagsFrom === 'map') {
      throw new InputError(
        Input.CustomTags,
        `cannot be combined with ${Input.SessionTags} as a map: put every tag in one of them`,
      );
    }
    return { tags: withCustomTags(sessionTags, customTags), notices };
  }
  // Asked for by custom-tags or transitive-tag-keys alone: the GitHub context tags, as the peer.
  const github = parseGithubTags(env);
  notices.push(
    `${askers.join(' and ')} turned on session tags: the GitHub context tags (${github.map((t) => t.key).join(', ')})${customTags.length > 0 ? ' and the custom ones' : ''} go on the first AssumeRole, whose trust policy must allow sts:TagSession`,
  );
  return { tags: withCustomTags(github, customTags), notices };
}

/** The context tags and the custom ones, which may not name a context tag nor pass 50 in all. */
function withCustomTags(context: Tag[], custom: Tag[]): Tag[] {
  for (const tag of custom) {
    const clash = context.find((t) => t.key.toLowerCase() === tag.key.toLowerCase());
    if (clash !== undefined) {
      throw new InputError(
        Input.CustomTags,
        `tag key ${show(tag.key)} is one of the GitHub context tags this step sets (${clash.key})`,
      );
    }
  }
  const all = [...context, ...custom];
  if (all.length > 50) {
    throw new InputError(
      Input.CustomTags,
      `with the ${context.length} GitHub context tags comes to ${all.length} tags, more than 50`,
    );
  }
  return all;
}

/**
 * The switches of configure-aws-credentials that conflict with each other or with how the
 * base is chosen: each conflict fails with one line naming both inputs.
 */
export function checkSwitches(inputs: ConnectInputs): void {
  // The switches by value: the runner passes a default `false` as if it were given.
  const conflicts: [InputName, boolean, InputName, boolean, string][] = [
    [
      Input.UnsetCurrentCredentials,
      inputs.unsetCurrentCredentials,
      Input.RoleChaining,
      inputs.roleChaining,
      'which starts from the credentials it would unset',
    ],
    [
      Input.UnsetCurrentCredentials,
      inputs.unsetCurrentCredentials,
      Input.UseExistingCredentials,
      inputs.useExistingCredentials,
      'which checks the credentials it would unset',
    ],
    [
      Input.SpecialCharactersWorkaround,
      inputs.specialCharactersWorkaround,
      Input.Refresh,
      inputs.refresh,
      'whose renewals export the keys STS returns',
    ],
  ];
  for (const [a, aOn, b, bOn, why] of conflicts) {
    if (aOn && bOn) throw new InputError(a, `cannot be combined with ${b}, ${why}`);
  }
}

/** One source of roles: `role-to-assume`, `role-chain` or connections. */
export function checkRoleSources(inputs: ConnectInputs): void {
  const { roleChain, roleToAssume, connections } = inputs;
  if (roleChain !== '' && roleToAssume !== '') {
    throw new InputError(
      Input.RoleChain,
      `cannot be combined with ${Input.RoleToAssume} (a single role is a chain of one)`,
    );
  }
  if (connections && (roleChain !== '' || roleToAssume !== '')) {
    throw new InputError(
      connections.input,
      `cannot be combined with ${roleChain !== '' ? Input.RoleChain : Input.RoleToAssume}`,
    );
  }
  if (!connections && inputs.connection !== '') {
    throw new InputError(
      Input.Connection,
      `${show(inputs.connection)} needs connections (the ${Input.Connections} input, or a file named by ${Input.ConnectionsFile})`,
    );
  }
}

/** The step's options of an AssumeRole call: its external ID, session policies, tags, identity. */
const ASSUME_ROLE_OPTIONS = [
  Input.ExternalId,
  Input.InlineSessionPolicy,
  Input.ManagedSessionPolicies,
  Input.SessionTags,
  Input.TransitiveTagKeys,
  Input.CustomTags,
  Input.SourceIdentity,
] as const;

/** With named connections, role options are set per connection, not for the step. */
export function rejectStepRoleOptions(inputs: ConnectInputs): void {
  rejectGiven(
    inputs,
    [ASSUME_ROLE_OPTIONS[0], Input.Duration, ...ASSUME_ROLE_OPTIONS.slice(1)],
    'cannot be combined with connections: set it on each connection instead',
  );
}

/** Inputs that only make sense with a role. */
export function rejectRoleOnlyInputs(inputs: ConnectInputs): void {
  rejectGiven(
    inputs,
    [...ASSUME_ROLE_OPTIONS, Input.WebIdentityTokenFile],
    `needs a role (${Input.RoleToAssume}, ${Input.RoleChain} or ${Input.Connections})`,
  );
}

/** Fails on the first of `names` that is given. */
function rejectGiven(inputs: ConnectInputs, names: readonly InputName[], message: string): void {
  const given = names.find((name) => inputs.given.has(name));
  if (given !== undefined) throw new InputError(given, message);
}
