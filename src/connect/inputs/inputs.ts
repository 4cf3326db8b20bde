/**
 * Builds the {@link Plan} from the inputs: read them (read.ts), apply the rules between them
 * (rules.ts), build each hop with the one spec builder (plan/chain.ts or connections.ts), and
 * assemble. Pure apart from the `read` function it is given (and reading `connections-file`),
 * so the whole input surface is tested with tables and no mocks. Nothing here calls AWS.
 */
import { InputError, show } from '../../shared/errors.js';
import { repositoryIds } from '../plan/external-id.js';
import type { BaseSpec, ConnectionSpec, Plan } from '../model.js';
import type { ConnectionsSource } from './connections.js';
import { chainSpecs, type ChainBase } from '../plan/chain.js';
import { checkTransitiveKeys } from '../plan/spec.js';
import { readInputs, type ConnectInputs, type ReadFile, type ReadInput } from './read.js';
import {
  checkRoleSources,
  checkSwitches,
  chooseBase,
  rejectRoleOnlyInputs,
  rejectStepRoleOptions,
  sessionTagsOf,
} from './rules.js';
import { Input, INPUT_DEFAULTS } from './table.js';
import { DURATION, parseDuration } from '../../shared/validate.js';

export { Input, type InputName } from './table.js';
export {
  DEFAULT_CONNECTIONS_FILE,
  DEFAULT_FILE_NOTICE,
  type ReadFile,
  type ReadInput,
} from './read.js';

/** The connections of a plan and the one exported as AWS_* variables. */
interface Hops {
  connections: ConnectionSpec[];
  primary?: string;
}

/**
 * Builds the plan from the inputs and the runner's environment. Throws {@link InputError}
 * on the first input that breaks a rule.
 */
export async function getPlan(
  read: ReadInput,
  env: NodeJS.ProcessEnv,
  readFile: ReadFile,
): Promise<Plan> {
  const read0 = await readInputs(read, env, readFile);
  checkSwitches(read0);
  const base = chooseBase(read0, env);
  checkRoleSources(read0);
  const tags = sessionTagsOf(read0, env);
  const inputs: ConnectInputs = {
    ...read0,
    sessionTags: tags.tags,
    notices: [...read0.notices, ...tags.notices],
  };
  // The step's own keys, checked even when no hop will carry them (a lone web-identity hop),
  // and worded as the step's inputs are.
  const transitiveTagKeys = checkTransitiveKeys(
    Input.TransitiveTagKeys,
    inputs.transitiveTagKeys,
    inputs.sessionTags,
    'chain',
  );
  const webBase = base.kind === 'oidc' || base.kind === 'web-identity-file';
  // With refresh, key bases are re-assumed from session credentials on every renewal: the
  // first hop is capped like a chained role from the start.
  const refreshFromKeys = inputs.refresh && !webBase;
  const hopBase: ChainBase = {
    webBase,
    temporaryBase: (base.kind === 'static' && base.sessionToken !== undefined) || refreshFromKeys,
    refreshFromKeys,
    fromEnvironment: base.kind === 'static' && base.from === 'environment',
    refresh: inputs.refresh,
    ids: repositoryIds(env),
  };
  const hops = inputs.connections
    ? await namedHops(inputs.connections, inputs, hopBase)
    : chainHops({ ...inputs, transitiveTagKeys }, hopBase);
  return assemble(inputs, base, hops);
}

/** Named connections, each with its own role options. */
async function namedHops(
  source: ConnectionsSource,
  inputs: ConnectInputs,
  base: ChainBase,
): Promise<Hops> {
  rejectStepRoleOptions(inputs);
  const { parseConnections } = await import('./connections.js');
  return parseConnections(source, {
    region: inputs.region,
    sessionName: inputs.sessionName,
    ids: base.ids,
    webBase: base.webBase,
    temporaryBase: base.temporaryBase,
    refresh: base.refresh,
    primary: inputs.connection,
  });
}

/** A role chain (or no role), with the step's role options spread over its hops. */
function chainHops(inputs: ConnectInputs, base: ChainBase): Hops {
  const connections = chainSpecs(inputs, base);
  if (connections.length === 0) rejectRoleOnlyInputs(inputs);
  if (
    inputs.sourceIdentity !== undefined &&
    !connections.some((c) => c.sourceIdentity !== undefined)
  ) {
    throw new InputError(
      Input.SourceIdentity,
      'needs a role assumed with AssumeRole (a web-identity hop takes its source identity from the token)',
    );
  }
  if (inputs.sessionTags.length > 0 && !connections.some((c) => c.tags.length > 0)) {
    const asker =
      inputs.sessionTagsFrom !== 'off'
        ? Input.SessionTags
        : inputs.customTags.length > 0
          ? Input.CustomTags
          : Input.TransitiveTagKeys;
    throw new InputError(
      asker,
      'needs a role assumed with AssumeRole (a web-identity hop takes its tags from the token)',
    );
  }
  const primary = connections.at(-1)?.name;
  return primary === undefined ? { connections } : { connections, primary };
}

/** The lines owed about switches that act otherwise than asked, or not at all. */
function switchNotices(inputs: ConnectInputs, noRole: boolean): string[] {
  const notices: string[] = [];
  // The runner passes retry-max-attempts' default as if given: only another value is a choice.
  if (
    inputs.disableRetry &&
    String(inputs.retryMaxAttempts) !== INPUT_DEFAULTS[Input.RetryMaxAttempts]
  ) {
    notices.push(
      `${Input.DisableRetry}: true wins over ${Input.RetryMaxAttempts}: ${inputs.retryMaxAttempts}: one try per STS call`,
    );
  }
  const given = inputs.accessKeyId !== '' ? Input.AccessKeyId : Input.WebIdentityTokenFile;
  if (inputs.roleChaining && (inputs.accessKeyId !== '' || inputs.webIdentityTokenFile !== '')) {
    notices.push(
      `${Input.RoleChaining}: has no effect beside ${given}: credentials given as inputs are the base, as in configure-aws-credentials`,
    );
  }
  if (inputs.specialCharactersWorkaround && noRole) {
    notices.push(
      `${Input.SpecialCharactersWorkaround}: has no effect without a role: as in configure-aws-credentials, only an assumed role is asked for new keys`,
    );
  }
  return notices;
}

/** The plan, with the rules that look at it whole. */
function assemble(inputs: ConnectInputs, base: BaseSpec, hops: Hops): Plan {
  const { connections } = hops;
  const noRole = connections.length === 0;
  const sessionDurationSeconds =
    noRole && inputs.duration !== ''
      ? parseDuration(
          Input.Duration,
          inputs.duration,
          DURATION.maxSessionToken,
          'the longest GetSessionToken session',
        )
      : DURATION.maxChained;
  if (base.kind === 'static' && base.sessionToken !== undefined && noRole && inputs.duration) {
    throw new InputError(
      Input.Duration,
      `has no effect: ${Input.SessionToken} is given and no role, so the session is used as it is`,
    );
  }
  const plan: Plan = {
    region: inputs.region,
    base,
    connections,
    named: inputs.connections !== undefined,
    sessionCredentials: inputs.sessionCredentials,
    sessionDurationSeconds,
    allowedAccountIds: inputs.allowedAccountIds,
    outputCredentials: inputs.outputCredentials,
    outputEnvCredentials: inputs.outputEnvCredentials,
    overwriteAwsProfile: inputs.overwriteAwsProfile,
    maskAccountId: inputs.maskAccountId,
    retryMaxAttempts: inputs.disableRetry ? 1 : inputs.retryMaxAttempts,
    refresh: inputs.refresh,
    refreshWindowSeconds: inputs.refreshWindowSeconds,
    notices: [...inputs.notices, ...switchNotices(inputs, noRole)],
    useExistingCredentials: inputs.useExistingCredentials,
    unsetCurrentCredentials: inputs.unsetCurrentCredentials,
    specialCharactersWorkaround: inputs.specialCharactersWorkaround && !noRole,
  };
  if (hops.primary !== undefined) plan.primary = hops.primary;
  const roleName = connections[0]?.role.accountId === '' ? connections[0].role.arn : undefined;
  if (roleName !== undefined) {
    if (base.kind === 'oidc' || base.kind === 'web-identity-file') {
      throw new InputError(
        Input.RoleToAssume,
        `${show(roleName)} is a role name, which is completed with the account of the base keys; a web identity has no account before its first role: give the role's ARN`,
      );
    }
    plan.roleName = roleName;
  }
  if (inputs.awsProfile !== undefined) {
    if (plan.named)
      throw new InputError(
        Input.AwsProfile,
        'cannot be combined with connections: each connection is already a profile of its name',
      );
    plan.awsProfile = inputs.awsProfile;
  }
  if (inputs.stsEndpoint !== undefined) plan.stsEndpoint = inputs.stsEndpoint;
  if (inputs.proxy !== undefined) plan.proxy = inputs.proxy;
  if (plan.refresh && noRole) {
    throw new InputError(
      Input.Refresh,
      'needs a role (role-to-assume, role-chain or connections): the profile re-assumes it',
    );
  }
  if (
    !plan.outputEnvCredentials &&
    !plan.outputCredentials &&
    !plan.named &&
    plan.awsProfile === undefined &&
    !plan.refresh
  ) {
    throw new InputError(
      Input.OutputEnvCredentials,
      'is false and output-credentials is false: the credentials would go nowhere',
    );
  }
  return plan;
}
