/**
 * The rotate action's main step: read the inputs, build the adapters, rotate, then report
 * (outputs and job summary, also after a failure). `setFailed` is called here and nowhere else.
 */
import { messageOf } from '../shared/errors.js';
import { defaultRetryPolicy, sleep as realSleep } from '../shared/retry.js';
import { mask, workflowRunner, type Runner } from '../shared/runner.js';
import { createSts } from '../aws/sts.js';
import { TIMEOUTS } from '../aws/client.js';
import { rotate, type EngineDeps } from './engine.js';
import { getSettings, RotateInput, type RotateSettings } from './inputs.js';
import type { IamPort, IdentityPort, SecretsPort, Seal } from './ports.js';
import { RotateState } from './state.js';
import { outputsOf, renderSummary } from './summary.js';

/** Seams for tests; the entry point uses the defaults. */
export interface RotateDeps {
  runner: Runner;
  env: NodeJS.ProcessEnv;
  ports?: Ports;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The four ports of a rotation. */
export interface Ports {
  iam: IamPort;
  identity: IdentityPort;
  secrets: SecretsPort;
  seal: Seal;
}

/** Masks the credentials among the inputs: before anything else can print them. */
export function maskInputs(runner: Runner): void {
  for (const name of [
    RotateInput.AccessKeyId,
    RotateInput.SecretAccessKey,
    RotateInput.GithubToken,
  ])
    mask(runner, runner.getInput(name).trim());
}

/** The SDK and Octokit adapters for `settings`; loaded lazily so tests with fakes never load them. */
export async function createPorts(settings: RotateSettings, runner: Runner): Promise<Ports> {
  const [{ createIam }, { createSecrets, seal }] = await Promise.all([
    import('./iam.js'),
    import('./github.js'),
  ]);
  const common = {
    region: settings.region,
    ...(settings.proxy === undefined ? {} : { proxy: settings.proxy }),
    mask: (v: string) => mask(runner, v),
  };
  return {
    iam: await createIam({
      ...common,
      connectTimeoutMs: TIMEOUTS.iam.connectMs,
      requestTimeoutMs: TIMEOUTS.iam.requestMs,
      ...(settings.iamEndpoint === undefined ? {} : { endpoint: settings.iamEndpoint }),
    }),
    identity: await createSts({
      ...common,
      connectTimeoutMs: TIMEOUTS.sts.connectMs,
      requestTimeoutMs: TIMEOUTS.sts.requestMs,
      ...(settings.stsEndpoint === undefined ? {} : { endpoint: settings.stsEndpoint }),
    }),
    secrets: createSecrets({
      token: settings.githubToken,
      baseUrl: settings.githubApiUrl,
      requestTimeoutMs: TIMEOUTS.github.requestMs,
      warn: (m) => runner.debug(m),
    }),
    seal,
  };
}

/** Runs the main step. */
export async function run(deps: Partial<RotateDeps> = {}): Promise<void> {
  const runner = deps.runner ?? workflowRunner(deps.env ?? process.env);
  const env = deps.env ?? process.env;
  try {
    maskInputs(runner);
    const settings = getSettings((name) => runner.getInput(name), env);
    runner.debug(
      `Targets ${settings.targets.length}; GitHub API ${settings.githubApiUrl}; dry-run ${settings.dryRun}; min-age ${settings.minAgeMs ?? 'none'} ms; delete-old-key ${settings.deleteOldKey}; second-key ${settings.secondKey}; grace ${settings.graceSeconds} s; verify ${settings.verifySuccesses} in ${settings.verifyTimeoutMs} ms every ${settings.verifyIntervalMs} ms`,
    );
    const ports = deps.ports ?? (await createPorts(settings, runner));
    const sleep = deps.sleep ?? realSleep;
    const now = deps.now ?? Date.now;
    const engine: EngineDeps = {
      ...ports,
      retry: { ...defaultRetryPolicy(settings.retryMaxAttempts), sleep, now },
      log: runner,
      mask: (v) => mask(runner, v),
      save: (state) => runner.saveState(RotateState.Rotation, JSON.stringify(state)),
      sleep,
      now,
    };
    const report = await rotate(settings, engine);
    for (const [name, value] of outputsOf(report)) runner.setOutput(name, value);
    await runner.summary(renderSummary(report));
    if (report.error !== undefined) runner.setFailed(report.error);
    else if (report.rotated)
      runner.info(
        `Rotated: every target holds the new key; the old key is ${report.oldKey === 'deleted' ? 'deleted' : report.oldKey === 'inactive' ? 'Inactive' : 'still Active'}.`,
      );
    else
      runner.info(
        report.skipped === undefined
          ? 'Nothing was changed.'
          : `Nothing was changed: ${report.skipped}.`,
      );
  } catch (err) {
    runner.setFailed(messageOf(err));
  }
}
