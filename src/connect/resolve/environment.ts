/**
 * What the main step does with the keys of the job's environment and the identity of the
 * base, for the inputs of configure-aws-credentials: `unset-current-credentials` hides them,
 * `use-existing-credentials` checks them with one GetCallerIdentity, and a role name in
 * `role-to-assume` takes the account of the base keys. At most one GetCallerIdentity a step:
 * identities already asked for are kept by access key ID.
 */
import { credentialsOf, type Credentials } from '../../aws/credentials.js';
import { KEY_VARIABLES } from '../export/environment.js';
import type { StsPort } from '../../aws/sts.js';
import { withRetry, type RetryPolicy } from '../../shared/retry.js';
import { Input } from '../inputs/table.js';
import type { Plan } from '../model.js';
import { completeRoleName } from '../plan/chain.js';
import type { BaseCredentials } from './base.js';
import { CallFailure, explainFailure } from './hints.js';

/** What GetCallerIdentity says of a set of keys. */
export interface Identity {
  arn: string;
  accountId: string;
}

/** The keys of the job's environment, when it holds a key ID and a secret. */
function environmentKeys(env: NodeJS.ProcessEnv): Credentials | undefined {
  const [keyId, secret, token] = KEY_VARIABLES.map((name) => env[name] ?? '');
  if (!keyId || !secret) return undefined;
  return credentialsOf(keyId, secret, token || undefined);
}

/**
 * `unset-current-credentials`: the environment's keys are removed from what this step reads,
 * so the base cannot come from them. Later steps get the step's exports in their place.
 */
export function unsetCredentials(info: (m: string) => void, env: NodeJS.ProcessEnv): void {
  const present = KEY_VARIABLES.filter((name) => env[name]);
  for (const name of KEY_VARIABLES) Reflect.deleteProperty(env, name);
  info(
    `${Input.UnsetCurrentCredentials}: ${present.length === 0 ? 'the environment held no credential variables' : `${present.join(', ')} of the environment are not used by this step`}.`,
  );
}

/**
 * `use-existing-credentials`: true when the environment holds keys that one GetCallerIdentity
 * accepts, in an allowed account. Any other answer means new credentials are obtained.
 */
export async function existingAreValid(
  plan: Plan,
  env: NodeJS.ProcessEnv,
  sts: StsPort,
  known: Map<string, Identity>,
  info: (m: string) => void,
  notice: (m: string) => void,
): Promise<boolean> {
  const name = Input.UseExistingCredentials;
  const keys = environmentKeys(env);
  if (keys === undefined) {
    info(
      `${name}: the environment holds no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; obtaining new credentials.`,
    );
    return false;
  }
  let id: Identity;
  try {
    // One try: a refusal or a fault alike means the step goes on as if there were none.
    id = await sts.getCallerIdentity(keys);
  } catch (err) {
    info(
      `${name}: STS did not accept the credentials in the environment (${(err as Error).name}); obtaining new credentials.`,
    );
    return false;
  }
  known.set(keys.accessKeyId, id);
  if (plan.allowedAccountIds.length > 0 && !plan.allowedAccountIds.includes(id.accountId)) {
    info(
      `${name}: the credentials in the environment belong to account ${id.accountId}, which is not in allowed-account-ids; obtaining new credentials.`,
    );
    return false;
  }
  notice(
    `${name}: the credentials in the environment are valid (${id.arn}): nothing is assumed and nothing is exported.`,
  );
  return true;
}

/**
 * A role name in `role-to-assume`: completed with the account and partition of the base keys,
 * which one GetCallerIdentity tells (unless the step already asked).
 */
export async function withRoleAccount(
  plan: Plan,
  base: BaseCredentials,
  deps: {
    sts: StsPort;
    retry: RetryPolicy;
    known: Map<string, Identity>;
    info: (m: string) => void;
  },
): Promise<Plan> {
  if (base.kind !== 'credentials')
    throw new Error(`${Input.RoleToAssume}: a role name needs base keys to take the account from`);
  const keys = base.credentials;
  let caller = deps.known.get(keys.accessKeyId);
  if (caller === undefined) {
    try {
      caller = await withRetry(() => deps.sts.getCallerIdentity(keys), deps.retry);
    } catch (err) {
      throw new CallFailure(
        explainFailure(err, {
          label: `base credentials (the account of role name ${plan.roleName ?? ''})`,
          base,
        }),
        { cause: err },
      );
    }
    deps.known.set(keys.accessKeyId, caller);
  }
  const completed = completeRoleName(plan, caller);
  deps.info(
    `${Input.RoleToAssume}: ${plan.roleName ?? ''} is ${completed.connections[0]?.role.arn ?? ''}, in the account of the base credentials (${caller.arn}).`,
  );
  return completed;
}
