/**
 * The main step: validate every input, resolve the base credentials and every role, then
 * export all of it or nothing. This module only sequences: what is masked is decided in
 * mask.ts, what is exported in export/exports.ts, and export/apply.ts writes it. `setFailed`
 * is called here, in `run`, and nowhere else.
 */
import {
  describeBase,
  githubIdToken,
  resolveBase,
  type BaseCredentials,
  type BaseDeps,
} from './resolve/base.js';
import { messageOf } from '../shared/errors.js';
import {
  checkAllowedAccounts,
  longTermKeyWarning,
  planExports,
  type RefreshExport,
} from './export/exports.js';
import { applyExports, exportDirectory, saveCleanupState } from './export/apply.js';
import { renderFailureSummary } from './export/summary.js';
import { CallFailure } from './resolve/hints.js';
import { getPlan, Input, type InputName } from './inputs/inputs.js';
import { parseActionTimeout } from './inputs/read.js';
import { completeRoleName } from './plan/chain.js';
import { DeadlineExpired, withDeadline, type Deadline, type Timers } from './deadline.js';
import { credentialsOf, type Credentials } from '../aws/credentials.js';
import { withRetry } from '../shared/retry.js';
import { explainFailure } from './resolve/hints.js';
import { accountMask, maskInputs, wantsAccountMasked } from './mask.js';
import type { RefreshContext } from './refresh/profiles.js';
import type { Plan } from './model.js';
import { connectionLabel, resolvePlan, type Resolution } from './resolve/resolve.js';
import { readIfExists } from '../shared/files.js';
import { defaultRetryPolicy, type RetryPolicy } from '../shared/retry.js';
import { workflowRunner, mask, type Runner } from '../shared/runner.js';
import { createSts, STS_TIMEOUTS, type StsPort } from '../aws/sts.js';

/** Seams for tests; the entry point uses the defaults. */
export interface MainDeps {
  runner: Runner;
  env: NodeJS.ProcessEnv;
  sts?: StsPort;
  retry?: RetryPolicy;
  defaultChain?: BaseDeps['defaultChain'];
  /** The clock the summary's "expires in …" reads. */
  now?: () => Date;
  /** Builds the refresh profiles (refresh/profiles.ts); loaded lazily. */
  refreshProfiles?: (
    plan: Plan,
    resolution: Resolution,
    dir: string,
    ctx: RefreshContext,
  ) => Promise<RefreshExport>;
  /** The clock of `action-timeout-s`. */
  timers?: Timers;
  /** Ends the process when `action-timeout-s` has failed the step (calls may still be in flight). */
  exit?: (code: number) => void;
}

/** Runs the main step. */
export async function run(deps: Partial<MainDeps> = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const runner = deps.runner ?? workflowRunner(env);
  try {
    await withDeadline(
      timeoutOf(runner),
      (deadline) => main({ ...deps, runner, env }, deadline),
      deps.timers,
    );
  } catch (err) {
    const message = messageOf(err);
    // STS errors name the caller (`User: arn:aws:iam::<account>:…`): mask before printing.
    const masked = wantsAccountMasked(runner);
    accountMask(runner, masked).inText(message);
    await writeFailureSummary(runner, err, message, masked);
    runner.setFailed(message);
    // Whatever is still in flight would only fail at its claim: end the step now.
    if (err instanceof DeadlineExpired) (deps.exit ?? ((code) => process.exit(code)))(1);
  }
}

/** `action-timeout-s`, read before anything else; a bad value is left to validation to report. */
function timeoutOf(runner: Runner): number {
  try {
    return parseActionTimeout(runner.getInput(Input.ActionTimeout).trim());
  } catch {
    return 0;
  }
}

/** Best effort: a summary that cannot be written must not hide the error itself. */
async function writeFailureSummary(
  runner: Runner,
  err: unknown,
  message: string,
  maskAccountIds: boolean,
): Promise<void> {
  const explanation = err instanceof CallFailure ? err.explanation : undefined;
  try {
    await runner.summary(renderFailureSummary(message, explanation, maskAccountIds));
  } catch (summaryError) {
    runner.debug(`The failure summary was not written: ${messageOf(summaryError)}`);
  }
}

async function main(deps: MainDeps, deadline: Deadline): Promise<void> {
  const { runner, env } = deps;
  // State first: a post step with no state at all means main never started.
  saveCleanupState(runner, { variables: [], paths: [] });
  maskInputs(runner, env);

  let plan = await getPlan((name: InputName) => runner.getInput(name), env, readIfExists);
  const accounts = accountMask(runner, plan.maskAccountId);
  accounts.ofPlan(plan);
  for (const notice of plan.notices) runner.notice(notice);
  logPlan(runner, plan);
  const dir = exportDirectory(plan, env);
  if (plan.unsetCurrentCredentials) unsetCredentials(runner, env);

  const sts = deps.sts ?? (await stsFor(plan, runner, env));
  const retry = deps.retry ?? defaultRetryPolicy(plan.retryMaxAttempts);
  // An identity is logged the moment it is known: mask its account before the line goes out.
  const info = (m: string): void => {
    accounts.inText(m);
    runner.info(m);
  };
  const notice = (m: string): void => {
    accounts.inText(m);
    runner.notice(m);
  };
  // Identities already asked for, by access key ID: at most one GetCallerIdentity a step.
  const known = new Map<string, Identity>();
  if (plan.useExistingCredentials && (await existingAreValid(plan, env, sts, known, info, notice)))
    return;
  const base = await resolveBase(plan.base, baseDeps(runner, deps));
  const warning = longTermKeyWarning(plan);
  if (warning !== undefined) runner.warning(warning);
  if (plan.roleName !== undefined) {
    plan = await withRoleAccount(plan, base, { sts, retry, known, info });
    accounts.ofPlan(plan);
  }
  const resolution = await resolvePlan(plan, base, { sts, retry, info });
  accounts.ofResolution(resolution);
  checkAllowedAccounts(plan, resolution);

  const refreshContext: RefreshContext = {
    base,
    sts,
    retry,
    env,
    info,
    warning: (m) => runner.warning(m),
  };
  const refresh = plan.refresh
    ? await (deps.refreshProfiles ?? loadRefreshProfiles)(plan, resolution, dir, refreshContext)
    : undefined;
  const view = { now: (deps.now ?? (() => new Date()))(), base };
  const exports = planExports(plan, resolution, refresh, view);
  deadline.claim();
  await applyExports(runner, dir, exports);
  const who = resolution.primary?.arn ? ` as ${resolution.primary.arn}` : '';
  runner.info(
    `Exported credentials${who}${plan.named ? ` and ${resolution.connections.length} profiles` : ''}.`,
  );
}

/** What GetCallerIdentity says of a set of keys. */
interface Identity {
  arn: string;
  accountId: string;
}

/** The credential variables the base may be read from (the default chain reads them). */
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** The keys of the job's environment, when it holds a key ID and a secret. */
function environmentKeys(env: NodeJS.ProcessEnv): Credentials | undefined {
  const [keyId, secret, token] = CREDENTIAL_VARIABLES.map((name) => env[name] ?? '');
  if (!keyId || !secret) return undefined;
  return credentialsOf(keyId, secret, token || undefined);
}

/**
 * `unset-current-credentials`: the environment's keys are removed from what this step reads,
 * so the base cannot come from them. Later steps get the step's exports in their place.
 */
function unsetCredentials(runner: Runner, env: NodeJS.ProcessEnv): void {
  const present = CREDENTIAL_VARIABLES.filter((name) => env[name]);
  for (const name of CREDENTIAL_VARIABLES) Reflect.deleteProperty(env, name);
  runner.info(
    `${Input.UnsetCurrentCredentials}: ${present.length === 0 ? 'the environment held no credential variables' : `${present.join(', ')} of the environment are not used by this step`}.`,
  );
}

/**
 * `use-existing-credentials`: true when the environment holds keys that one GetCallerIdentity
 * accepts, in an allowed account. Any other answer means new credentials are obtained.
 */
async function existingAreValid(
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
async function withRoleAccount(
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

/** The SDK's STS adapter, as the plan says to reach STS. */
function stsFor(plan: Plan, runner: Runner, env: NodeJS.ProcessEnv): Promise<StsPort> {
  return createSts({
    region: plan.region,
    ...(plan.stsEndpoint === undefined ? {} : { endpoint: plan.stsEndpoint }),
    ...(plan.proxy === undefined ? {} : { proxy: plan.proxy }),
    ...STS_TIMEOUTS,
    // Connections on the base go out together: one early connection for each.
    parallel: Math.max(1, plan.connections.filter((c) => c.source === undefined).length),
    env,
    mask: (v) => mask(runner, v),
  });
}

function baseDeps(runner: Runner, deps: MainDeps): BaseDeps {
  const result: BaseDeps = {
    mask: (v) => mask(runner, v),
    getIdToken: (aud) => (runner.getIdToken ? runner.getIdToken(aud) : githubIdToken(aud)),
  };
  if (deps.defaultChain) result.defaultChain = deps.defaultChain;
  return result;
}

function logPlan(runner: Runner, plan: Plan): void {
  runner.info(`Base credentials: ${describeBase(plan.base)}.`);
  for (const c of plan.connections) {
    const from =
      c.source === undefined
        ? 'the base'
        : c.kind.type === 'chain'
          ? `role ${c.kind.position - 1}`
          : `"${c.source}"`;
    const id =
      c.externalId === undefined ? 'no external ID (web identity)' : `external ID ${c.externalId}`;
    runner.info(
      `${connectionLabel(plan, c)}: ${c.role.arn} from ${from}, ${id}, ${c.durationSeconds} s`,
    );
  }
  runner.debug(
    `Region ${plan.region}; STS endpoint ${plan.stsEndpoint ?? 'regional default'}; proxy ${plan.proxy === undefined ? 'none' : 'set'}; retries ${plan.retryMaxAttempts}`,
  );
}

async function loadRefreshProfiles(
  plan: Plan,
  resolution: Resolution,
  dir: string,
  ctx: RefreshContext,
): Promise<RefreshExport> {
  const { buildRefreshProfiles } = await import('./refresh/profiles.js');
  return buildRefreshProfiles(plan, resolution, dir, ctx);
}
