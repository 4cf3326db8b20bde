/**
 * The main step: validate every input, resolve the base credentials and every role, then
 * export all of it or nothing. `setFailed` is called here, in `run`, and nowhere else.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBase, githubIdToken, resolveBase, type BaseDeps } from './resolve/base.js';
import { messageOf } from '../shared/errors.js';
import {
  checkAllowedAccounts,
  planExports,
  type ExportFile,
  type Exports,
} from './export/exports.js';
import { getPlan, Input, type InputName } from './inputs/inputs.js';
import type { RefreshContext } from './refresh/profiles.js';
import type { Plan } from './model.js';
import { connectionLabel, resolvePlan, type Resolution } from './resolve/resolve.js';
import { defaultRetryPolicy, type RetryPolicy } from '../shared/retry.js';
import { workflowRunner, mask, type Runner } from '../shared/runner.js';
import { State, type CleanupState } from './state.js';
import { createSts, type StsPort } from '../aws/sts.js';
import { TIMEOUTS } from '../aws/client.js';
import { PROXY_VARIABLES, proxySecrets } from '../shared/network.js';

/** Seams for tests; the entry point uses the defaults. */
export interface MainDeps {
  runner: Runner;
  env: NodeJS.ProcessEnv;
  sts?: StsPort;
  retry?: RetryPolicy;
  defaultChain?: BaseDeps['defaultChain'];
  /** Builds the refresh profiles (src/refresh-profiles.ts); loaded lazily. */
  refreshProfiles?: (
    plan: Plan,
    resolution: Resolution,
    dir: string,
    ctx: RefreshContext,
  ) => Promise<ExportFile[]>;
}

/** Runs the main step. */
export async function run(deps: Partial<MainDeps> = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const runner = deps.runner ?? workflowRunner(env);
  try {
    await main({ ...deps, runner, env });
  } catch (err) {
    const message = messageOf(err);
    // STS errors name the caller (`User: arn:aws:iam::<account>:…`): mask before printing.
    if (wantsAccountMasked(runner)) for (const id of accountIds(message)) runner.setSecret(id);
    runner.setFailed(message);
  }
}

/** `mask-aws-account-id`, read leniently: it must work before (and even if) validation fails. */
function wantsAccountMasked(runner: Runner): boolean {
  return ['true', 'True', 'TRUE'].includes(runner.getInput(Input.MaskAccountId).trim());
}

/** The 12-digit account IDs in a text. */
function accountIds(text: string): string[] {
  return [...new Set(text.match(/\b\d{12}\b/g) ?? [])];
}

async function main(deps: MainDeps): Promise<void> {
  const { runner, env } = deps;
  // State first: a post step with no state at all means main never started.
  const cleanup: CleanupState = { variables: [], paths: [] };
  runner.saveState(State.Cleanup, JSON.stringify(cleanup));
  maskInputs(runner, env);

  const plan = await getPlan((name: InputName) => runner.getInput(name), env, readIfExists);
  if (plan.maskAccountId) for (const c of plan.connections) runner.setSecret(c.role.accountId);
  logPlan(runner, plan);

  const sts =
    deps.sts ??
    (await createSts({
      region: plan.region,
      ...(plan.stsEndpoint === undefined ? {} : { endpoint: plan.stsEndpoint }),
      ...(plan.proxy === undefined ? {} : { proxy: plan.proxy }),
      connectTimeoutMs: TIMEOUTS.sts.connectMs,
      requestTimeoutMs: TIMEOUTS.sts.requestMs,
      // Connections on the base go out together: one early connection for each.
      parallel: Math.max(1, plan.connections.filter((c) => c.source === undefined).length),
      env,
      mask: (v) => mask(runner, v),
    }));
  const baseDeps: BaseDeps = {
    mask: (v) => mask(runner, v),
    getIdToken: (aud) => (runner.getIdToken ? runner.getIdToken(aud) : githubIdToken(aud)),
  };
  if (deps.defaultChain) baseDeps.defaultChain = deps.defaultChain;

  const base = await resolveBase(plan.base, baseDeps);
  if (
    plan.base.kind === 'static' &&
    plan.connections.length === 0 &&
    !plan.sessionCredentials &&
    plan.base.sessionToken === undefined
  ) {
    runner.warning(
      'session-credentials is false: the long-term access key is exported as it is. Prefer session credentials or a role.',
    );
  }
  const retry = deps.retry ?? defaultRetryPolicy(plan.retryMaxAttempts);
  // An identity is logged the moment it is known: mask its account before the line goes out.
  const info = (m: string): void => {
    if (plan.maskAccountId) for (const id of accountIds(m)) runner.setSecret(id);
    runner.info(m);
  };
  const resolution = await resolvePlan(plan, base, { sts, retry, info });
  if (plan.maskAccountId)
    for (const c of resolution.connections) runner.setSecret(c.session.accountId);
  if (plan.maskAccountId && resolution.primary?.accountId)
    runner.setSecret(resolution.primary.accountId);
  checkAllowedAccounts(plan, resolution);

  const dir = join(env['RUNNER_TEMP'] ?? '', `aws-connection-${randomBytes(6).toString('hex')}`);
  const needsDir = plan.named || plan.refresh;
  if (needsDir && !env['RUNNER_TEMP'])
    throw new Error('RUNNER_TEMP is not set: the profile files have nowhere to go');
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
  const exports = planExports(plan, resolution, refresh);

  // Record everything before writing anything, so the post step removes it even if we die here.
  cleanup.variables = [
    ...exports.variables.map(([name]) => name),
    ...exports.fileVariables.map(([name]) => name),
  ];
  if (exports.files.length > 0) cleanup.paths = [dir];
  runner.saveState(State.Cleanup, JSON.stringify(cleanup));
  await writeFiles(dir, exports);
  apply(runner, dir, exports);
  await runner.summary(exports.summary);
  const who = resolution.primary?.arn ? ` as ${resolution.primary.arn}` : '';
  runner.info(
    `Exported credentials${who}${plan.named ? ` and ${resolution.connections.length} profiles` : ''}.`,
  );
}

/** Masks what the inputs and environment hold that must never show, before anything runs. */
function maskInputs(runner: Runner, env: NodeJS.ProcessEnv): void {
  for (const name of [Input.AccessKeyId, Input.SecretAccessKey, Input.SessionToken] as const)
    mask(runner, runner.getInput(name).trim());
  // A proxy address may hold a password; validation errors never show it, the log never will.
  const proxies = [runner.getInput(Input.HttpProxy), ...PROXY_VARIABLES.map((v) => env[v] ?? '')];
  for (const value of proxies)
    for (const secret of proxySecrets(value.trim())) runner.setSecret(secret);
  // Role ARNs hold account IDs, and validation errors quote them.
  if (wantsAccountMasked(runner)) {
    for (const name of [Input.RoleToAssume, Input.RoleChain, Input.Connections] as const)
      for (const id of accountIds(runner.getInput(name))) runner.setSecret(id);
  }
}

function logPlan(runner: Runner, plan: Plan): void {
  runner.info(`Base credentials: ${describeBase(plan.base)}.`);
  for (const c of plan.connections) {
    const from =
      c.source === undefined
        ? 'the base'
        : plan.named
          ? `"${c.source}"`
          : `role ${c.source.replace('chain-', '')}`;
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

async function writeFiles(dir: string, exports: Exports): Promise<void> {
  if (exports.files.length === 0) return;
  await mkdir(dir, { recursive: false, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const file of exports.files) {
    await writeFile(join(dir, file.name), file.content, { mode: 0o600, flag: 'wx' });
  }
}

function apply(runner: Runner, dir: string, exports: Exports): void {
  for (const [name, value] of exports.variables) runner.exportVariable(name, value);
  for (const [name, file] of exports.fileVariables) runner.exportVariable(name, join(dir, file));
  for (const [name, value] of exports.outputs) runner.setOutput(name, value);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function loadRefreshProfiles(
  plan: Plan,
  resolution: Resolution,
  dir: string,
  ctx: RefreshContext,
): Promise<ExportFile[]> {
  const { buildRefreshProfiles } = await import('./refresh/profiles.js');
  return buildRefreshProfiles(plan, resolution, dir, ctx);
}
