/**
 * A role chain: `role-to-assume` or `role-chain`, each hop assumed with the credentials of the
 * one before it. The step's role options are spread over the hops here (tags and source
 * identity on the first AssumeRole, session policies on the last, an external ID on each
 * AssumeRole); every hop is then built by the one spec builder.
 */
import { InputError, show } from '../../shared/errors.js';
import type { Tag } from '../../aws/credentials.js';
import { chainHopName, type ConnectionSpec, type Plan } from '../model.js';
import { Input } from '../inputs/table.js';
import { buildSpec, type HopContext, type HopField, type HopSettings } from './spec.js';
import {
  partitionOfRegion,
  parseExternalId,
  parseRoleArn,
  type RoleArn,
  parseSeconds,
  splitLines,
  splitList,
} from '../../shared/validate.js';
import type { RepositoryIds } from './external-id.js';

/** The step's settings a chain is built from. */
export interface ChainSettings {
  region: string;
  /** `role-to-assume` ('' when not given). */
  roleToAssume: string;
  /** `role-chain`, one ARN a line ('' when not given). */
  roleChain: string;
  sessionName: string;
  /** `role-duration-seconds` as given ('' when not). */
  duration: string;
  /** `role-external-id` as given: one line, or one a line for each AssumeRole hop. */
  externalIds: string;
  sessionTags: Tag[];
  /** Already checked against `sessionTags`. */
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  /** `inline-session-policy` ('' when not given). */
  inlineSessionPolicy: string;
  /** `managed-session-policies`, as given. */
  managedSessionPolicies: string;
}

/** What the base contributes to each hop. */
export interface ChainBase {
  webBase: boolean;
  temporaryBase: boolean;
  /** True when the base is temporary because `refresh` re-assumes from session credentials. */
  refreshFromKeys: boolean;
  /** True when the base is the keys of the job's environment (`role-chaining`). */
  fromEnvironment?: boolean;
  /** `refresh` is on (whatever the base). */
  refresh: boolean;
  ids: RepositoryIds | undefined;
}

/** The step input each hop setting comes from. */
const STEP_INPUT: Record<HopField, string> = {
  duration: Input.Duration,
  'external-id': Input.ExternalId,
  'session-name': Input.SessionName,
  'transitive-tag-keys': Input.TransitiveTagKeys,
  'source-identity': Input.SourceIdentity,
  policy: Input.InlineSessionPolicy,
  'policy-arns': Input.ManagedSessionPolicies,
};

/** The hops of the chain, in order; none when the step names no role. */
export function chainSpecs(s: ChainSettings, base: ChainBase): ConnectionSpec[] {
  const roleArns =
    s.roleChain !== '' ? splitLines(s.roleChain) : s.roleToAssume !== '' ? [s.roleToAssume] : [];
  const input = s.roleChain !== '' ? Input.RoleChain : Input.RoleToAssume;
  const roles = roleArns.map((arn) =>
    input === Input.RoleToAssume && !arn.startsWith('arn:')
      ? parseRoleName(input, arn, s.region)
      : parseRoleArn(input, arn, s.region),
  );
  if (roles.length > 20)
    throw new InputError(Input.RoleChain, `has ${roles.length} roles, more than 20`);
  if (roles.length === 0) return [];
  const externalIds = readExternalIds(s.externalIds, roles.length, base.webBase);
  const duration = s.duration === '' ? undefined : parseSeconds(Input.Duration, s.duration);
  const ctx: HopContext = {
    webBase: base.webBase,
    temporaryBase: base.temporaryBase,
    temporaryReason: base.refreshFromKeys
      ? `${Input.Refresh} re-assumes it from session credentials`
      : base.fromEnvironment === true
        ? `${Input.RoleChaining} starts from AWS_SESSION_TOKEN of the environment`
        : `${Input.SessionToken} is set`,
    refresh: base.refresh,
    chainLength: roles.length,
    ids: base.ids,
    inputOf: (field) => STEP_INPUT[field],
  };
  // A web-identity first hop takes no external ID, tags or source identity: they go to the
  // first hop assumed with AssumeRole.
  const firstAssume = base.webBase ? 1 : 0;
  return roles.map((role, i) => {
    const position = i + 1;
    const first = i === firstAssume;
    const hop: HopSettings = {
      kind: { type: 'chain', position },
      name: chainHopName(position),
      role,
      region: s.region,
      sessionName: s.sessionName,
      tags: first ? s.sessionTags : [],
      transitiveTagKeys: first ? s.transitiveTagKeys : [],
      policyArns: [],
    };
    if (i > 0) hop.source = chainHopName(i);
    if (duration !== undefined) hop.duration = duration;
    const externalId = externalIds?.[i - firstAssume];
    if (externalId !== undefined && i >= firstAssume) hop.externalId = externalId;
    if (first && s.sourceIdentity !== undefined) hop.sourceIdentity = s.sourceIdentity;
    if (i === roles.length - 1) {
      if (s.inlineSessionPolicy !== '') hop.policy = s.inlineSessionPolicy;
      hop.policyArns = splitList(s.managedSessionPolicies);
    }
    return buildSpec(hop, ctx);
  });
}

/** A role name with an optional path (`deployer`, `service-role/deployer`), as IAM spells them. */
const ROLE_NAME = /^(?:[\w+=,.@-]+\/){0,20}[\w+=,.@-]{1,64}$/;

/**
 * A role given by name in `role-to-assume`, as configure-aws-credentials allows: its account
 * is that of the base keys, filled in before the first call (see {@link completeRoleName}).
 * Until then the ARN holds the name as given and the account is empty.
 */
export function parseRoleName(input: string, value: string, region: string): RoleArn {
  if (!ROLE_NAME.test(value) || value.length > 576) {
    throw new InputError(
      input,
      `${show(value)} is neither an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>) nor a role name (letters, digits and +=,.@_-, after an optional path such as service-role/)`,
    );
  }
  return {
    arn: value,
    partition: partitionOfRegion(region),
    accountId: '',
    name: value.slice(value.lastIndexOf('/') + 1),
  };
}

/**
 * The plan with its role name completed into an ARN in the account and partition of `caller`
 * (the GetCallerIdentity ARN of the base keys).
 */
export function completeRoleName(plan: Plan, caller: { arn: string; accountId: string }): Plan {
  const partition = caller.arn.split(':')[1] ?? '';
  const connections = plan.connections.map((c) =>
    c.role.accountId !== ''
      ? c
      : {
          ...c,
          role: parseRoleArn(
            Input.RoleToAssume,
            `arn:${partition}:iam::${caller.accountId}:role/${c.role.arn}`,
            c.region,
          ),
        },
  );
  const completed: Plan = { ...plan, connections };
  delete completed.roleName;
  return completed;
}

/** Explicit external IDs: one for every AssumeRole hop, or one a line for each. */
function readExternalIds(text: string, roles: number, webBase: boolean): string[] | undefined {
  const lines = splitLines(text);
  if (lines.length === 0) return undefined;
  const assumeHops = webBase ? roles - 1 : roles;
  if (assumeHops <= 0) {
    throw new InputError(
      Input.ExternalId,
      'is set, but the only role is assumed with a web identity, which takes no external ID',
    );
  }
  const ids = lines.map((id) => parseExternalId(Input.ExternalId, id));
  if (ids.length === 1) return Array<string>(assumeHops).fill(ids[0] ?? '');
  if (ids.length !== assumeHops) {
    throw new InputError(
      Input.ExternalId,
      `has ${ids.length} lines for ${assumeHops} AssumeRole hops: give one for all, or one a line for each`,
    );
  }
  return ids;
}
