/**
 * How both actions reach AWS: the request timeouts (one table), the connection pool every
 * client of a step shares, and the options of each SDK client. Credentials stay per client:
 * sharing a pool shares sockets, never signing keys.
 */
import { Agent as HttpAgent } from 'node:http';
import { PreconnectingAgent } from './preconnect.js';
import type { Credentials } from './credentials.js';

/**
 * Request timeouts of every service the actions call. A request that has not connected within
 * `connectMs`, or whose socket stays idle `requestMs` (a hung server), is abandoned and retried
 * where that is safe. IAM gets longer: it is one global endpoint, and its writes are slower.
 */
export const TIMEOUTS = {
  sts: { connectMs: 3000, requestMs: 5000 },
  iam: { connectMs: 3000, requestMs: 10_000 },
  github: { requestMs: 15_000 },
} as const;

/**
 * Stands in for the regional STS endpoint (a local TLS terminator in `npm run bench -- --network`).
 * Read only when no endpoint is configured; a configured endpoint is never pre-connected.
 */
export const STS_STAND_IN_VARIABLE = 'AWS_CONNECTION_STS_STAND_IN';

/** How to reach an AWS service (STS, or IAM for the rotate action). */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  proxy?: string;
  /** Abandon a request that has not connected within this long. */
  connectTimeoutMs: number;
  /** Abandon a request whose socket stays idle this long (a hung server). */
  requestTimeoutMs: number;
}

/** The agents every client of a step shares: one keep-alive pool per endpoint. */
export interface ConnectionPool {
  httpAgent: unknown;
  httpsAgent: unknown;
  /** Opens `count` connections to `url` ahead of the first request; a no-op through a proxy. */
  preconnect(url: string, count?: number): void;
  /** Runs `load` so that the connections opened ahead progress meanwhile (see preconnect.ts). */
  whileConnecting<T>(load: () => Promise<T>): Promise<T>;
}

/** The regional STS endpoint the SDK calls for `region` (China has its own domain). */
export function regionalStsEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  return (
    stsStandIn(env) ?? `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`
  );
}

/** The stand-in for the regional endpoint, when one is set (see {@link STS_STAND_IN_VARIABLE}). */
export function stsStandIn(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[STS_STAND_IN_VARIABLE] || undefined;
}

/**
 * A keep-alive pool: direct agents, or agents that tunnel through `proxy` (loaded only then).
 * Only the direct https agent can open connections ahead.
 */
export async function connectionPool(proxy?: string): Promise<ConnectionPool> {
  if (proxy !== undefined)
    return {
      ...(await proxyAgents(proxy)),
      preconnect: () => undefined,
      whileConnecting: (load) => load(),
    };
  // As the SDK's own default agents, but one pair for every client of the step.
  const httpsAgent = new PreconnectingAgent({ keepAlive: true, maxSockets: 50 });
  return {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
    httpsAgent,
    preconnect: (url, count) => httpsAgent.preconnect(url, count),
    whileConnecting: (load) => httpsAgent.whileConnecting(load),
  };
}

/**
 * The options of every SDK client we build, for the credentials given (none: the SDK's own
 * chain). Every client made from one call shares `pool` (a new one when not given).
 */
export async function sdkClientOptions(
  config: AwsClientConfig,
  pool?: ConnectionPool,
): Promise<(credentials?: Credentials) => SdkClientOptions> {
  const { httpAgent, httpsAgent } = pool ?? (await connectionPool(config.proxy));
  return (credentials) => ({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    // Retries are ours (bounded, and never for AccessDenied): the SDK makes one try.
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Without it the handler only logs a warning and waits on: a hung STS would hang the job.
      throwOnRequestTimeout: true,
      httpAgent,
      httpsAgent,
    },
    ...(credentials === undefined ? {} : { credentials: { ...credentials } }),
  });
}

/** What {@link sdkClientOptions} returns: fits the config of STSClient and IAMClient alike. */
export interface SdkClientOptions {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: boolean;
    httpAgent?: unknown;
    httpsAgent?: unknown;
  };
  credentials?: Credentials;
}

/** Keep-alive http and https agents that tunnel through `proxy`. */
export async function proxyAgents(
  proxy: string,
): Promise<{ httpAgent: unknown; httpsAgent: unknown }> {
  const [{ HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([
    import('https-proxy-agent'),
    import('http-proxy-agent'),
  ]);
  return {
    httpAgent: new HttpProxyAgent(proxy, { keepAlive: true }),
    httpsAgent: new HttpsProxyAgent(proxy, { keepAlive: true }),
  };
}
