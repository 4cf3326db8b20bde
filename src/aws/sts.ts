/**
 * The STS port and its AWS SDK adapter. Every call is signed with the credentials it is
 * given, never with whatever the environment holds: each call builds a client around
 * exactly those credentials, and every client shares one connection pool (sockets, not
 * keys). The adapter masks every credential before returning it.
 */
import type { Credentials as StsCredentials } from '@aws-sdk/client-sts';
import {
  connectionPool,
  regionalStsEndpoint,
  sdkClientOptions,
  stsStandIn,
  TIMEOUTS,
} from './client.js';
import type { AwsClientConfig } from './client.js';
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
export interface StsConfig extends AwsClientConfig {
  /** Called with each secret value the moment it arrives. */
  mask: (value: string) => void;
  /**
   * How many calls the first wave makes at once (sibling connections): that many connections
   * are opened to the regional endpoint while the SDK loads. Default 1.
   */
  parallel?: number;
  /** Where the regional endpoint's stand-in is read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The request timeouts of every STS client the main step and the refresh program build: a
 * hung STS answer is abandoned after this long and retried.
 */
export const STS_TIMEOUTS = {
  connectTimeoutMs: TIMEOUTS.sts.connectMs,
  requestTimeoutMs: TIMEOUTS.sts.requestMs,
} as const satisfies Pick<StsConfig, 'connectTimeoutMs' | 'requestTimeoutMs'>;

/** The account ID out of an ARN (`arn:aws:sts::123456789012:assumed-role/…`). */
export function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** Builds the SDK adapter. */
export async function createSts(config: StsConfig): Promise<StsPort> {
  const pool = await connectionPool(config.proxy);
  // Only the regional endpoint, reached directly (a proxy's pool opens nothing ahead): a
  // configured one may be anything.
  if (config.endpoint === undefined)
    pool.preconnect(regionalStsEndpoint(config.region, config.env), config.parallel ?? 1);
  const standIn = config.endpoint === undefined ? stsStandIn(config.env) : undefined;
  const options = await sdkClientOptions(
    standIn === undefined ? config : { ...config, endpoint: standIn },
    pool,
  );
  // Loaded after the connections have started: their setup overlaps the loading.
  const {
    AssumeRoleCommand,
    AssumeRoleWithWebIdentityCommand,
    GetCallerIdentityCommand,
    GetSessionTokenCommand,
    STSClient,
  } = await pool.whileConnecting(() => import('@aws-sdk/client-sts'));
  const client = (credentials?: Credentials): InstanceType<typeof STSClient> =>
    new STSClient(options(credentials));

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
