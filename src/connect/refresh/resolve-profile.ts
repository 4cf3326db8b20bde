/**
 * One resolution of a profile for the refresh program: the base obtained anew from what main
 * recorded, then the profile's connection and its sources assumed again by the action's own
 * resolver (the graph of just those connections). Loaded only when the cache cannot answer.
 */
import { delimiter, dirname, join } from 'node:path';
import { loadDefaultChain, resolveBase } from '../resolve/base.js';
import { messageOf } from '../../shared/errors.js';
import { readIfExists } from '../../shared/files.js';
import type { BaseSpec } from '../model.js';
import type { Credentials } from '../../aws/credentials.js';
import { resolveProxy } from '../../shared/network.js';
import { resolveConnections, type ConnectionGraph } from '../resolve/resolve.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../../shared/retry.js';
import { createSts, STS_TIMEOUTS, type StsConfig, type StsPort } from '../../aws/sts.js';
import { regionalStsEndpoint } from '../../aws/client.js';
import {
  DEFAULT_CHAIN_VARIABLES,
  lineage,
  parseSessionFile,
  RefreshFile,
  type RefreshBase,
  type RefreshConfig,
  type SessionFile,
} from './config.js';
import { requestIdToken, type Fetch } from './oidc.js';
import { toProcessCredentials, type ProcessCredentials } from './output.js';

/**
 * The refresh.json paths of the refreshes running above this process. The default provider
 * chain may run another profile's credential_process; if it leads back to this one, stop.
 */
export const STACK_VARIABLE = 'AWS_CONNECTION_REFRESH_STACK';

/** What a resolution needs from the program; the program's own seams extend these. */
export interface ResolveProfileDeps {
  /** The environment; for the default chain it must be `process.env`, which the SDK reads. */
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** The STS adapter (default: the SDK's, loaded only when the cache cannot answer). */
  createSts?: (config: StsConfig) => Promise<StsPort>;
  /** For the OIDC token (default: the global fetch, touched only when needed: it loads undici). */
  fetch?: Fetch;
  /** The default provider chain, resolved once (default: the SDK's, loaded on that path only). */
  defaultChain?: () => Promise<Credentials>;
  retry?: RetryPolicy;
  /** The session of a `session` base, held in memory by the agent (else read from session.json). */
  session?: SessionFile;
}

/** Gets the base anew and assumes `connection` and its sources again. */
export async function resolveProfile(
  config: RefreshConfig,
  connection: string,
  configPath: string,
  deps: ResolveProfileDeps,
): Promise<ProcessCredentials> {
  const retry = deps.retry ?? defaultRetryPolicy(config.retryMaxAttempts);
  const spec = baseSpec(config.base, dirname(configPath), configPath, deps);
  const endpoint = config.stsEndpoint ?? regionalStsEndpoint(config.region, deps.env);
  const proxy = config.proxy ?? resolveProxy('', endpoint, deps.env);
  const sts = await (deps.createSts ?? createSts)({
    region: config.region,
    ...(config.stsEndpoint === undefined ? {} : { endpoint: config.stsEndpoint }),
    ...(proxy === undefined ? {} : { proxy }),
    ...STS_TIMEOUTS,
    env: deps.env,
    // The program prints nothing but its answer: there is no log to mask.
    mask: () => undefined,
  });
  const base = await resolveBase(spec, {
    mask: () => undefined,
    getIdToken: (audience) =>
      withRetry(() => requestIdToken(deps.env, audience, deps.fetch ?? fetch), retry),
    defaultChain: deps.defaultChain ?? defaultChain,
  });
  const graph = profileGraph(config, connection, spec);
  const started = deps.now();
  let resolution;
  try {
    resolution = await resolveConnections(graph, base, { sts, retry, info: () => undefined });
  } catch (err) {
    throw explainExpiry(err, config.base);
  }
  const target = graph.connections.at(-1);
  if (!resolution.primary || !target)
    throw new Error(`connection ${connection} resolved to nothing`);
  return toProcessCredentials(
    resolution.primary.credentials,
    new Date(started + target.durationSeconds * 1000),
  );
}

/** The base to resolve, from what main recorded. */
function baseSpec(
  base: RefreshBase,
  dir: string,
  configPath: string,
  deps: ResolveProfileDeps,
): BaseSpec {
  switch (base.kind) {
    case 'session': {
      const session = deps.session ?? readSession(dir);
      if (session.expiration !== undefined && Date.parse(session.expiration) <= deps.now()) {
        throw new Error(expiredSource(base, session.expiration));
      }
      const spec: BaseSpec = {
        kind: 'static',
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
      };
      if (session.sessionToken !== undefined) spec.sessionToken = session.sessionToken;
      return spec;
    }
    case 'agent':
      // The client asks the agent (program.ts); only the agent resolves, from a 'session' base.
      throw new Error('this profile renews through the credential agent, not by itself');
    case 'oidc':
      return { kind: 'oidc', audience: base.audience };
    case 'web-identity-file':
      return { kind: 'web-identity-file', path: base.path };
    case 'default-chain': {
      const stack = (deps.env[STACK_VARIABLE] ?? '').split(delimiter).filter((p) => p !== '');
      if (stack.includes(configPath)) {
        throw new Error(
          'the default provider chain led back to this profile (its AWS_PROFILE is one of ours): set the base credentials of the aws-connection step explicitly',
        );
      }
      deps.env[STACK_VARIABLE] = [...stack, configPath].join(delimiter);
      // Later steps see AWS_PROFILE and AWS_CONFIG_FILE pointing at our own profiles: give the
      // chain what the main step's chain saw.
      for (const name of DEFAULT_CHAIN_VARIABLES) {
        const value = base.env[name];
        if (value === null) delete deps.env[name];
        else deps.env[name] = value;
      }
      return { kind: 'default-chain' };
    }
  }
}

function readSession(dir: string): SessionFile {
  const text = readIfExists(join(dir, RefreshFile.Session));
  if (text === undefined)
    throw new Error(
      `${join(dir, RefreshFile.Session)} does not exist (the post step has run, or RUNNER_TEMP was cleaned)`,
    );
  return parseSessionFile(text);
}

/** The graph of `connection` and its sources only, for the action's resolver. */
export function profileGraph(
  config: RefreshConfig,
  connection: string,
  base: BaseSpec,
): ConnectionGraph {
  return {
    base,
    connections: lineage(config.connections, connection),
    primary: connection,
    named: config.named,
  };
}

/** Says plainly when the source has expired, rather than only the STS error of the first hop. */
function explainExpiry(err: unknown, base: RefreshBase): unknown {
  if (base.kind !== 'session' || !/: ExpiredToken(Exception)?:/.test(messageOf(err))) return err;
  return new Error(`${expiredSource(base)} (${messageOf(err)})`);
}

function expiredSource(base: Extract<RefreshBase, { kind: 'session' }>, at?: string): string {
  const when = at === undefined ? '' : ` at ${at}`;
  if (base.origin === 'given') {
    return `the temporary keys given to the aws-connection step expired${when}, and the profile renews from them: give the step long-term keys (exchanged for a session of refresh-window) or OIDC`;
  }
  const hours = Math.round((base.windowSeconds / 3600) * 10) / 10;
  return `the session credentials this profile renews from expired${when}: they last the step's refresh-window (${hours} h). Run the aws-connection step again, or give it a longer refresh-window`;
}

/** The SDK's default provider chain, loaded only on this path. */
async function defaultChain(): Promise<Credentials> {
  try {
    return await loadDefaultChain();
  } catch (err) {
    throw new Error(`the default provider chain gave no credentials: ${messageOf(err)}`, {
      cause: err,
    });
  }
}
