/**
 * The rules between inputs: which base credentials the inputs choose, which sources of roles
 * exclude each other, and which inputs need a role, or have no meaning beside connections.
 * Pure functions over {@link ConnectInputs}; each error names the input it refuses.
 */
import { InputError, show } from '../../shared/errors.js';
import type { BaseSpec } from '../model.js';
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
  return mayRequestToken && hasRole(inputs)
    ? { kind: 'oidc', audience }
    : { kind: 'default-chain' };
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

/** With named connections, role options are set per connection, not for the step. */
export function rejectStepRoleOptions(inputs: ConnectInputs): void {
  rejectGiven(
    inputs,
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

/** Inputs that only make sense with a role. */
export function rejectRoleOnlyInputs(inputs: ConnectInputs): void {
  rejectGiven(
    inputs,
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

/** Fails on the first of `names` that is given. */
function rejectGiven(inputs: ConnectInputs, names: readonly InputName[], message: string): void {
  const given = names.find((name) => inputs.given.has(name));
  if (given !== undefined) throw new InputError(given, message);
}
