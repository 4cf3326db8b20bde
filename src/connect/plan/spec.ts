/**
 * The one builder of a {@link ConnectionSpec}, for a hop of a role chain and for a named
 * connection alike. Every per-hop rule lives here once: the duration caps (3600 for a role
 * assumed with temporary credentials), the session name, the transitive tag keys, the
 * external ID (given or derived), the source identity and the session-policy limits. The
 * two paths differ only in where the values come from, which the error messages name.
 */
import { InputError, show } from '../../shared/errors.js';
import type { Tag } from '../../aws/credentials.js';
import type { ConnectionSpec, SpecKind } from '../model.js';
import {
  chainExternalId,
  connectionExternalId,
  requireIds,
  type RepositoryIds,
} from './external-id.js';
import {
  checkDuration,
  DURATION,
  parseExternalId,
  parseInlinePolicy,
  parsePolicyArn,
  parseSessionName,
  parseSourceIdentity,
  parseTagKey,
  type RoleArn,
} from '../../shared/validate.js';

/** What one hop asks for; text values are checked here. */
export interface HopSettings {
  kind: SpecKind;
  /** The spec's key (see {@link ConnectionSpec.name}). */
  name: string;
  /** The connection whose credentials sign this hop; undefined: the base. */
  source?: string;
  role: RoleArn;
  region: string;
  sessionName: string;
  /** Whole seconds when given; undefined takes 3600, which every cap allows. */
  duration?: number;
  /** When given; undefined derives one (a web-identity hop takes none). */
  externalId?: string;
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  /** The inline session policy, JSON text. */
  policy?: string;
  policyArns: string[];
  /** A named connection's `export`. */
  export?: boolean;
}

/** A setting of a hop, as a connection spells it. */
export type HopField =
  | 'duration'
  | 'external-id'
  | 'session-name'
  | 'transitive-tag-keys'
  | 'source-identity'
  | 'policy'
  | 'policy-arns';

/** What the step contributes to every hop. */
export interface HopContext {
  /** The base is a web identity: a hop on it uses AssumeRoleWithWebIdentity. */
  webBase: boolean;
  /** The base credentials are temporary: hops on it are capped like chained roles. */
  temporaryBase: boolean;
  /** Why the base is temporary, in a chain's cap message (`aws-session-token is set`). */
  temporaryReason: string;
  /** `refresh` is on: each session is cached and renewed by the AWS CLI and SDKs. */
  refresh: boolean;
  /** The number of hops of a role chain (`role 2 of 3`); unused for named connections. */
  chainLength: number;
  ids: RepositoryIds | undefined;
  /** The input an error about `field` names. */
  inputOf: (field: HopField) => string;
}

/**
 * The shortest session `refresh` accepts. The AWS CLI (botocore) renews credentials that
 * expire within 15 minutes, and the refresh program serves its cache only outside that
 * margin: a session of ~16 minutes or less would be assumed again for every command (each
 * running credential_process twice), with a new key each time. 1800 s leaves every answer at
 * least 15 minutes of use.
 */
export const REFRESH_MIN_SECONDS = 1800;

/** Builds and checks one spec. Throws {@link InputError} on the first rule a setting breaks. */
export function buildSpec(hop: HopSettings, ctx: HopContext): ConnectionSpec {
  const web = hop.source === undefined && ctx.webBase;
  const chained = hop.source !== undefined || ctx.temporaryBase;
  const max = chained ? DURATION.maxChained : DURATION.maxAssumeRole;
  if (ctx.refresh && hop.duration !== undefined && hop.duration < REFRESH_MIN_SECONDS) {
    throw new InputError(
      ctx.inputOf('duration'),
      `${hop.duration} is below ${REFRESH_MIN_SECONDS}, the shortest session refresh accepts: the AWS CLI and SDKs renew credentials that expire within 15 minutes, so a shorter session is renewed after less than 15 minutes of use, and one of about 16 minutes or less on every command`,
    );
  }
  const spec: ConnectionSpec = {
    kind: hop.kind,
    name: hop.name,
    role: hop.role,
    externalIdDerived: !web && hop.externalId === undefined,
    sessionName: parseSessionName(ctx.inputOf('session-name'), hop.sessionName),
    durationSeconds: checkDuration(
      ctx.inputOf('duration'),
      hop.duration ?? DURATION.maxChained,
      max,
      capReason(hop, ctx),
    ),
    durationExplicit: hop.duration !== undefined,
    region: hop.region,
    tags: hop.tags,
    transitiveTagKeys: checkTransitiveKeys(
      ctx.inputOf('transitive-tag-keys'),
      hop.transitiveTagKeys,
      hop.tags,
      hop.kind.type,
    ),
    policyArns: [],
  };
  if (hop.source !== undefined) spec.source = hop.source;
  if (hop.export !== undefined) spec.export = hop.export;
  if (!web) spec.externalId = externalIdOf(hop, ctx);
  if (hop.sourceIdentity !== undefined)
    spec.sourceIdentity = parseSourceIdentity(ctx.inputOf('source-identity'), hop.sourceIdentity);
  addSessionPolicies(spec, hop, ctx);
  return spec;
}

/** The reason shown when a duration is above its cap. */
function capReason(hop: HopSettings, ctx: HopContext): string {
  if (hop.kind.type === 'connection') {
    return hop.source === undefined
      ? 'the limit for a role assumed with temporary credentials'
      : `the limit for a chained role (its source is ${show(hop.source)})`;
  }
  if (hop.source !== undefined)
    return `the limit for a chained role (role ${hop.kind.position} of ${ctx.chainLength} is assumed with temporary credentials)`;
  if (ctx.temporaryBase)
    return `the limit for a role assumed with temporary credentials (${ctx.temporaryReason})`;
  return 'the longest session STS grants';
}

/** The given external ID, or the one derived from the repository and the hop. */
function externalIdOf(hop: HopSettings, ctx: HopContext): string {
  const input = ctx.inputOf('external-id');
  if (hop.externalId !== undefined) return parseExternalId(input, hop.externalId);
  const ids = requireIds(ctx.ids, input);
  return hop.kind.type === 'chain'
    ? chainExternalId(ids, hop.kind.position, hop.role.name)
    : connectionExternalId(ids, hop.name);
}

/** Session policies scope a hop down; STS takes at most 10 ARNs and 2048 characters in all. */
function addSessionPolicies(spec: ConnectionSpec, hop: HopSettings, ctx: HopContext): void {
  if (hop.policy !== undefined) spec.policy = parseInlinePolicy(ctx.inputOf('policy'), hop.policy);
  const input = ctx.inputOf('policy-arns');
  spec.policyArns = hop.policyArns.map((arn) => parsePolicyArn(input, arn, hop.region));
  if (spec.policyArns.length > 10)
    throw new InputError(input, `has ${spec.policyArns.length} ARNs, more than 10`);
  const size = (spec.policy?.length ?? 0) + spec.policyArns.reduce((n, arn) => n + arn.length, 0);
  if (size > 2048) {
    const policy = hop.kind.type === 'chain' ? 'the inline policy' : 'the policy';
    throw new InputError(
      input,
      `with ${policy} comes to ${size} characters, above 2048, the limit for session policies`,
    );
  }
}

/**
 * Checks transitive tag keys against the tags they must name (at most 50, each a tag key).
 * `from` words the message for the step's inputs (`chain`) or a connection's keys.
 */
export function checkTransitiveKeys(
  input: string,
  keys: string[],
  tags: Tag[],
  from: SpecKind['type'],
): string[] {
  const step = from === 'chain';
  if (keys.length > 50)
    throw new InputError(
      input,
      `has ${keys.length} ${step ? 'keys' : 'transitive tag keys'}, more than 50`,
    );
  for (const key of keys) {
    parseTagKey(input, key);
    if (!tags.some((t) => t.key === key)) {
      throw new InputError(
        input,
        step
          ? `${show(key)} is not one of the session tags`
          : `transitive tag key ${show(key)} is not one of the tags`,
      );
    }
  }
  return keys;
}
