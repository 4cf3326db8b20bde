/** Builders of plain plan data (roles, connections, plans, sessions) for the pure modules. */
import {
  DEFAULT_CHAIN_VARIABLES,
  type DefaultChainVariable,
} from '../src/connect/refresh/config.js';
import type { BaseCredentials } from '../src/connect/resolve/base.js';
import {
  chainHopName,
  type ConnectionResult,
  type ConnectionSpec,
  type Plan,
} from '../src/connect/model.js';
import type { Credentials, Session } from '../src/aws/credentials.js';
import type { RoleArn } from '../src/shared/validate.js';
import type { LaterSteps } from '../src/connect/export/environment.js';

export const ACCOUNT = '123456789012';
export const OWNER_ID = '1111';
export const REPO_ID = '2222';

/** The runner-set variables a derived external ID reads. */
export const REPO_ENV = {
  GITHUB_REPOSITORY_OWNER_ID: OWNER_ID,
  GITHUB_REPOSITORY_ID: REPO_ID,
} as const;

export function role(
  name: string,
  accountId = ACCOUNT,
  partition: RoleArn['partition'] = 'aws',
): RoleArn {
  return { arn: `arn:${partition}:iam::${accountId}:role/${name}`, partition, accountId, name };
}

/** A named connection. */
export function spec(name: string, overrides: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return {
    kind: { type: 'connection' },
    name,
    role: role(name),
    externalId: `github:${OWNER_ID}:${REPO_ID}:connection:${name}`,
    externalIdDerived: true,
    sessionName: 'GitHubActions',
    durationSeconds: 3600,
    durationExplicit: false,
    region: 'eu-west-1',
    tags: [],
    transitiveTagKeys: [],
    policyArns: [],
    ...overrides,
  };
}

/** Hop `position` of a role chain (role `hop<position>`), sourced from the hop before it. */
export function hop(position: number, overrides: Partial<ConnectionSpec> = {}): ConnectionSpec {
  const s = spec(chainHopName(position), {
    kind: { type: 'chain', position },
    role: role(`hop${position}`),
    externalId: `github:${OWNER_ID}:${REPO_ID}:chain:${position}:hop${position}`,
    ...overrides,
  });
  if (position > 1 && !('source' in overrides)) s.source = chainHopName(position - 1);
  return s;
}

/** A role chain of `n` hops, each sourced from the one before. */
export function chainSpecs(n: number): ConnectionSpec[] {
  return Array.from({ length: n }, (_, i) => hop(i + 1));
}

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    region: 'eu-west-1',
    base: {
      kind: 'static',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
    connections: [],
    named: false,
    useExistingCredentials: false,
    unsetCurrentCredentials: false,
    specialCharactersWorkaround: false,
    sessionCredentials: true,
    sessionDurationSeconds: 3600,
    allowedAccountIds: [],
    outputCredentials: false,
    outputEnvCredentials: true,
    overwriteAwsProfile: false,
    maskAccountId: false,
    retryMaxAttempts: 4,
    refresh: false,
    refreshWindowSeconds: 21600,
    notices: [],
    ...overrides,
  };
}

/** A chain plan of `n` hops whose primary is the last. */
export function chainPlan(n: number, overrides: Partial<Plan> = {}): Plan {
  const connections = chainSpecs(n);
  const p = plan({ connections, ...overrides });
  const last = connections.at(-1);
  if (last && !('primary' in overrides)) p.primary = last.name;
  return p;
}

export function credentials(label: string, withToken = true): Credentials {
  const c: Credentials = {
    accessKeyId: `ASIA${label.toUpperCase()}KEY`,
    secretAccessKey: `secret-of-${label}`,
  };
  if (withToken) c.sessionToken = `token-of-${label}`;
  return c;
}

export function session(label: string, accountId = ACCOUNT, expiration?: Date): Session {
  const c = credentials(label);
  if (expiration) c.expiration = expiration;
  return {
    credentials: c,
    arn: `arn:aws:sts::${accountId}:assumed-role/${label}/GitHubActions`,
    accountId,
  };
}

export function result(s: ConnectionSpec, accountId = s.role.accountId): ConnectionResult {
  return { spec: s, session: session(s.role.name, accountId) };
}

export const STATIC_BASE: BaseCredentials = {
  kind: 'credentials',
  credentials: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  origin: 'static keys from aws-access-key-id / aws-secret-access-key',
};

export const WEB_BASE: BaseCredentials = {
  kind: 'web-identity',
  token: 'eyJ.token.sig',
  origin: 'a GitHub OIDC token for audience sts.amazonaws.com',
};

/** A default-chain refresh base's variables, none set (spread, then set the ones a test needs). */
export const CHAIN_ENV_UNSET = Object.fromEntries(
  DEFAULT_CHAIN_VARIABLES.map((name) => [name, null]),
) as Record<DefaultChainVariable, string | null>;

/** What later steps get, with nothing for plain steps in eu-west-1 and nothing set; `over` wins. */
export function laterSteps(over: Partial<LaterSteps> = {}): LaterSteps {
  return {
    plain: { region: 'eu-west-1', from: 'nothing' },
    profiles: [],
    carried: [],
    set: [],
    cleared: [],
    repointed: [],
    regionInProfiles: false,
    ...over,
  };
}
