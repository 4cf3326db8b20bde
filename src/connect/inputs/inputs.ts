/**
 * Builds the {@link Plan} from the inputs: read them (read.ts), apply the rules between them
 * (rules.ts), build each hop with the one spec builder (plan/chain.ts or connections.ts), and
 * assemble. Pure apart from the `read` function it is given (and reading `connections-file`),
 * so the whole input surface is tested with tables and no mocks. Nothing here calls AWS.
 */
import { InputError } from '../../shared/errors.js';
import { repositoryIds } from '../plan/external-id.js';
import type { BaseSpec, ConnectionSpec, Plan } from '../model.js';
import type { ConnectionsSource } from './connections.js';
import { chainSpecs, type ChainBase } from '../plan/chain.js';
import { checkTransitiveKeys } from '../plan/spec.js';
import { readInputs, type ConnectInputs, type ReadFile, type ReadInput } from './read.js';
import {
  checkRoleSources,
  chooseBase,
  rejectRoleOnlyInputs,
  rejectStepRoleOptions,
} from './rules.js';
import { Input } from './table.js';
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
  const inputs = await readInputs(read, env, readFile);
  const base = chooseBase(inputs, env);
  checkRoleSources(inputs);
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
    throw new InputError(
      Input.SessionTags,
      'needs a role assumed with AssumeRole (a web-identity hop takes its tags from the token)',
    );
  }
  const primary = connections.at(-1)?.name;
  return primary === undefined ? { connections } : { connections, primary };
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
    maskAccountId: inputs.maskAccountId,
    retryMaxAttempts: inputs.retryMaxAttempts,
    refresh: inputs.refresh,
    refreshWindowSeconds: inputs.refreshWindowSeconds,
    notices: inputs.notices,
  };
  if (hops.primary !== undefined) plan.primary = hops.primary;
  if (inputs.stsEndpoint !== undefined) plan.stsEndpoint = inputs.stsEndpoint;
  if (inputs.proxy !== undefined) plan.proxy = inputs.proxy;
  if (plan.refresh && noRole) {
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
