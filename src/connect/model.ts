/** The plain data the action works on: what to assume, from what, and what came back. */
import type { Session, Tag } from '../aws/credentials.js';
import type { RoleArn } from '../shared/validate.js';

/** Where the first credentials come from. */
export type BaseSpec =
  | {
      kind: 'static';
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
      /** Where the keys were read: the inputs (default), or the job's environment (`role-chaining`). */
      from?: 'environment';
    }
  | { kind: 'web-identity-file'; path: string }
  | { kind: 'oidc'; audience: string }
  | { kind: 'default-chain' };

/**
 * What a connection is to the user: hop `position` (1-based) of a role chain, or a connection
 * they named. Labels, summaries and external IDs are told apart by this, never by the name.
 */
export type SpecKind = { type: 'chain'; position: number } | { type: 'connection' };

/**
 * A connection name: it becomes a profile name (bare in a `credential_process` line) and part
 * of the external ID.
 */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The key of hop `position` of a role chain, which the next hop's `source` names. */
export function chainHopName(position: number): string {
  return `chain-${position}`;
}

/**
 * One role to assume. A role chain is a list of connections, each sourced from the one
 * before it; named connections form a tree over the base credentials.
 */
export interface ConnectionSpec {
  kind: SpecKind;
  /** The key `source` and `primary` refer to: {@link chainHopName} for a hop, else the user's name. */
  name: string;
  /** The connection whose credentials sign this one's AssumeRole; undefined: the base. */
  source?: string;
  role: RoleArn;
  /** Sent on AssumeRole; undefined only where the call takes none (web identity). */
  externalId?: string;
  /** True when `externalId` was derived rather than given. */
  externalIdDerived: boolean;
  sessionName: string;
  durationSeconds: number;
  /** True when the duration was set by the user (then the chaining cap is an error, not a clamp). */
  durationExplicit: boolean;
  region: string;
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  policy?: string;
  policyArns: string[];
  /** A named connection's `export`: whether later steps get it as a profile (default: see isExported). */
  export?: boolean;
}

/** Everything the main step needs, parsed and validated before any call. */
export interface Plan {
  region: string;
  base: BaseSpec;
  connections: ConnectionSpec[];
  /** The connection exported as AWS_* variables; undefined with no connection (base alone). */
  primary?: string;
  /** True when connections were named by the user (they become profiles). */
  named: boolean;
  /** Exchange long-term keys for GetSessionToken credentials when no role is given. */
  sessionCredentials: boolean;
  /** GetSessionToken duration, when used. */
  sessionDurationSeconds: number;
  allowedAccountIds: string[];
  outputCredentials: boolean;
  outputEnvCredentials: boolean;
  /** `aws-profile`: later steps also get the primary's credentials as this profile. */
  awsProfile?: string;
  overwriteAwsProfile: boolean;
  maskAccountId: boolean;
  /** Explicit STS endpoint (input or AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL). */
  stsEndpoint?: string;
  /** Proxy for STS calls, from `http-proxy` or HTTPS_PROXY / HTTP_PROXY, with NO_PROXY applied. */
  proxy?: string;
  retryMaxAttempts: number;
  /** Export self-refreshing profiles (credential_process) instead of fixed keys. */
  refresh: boolean;
  refreshWindowSeconds: number;
  /** Lines for the log that are not errors, each logged once as a notice. */
  notices: string[];
  /**
   * `role-to-assume` given as a role name (with its path): the first role's ARN is completed
   * with the account and partition of the base credentials, known from one GetCallerIdentity.
   */
  roleName?: string;
  /** `use-existing-credentials`: keys in the environment that STS accepts end the step. */
  useExistingCredentials: boolean;
  /** `unset-current-credentials`: the environment's keys are removed before the base is resolved. */
  unsetCurrentCredentials: boolean;
  /** `special-characters-workaround`: the primary role is assumed again until its keys are alphanumeric. */
  specialCharactersWorkaround: boolean;
}

/**
 * Whether later steps get a named connection as a profile: as its `export` says; otherwise
 * yes, unless it only feeds other connections (a hub's session could assume whatever the hub
 * may, with any external ID). The primary connection is always exported.
 */
export function isExported(
  plan: Pick<Plan, 'connections' | 'primary'>,
  spec: Pick<ConnectionSpec, 'name' | 'export'>,
): boolean {
  if (spec.name === plan.primary) return true;
  if (spec.export !== undefined) return spec.export;
  return !plan.connections.some((c) => c.source === spec.name);
}

/** What one connection yielded, for outputs and the summary. */
export interface ConnectionResult {
  spec: ConnectionSpec;
  session: Session;
}
