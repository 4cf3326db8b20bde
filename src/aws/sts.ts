/**
 * The STS port and its AWS SDK adapter. Every call is signed with the credentials it is
 * given, never with whatever the environment holds: each call builds a client around
 * exactly those credentials. The adapter masks every credential before returning it.
 */
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials as StsCredentials,
} from '@aws-sdk/client-sts';
import { credentialsOf, type Credentials, type Session, type Tag } from './credentials.js';

/** One AssumeRole or AssumeRoleWithWebIdentity call's parameters. */
export interface AssumeRequest {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
  tags?: Tag[];
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  policy?: string;
  policyArns?: string[];
}

/** The four STS calls the action makes. */
export interface StsPort {
  assumeRole(signer: Credentials, request: AssumeRequest): Promise<Session>;
  assumeRoleWithWebIdentity(token: string, request: AssumeRequest): Promise<Session>;
  getSessionToken(signer: Credentials, durationSeconds: number): Promise<Credentials>;
  getCallerIdentity(signer: Credentials): Promise<{ arn: string; accountId: string }>;
}

/** How to reach STS. */
export interface StsConfig {
  region: string;
  endpoint?: string;
  proxy?: string;
  /** Abandon a request that has not connected within this long. */
  connectTimeoutMs: number;
  /** Abandon a request whose socket stays idle this long (a hung server). */
  requestTimeoutMs: number;
  /** Called with each secret value the moment it arrives. */
  mask: (value: string) => void;
}

/**
 * The request timeouts of every STS client the main step and the refresh program build: a
 * hung STS answer is abandoned after this long and retried.
 */
export const STS_TIMEOUTS = {
  connectTimeoutMs: 3000,
  requestTimeoutMs: 5000,
} as const satisfies Pick<StsConfig, 'connectTimeoutMs' | 'requestTimeoutMs'>;

/** The account ID out of an ARN (`arn:aws:sts::123456789012:assumed-role/…`). */
export function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** How to reach an AWS service (STS here; IAM for the rotate action). */
export type AwsClientConfig = Pick<
  StsConfig,
  'region' | 'endpoint' | 'proxy' | 'connectTimeoutMs' | 'requestTimeoutMs'
>;

/**
 * The options of every SDK client we build, for the credentials given (none: the SDK's own
 * chain). Proxy agents are loaded only when a proxy is configured.
 */
export async function sdkClientOptions(
  config: AwsClientConfig,
): Promise<(credentials?: Credentials) => SdkClientOptions> {
  const agents = config.proxy === undefined ? {} : await proxyAgents(config.proxy);
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
      ...agents,
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

/** Builds the SDK adapter. */
export async function createSts(config: StsConfig): Promise<StsPort> {
  const options = await sdkClientOptions(config);
  const client = (credentials?: Credentials): STSClient => new STSClient(options(credentials));

  const take = (c: StsCredentials | undefined, what: string): Credentials => {
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`STS answered ${what} without credentials`);
    for (const value of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken])
      if (value) config.mask(value);
    return credentialsOf(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration);
  };

  const params = (r: AssumeRequest) => ({
    RoleArn: r.roleArn,
    RoleSessionName: r.sessionName,
    DurationSeconds: r.durationSeconds,
    ...(r.policy === undefined ? {} : { Policy: r.policy }),
    ...(r.policyArns?.length ? { PolicyArns: r.policyArns.map((arn) => ({ arn })) } : {}),
  });

  return {
    async assumeRole(signer, r) {
      const out = await client(signer).send(
        new AssumeRoleCommand({
          ...params(r),
          ...(r.externalId === undefined ? {} : { ExternalId: r.externalId }),
          ...(r.sourceIdentity === undefined ? {} : { SourceIdentity: r.sourceIdentity }),
          ...(r.tags?.length ? { Tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
          ...(r.transitiveTagKeys?.length ? { TransitiveTagKeys: r.transitiveTagKeys } : {}),
        }),
      );
      const credentials = take(out.Credentials, 'AssumeRole');
      const arn = out.AssumedRoleUser?.Arn ?? '';
      return { credentials, arn, accountId: accountOf(arn) };
    },
    async assumeRoleWithWebIdentity(token, r) {
      const out = await client().send(
        new AssumeRoleWithWebIdentityCommand({ ...params(r), WebIdentityToken: token }),
      );
      const credentials = take(out.Credentials, 'AssumeRoleWithWebIdentity');
      const arn = out.AssumedRoleUser?.Arn ?? '';
      return { credentials, arn, accountId: accountOf(arn) };
    },
    async getSessionToken(signer, durationSeconds) {
      const out = await client(signer).send(
        new GetSessionTokenCommand({ DurationSeconds: durationSeconds }),
      );
      return take(out.Credentials, 'GetSessionToken');
    },
    async getCallerIdentity(signer) {
      const out = await client(signer).send(new GetCallerIdentityCommand({}));
      const arn = out.Arn ?? '';
      return { arn, accountId: out.Account ?? accountOf(arn) };
    },
  };
}

/** http and https agents that tunnel through `proxy`. */
export async function proxyAgents(
  proxy: string,
): Promise<{ httpAgent: unknown; httpsAgent: unknown }> {
  const [{ HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([
    import('https-proxy-agent'),
    import('http-proxy-agent'),
  ]);
  return { httpAgent: new HttpProxyAgent(proxy), httpsAgent: new HttpsProxyAgent(proxy) };
}
