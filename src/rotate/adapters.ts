/**
 * The real ports of the rotate action and the masking of its credential inputs: shared by
 * the main step and the post step, which both build the same adapters from the same inputs.
 */
import { mask, type Runner } from '../shared/runner.js';
import { createSts } from '../aws/sts.js';
import { TIMEOUTS } from '../aws/client.js';
import { RotateInput, type RotateSettings } from './inputs.js';
import type { IamPort, IdentityPort, SecretsPort, Seal } from './ports.js';

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
