/**
 * The main step: validate every input, resolve the base credentials and every role, then
 * export all of it or nothing. This module only sequences: what is masked is decided in
 * mask.ts, what is exported in export/exports.ts, and export/apply.ts writes it. `setFailed`
 * is called here, in `run`, and nowhere else.
 */
import { describeBase, githubIdToken, resolveBase, type BaseDeps } from './resolve/base.js';
import { InputError, messageOf, show } from '../shared/errors.js';
import {
  checkAllowedAccounts,
  describeLaterSteps,
  longTermKeyWarning,
  overriddenRegionWarning,
  planExports,
} from './export/exports.js';
import { LATER_STEP_VARIABLES } from './export/environment.js';
import { definingFile, type CarriedFiles } from './export/profile-files.js';
import { applyExports, exportDirectory, saveCleanupState } from './export/apply.js';
import { renderFailureSummary } from './export/summary.js';
import { CallFailure } from './resolve/hints.js';
import { getPlan, Input, type InputName } from './inputs/inputs.js';
import { parseActionTimeout } from './inputs/read.js';
import { DeadlineExpired, withDeadline, type Deadline, type Timers } from './deadline.js';
import {
  existingAreValid,
  unsetCredentials,
  withRoleAccount,
  type Identity,
} from './resolve/environment.js';
import { accountMask, maskInputs, wantsAccountMasked } from './mask.js';
import type { RefreshContext, RefreshProfiles } from './refresh/profiles.js';
import type { Plan } from './model.js';
import { connectionLabel, resolvePlan, type Resolution } from './resolve/resolve.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
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
  ) => Promise<RefreshProfiles>;
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
  // As earlier steps left it, before unset-current-credentials hides anything from this step.
  const before = Object.fromEntries(LATER_STEP_VARIABLES.map((name) => [name, env[name]]));

  let plan = await getPlan((name: InputName) => runner.getInput(name), env, readIfExists);
  const accounts = accountMask(runner, plan.maskAccountId);
  accounts.ofPlan(plan);
  for (const notice of plan.notices) runner.notice(notice);
  logPlan(runner, plan);
  const dir = exportDirectory(plan, env);
  const carried = carriedFiles(env);
  if (plan.awsProfile !== undefined && !plan.overwriteAwsProfile)
    refuseExistingProfile(plan.awsProfile, carried, env);
  if (plan.unsetCurrentCredentials) unsetCredentials((m) => runner.info(m), env);

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
  const exports = planExports(plan, resolution, { dir, before, carried }, refresh, view);
  deadline.claim();
  await applyExports(runner, dir, exports, refresh?.startAgent);
  const overridden = overriddenRegionWarning(exports.laterSteps);
  if (overridden !== undefined) runner.warning(overridden);
  for (const line of describeLaterSteps(exports.laterSteps)) info(line);
}

/** Where a tool would read profiles now: the variable's file, else the default one. */
function profileFile(env: NodeJS.ProcessEnv, name: string, fallback: string): string | undefined {
  const value = env[name];
  // Emptied by an earlier step: the tools read no file.
  if (value === '') return undefined;
  return value ?? join(homedir(), '.aws', fallback);
}

/** The profile files as earlier steps left them. */
function carriedFiles(env: NodeJS.ProcessEnv): CarriedFiles {
  const read = (path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readIfExists(path);
    } catch {
      // Unreadable to us, unreadable to the tools: there is nothing to carry.
      return undefined;
    }
  };
  const config = read(profileFile(env, 'AWS_CONFIG_FILE', 'config'));
  const credentials = read(profileFile(env, 'AWS_SHARED_CREDENTIALS_FILE', 'credentials'));
  return {
    ...(config !== undefined && { config }),
    ...(credentials !== undefined && { credentials }),
  };
}

/** `aws-profile` without `overwrite-aws-profile`: a profile an earlier step left stays theirs. */
function refuseExistingProfile(name: string, carried: CarriedFiles, env: NodeJS.ProcessEnv): void {
  const file = definingFile(name, carried);
  if (file === undefined) return;
  const path =
    file === 'config'
      ? profileFile(env, 'AWS_CONFIG_FILE', 'config')
      : profileFile(env, 'AWS_SHARED_CREDENTIALS_FILE', 'credentials');
  throw new InputError(
    Input.AwsProfile,
    `profile ${show(name)} already exists in ${path ?? file}; set overwrite-aws-profile: true to replace it for the steps after this one`,
  );
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
): Promise<RefreshProfiles> {
  const { buildRefreshProfiles } = await import('./refresh/profiles.js');
  return buildRefreshProfiles(plan, resolution, dir, ctx);
}
