/**
 * Resolves a plan: the base credentials, then every connection, each assumed with its
 * source's credentials. Independent connections run concurrently; each is assumed once.
 * All or nothing: the first failure is thrown after every call in flight has settled,
 * so nothing is exported from a half-resolved graph.
 */
import type { BaseCredentials } from './base.js';
import { CallFailure, explainFailure } from './hints.js';
import type { ConnectionResult, ConnectionSpec, Plan } from '../model.js';
import type { Credentials, Session } from '../../aws/credentials.js';
import { withRetry, type RetryPolicy } from '../../shared/retry.js';
import { DURATION } from '../../shared/validate.js';
import { InputError } from '../../shared/errors.js';
import type { AssumeRequest, StsPort } from '../../aws/sts.js';

export interface ResolveDeps {
  sts: StsPort;
  retry: RetryPolicy;
  info: (message: string) => void;
}

/**
 * What resolving connections reads of a plan: the graph, which connection is primary, how
 * they are labelled, and where the base came from. The refresh program builds just this.
 */
export type ConnectionGraph = Pick<Plan, 'base' | 'connections' | 'primary' | 'named'> &
  Partial<Pick<Plan, 'specialCharactersWorkaround'>>;

/** With no connection, what to make of the base credentials alone. */
export type BaseAloneRules = Pick<
  Plan,
  'sessionCredentials' | 'sessionDurationSeconds' | 'allowedAccountIds'
>;

/** What a plan resolved to. */
export interface Resolution {
  /** Every connection, in plan order. */
  connections: ConnectionResult[];
  /** The credentials for AWS_* variables: the primary connection's, or the base's session. */
  primary?: Session;
}

/** A failure already reported by the connection it belongs to. */
class SourceFailed extends Error {}

/** Resolves every connection of the plan on top of `base`, or the base alone with none. */
export async function resolvePlan(
  plan: ConnectionGraph & BaseAloneRules,
  base: BaseCredentials,
  deps: ResolveDeps,
): Promise<Resolution> {
  if (plan.connections.length === 0)
    return { connections: [], primary: await resolveBaseAlone(plan, base, deps) };
  return resolveConnections(plan, base, deps);
}

/** Resolves every connection of the graph on top of `base`; the primary one is `primary`. */
export async function resolveConnections(
  plan: ConnectionGraph,
  base: BaseCredentials,
  deps: ResolveDeps,
): Promise<Resolution> {
  checkTemporaryBase(plan, base);

  const byName = new Map(plan.connections.map((c) => [c.name, c]));
  const pending = new Map<string, Promise<Session>>();
  const label = (spec: ConnectionSpec): string => connectionLabel(plan, spec);

  const resolve = (spec: ConnectionSpec): Promise<Session> => {
    const known = pending.get(spec.name);
    if (known) return known;
    const promise = (async (): Promise<Session> => {
      const parent = spec.source === undefined ? undefined : byName.get(spec.source);
      let signer: Credentials | undefined;
      let signerArn = '';
      if (parent) {
        const source = await resolve(parent).catch(() => {
          throw new SourceFailed(spec.source);
        });
        signer = source.credentials;
        // A trust policy names the role, not one of its sessions.
        signerArn = parent.role.arn;
      }
      const request = toRequest(spec);
      const call = (): Promise<Session> => {
        if (signer) return deps.sts.assumeRole(signer, request);
        if (base.kind === 'web-identity')
          return deps.sts.assumeRoleWithWebIdentity(base.token, request);
        return deps.sts.assumeRole(base.credentials, request);
      };
      const attempt = (): Promise<Session> =>
        withRetry(call, deps.retry, (attempt, err, delay) =>
          deps.info(
            `${label(spec)}: ${describeRetry(err)}; retrying in ${delay} ms (attempt ${attempt + 1} of ${deps.retry.maxAttempts})`,
          ),
        );
      let session: Session;
      try {
        session = await attempt();
        if (plan.specialCharactersWorkaround === true && spec.name === plan.primary)
          session = await untilPlainKeys(session, attempt, label(spec), deps.info);
      } catch (err) {
        throw new CallFailure(
          explainFailure(err, {
            label: label(spec),
            spec,
            base,
            signerArn,
            web: !signer && base.kind === 'web-identity',
          }),
          { cause: err },
        );
      }
      deps.info(
        `${label(spec)}: assumed ${spec.role.arn} as ${session.arn}${spec.externalId === undefined ? '' : ` with external ID ${spec.externalId}`}`,
      );
      return session;
    })();
    pending.set(spec.name, promise);
    return promise;
  };

  const settled = await Promise.allSettled(plan.connections.map(resolve));
  const failure = settled.find(
    (s): s is PromiseRejectedResult =>
      s.status === 'rejected' && !(s.reason instanceof SourceFailed),
  );
  if (failure) throw failure.reason;
  const connections = plan.connections.map((spec, i) => ({
    spec,
    session: (settled[i] as PromiseFulfilledResult<Session>).value,
  }));
  const primary = connections.find((c) => c.spec.name === plan.primary)?.session;
  return primary === undefined ? { connections } : { connections, primary };
}

/**
 * How many sessions `special-characters-workaround` asks for at most. About 28% of secret
 * keys (40 characters of 64 symbols) hold neither `+` nor `/`: 30 tries all miss about once
 * in 20,000 steps.
 */
export const PLAIN_KEY_TRIES = 30;

/** Keys of letters and digits only: what `special-characters-workaround` asks for. */
export function hasPlainKeys(c: Credentials): boolean {
  return /^[A-Za-z0-9]+$/.test(c.accessKeyId) && /^[A-Za-z0-9]+$/.test(c.secretAccessKey);
}

/**
 * `special-characters-workaround`: assumes the role again until its keys are letters and
 * digits only, at most {@link PLAIN_KEY_TRIES} sessions in all, and says how many it took.
 */
async function untilPlainKeys(
  first: Session,
  again: () => Promise<Session>,
  label: string,
  info: (message: string) => void,
): Promise<Session> {
  let session = first;
  let tries = 1;
  while (!hasPlainKeys(session.credentials)) {
    if (tries >= PLAIN_KEY_TRIES) {
      throw new Error(
        `special-characters-workaround: ${tries} sessions all had a key with characters other than letters and digits`,
      );
    }
    session = await again();
    tries += 1;
  }
  if (tries > 1)
    info(
      `special-characters-workaround: ${label} assumed ${tries} times for keys of letters and digits only`,
    );
  return session;
}

/** How a connection is named in messages: `role 2 of 3` or `connection "artifacts"`. */
export function connectionLabel(plan: Pick<Plan, 'connections'>, spec: ConnectionSpec): string {
  if (spec.kind.type === 'connection') return `connection "${spec.name}"`;
  return `role ${spec.kind.position} of ${plan.connections.length}`;
}

function toRequest(spec: ConnectionSpec): AssumeRequest {
  const r: AssumeRequest = {
    roleArn: spec.role.arn,
    sessionName: spec.sessionName,
    durationSeconds: spec.durationSeconds,
  };
  if (spec.externalId !== undefined) r.externalId = spec.externalId;
  if (spec.tags.length > 0) r.tags = spec.tags;
  if (spec.transitiveTagKeys.length > 0) r.transitiveTagKeys = spec.transitiveTagKeys;
  if (spec.sourceIdentity !== undefined) r.sourceIdentity = spec.sourceIdentity;
  if (spec.policy !== undefined) r.policy = spec.policy;
  if (spec.policyArns.length > 0) r.policyArns = spec.policyArns;
  return r;
}

/**
 * Base credentials from the default chain may turn out temporary: then connections on them
 * are capped like chained roles. Checked before any STS call.
 */
function checkTemporaryBase(plan: ConnectionGraph, base: BaseCredentials): void {
  if (
    plan.base.kind !== 'default-chain' ||
    base.kind !== 'credentials' ||
    base.credentials.sessionToken === undefined
  )
    return;
  for (const spec of plan.connections) {
    if (spec.source === undefined && spec.durationSeconds > DURATION.maxChained) {
      const input =
        spec.kind.type === 'connection'
          ? `connections (connection "${spec.name}", duration)`
          : 'role-duration-seconds';
      throw new InputError(
        input,
        `${spec.durationSeconds} is above ${DURATION.maxChained}, the limit for a role assumed with temporary credentials (the default provider chain gave a session)`,
      );
    }
  }
}

/** No role: exchange long-term keys for a session, or check temporary ones. One STS call. */
async function resolveBaseAlone(
  plan: BaseAloneRules,
  base: BaseCredentials,
  deps: ResolveDeps,
): Promise<Session> {
  if (base.kind !== 'credentials') throw new Error('a web identity needs a role to assume');
  const retried = <T>(fn: () => Promise<T>): Promise<T> =>
    withRetry(fn, deps.retry, (attempt, err, delay) =>
      deps.info(
        `base credentials: ${describeRetry(err)}; retrying in ${delay} ms (attempt ${attempt + 1})`,
      ),
    );
  const long = base.credentials.sessionToken === undefined;
  const label = 'base credentials';
  try {
    if (long && plan.sessionCredentials) {
      const credentials = await retried(() =>
        deps.sts.getSessionToken(base.credentials, plan.sessionDurationSeconds),
      );
      deps.info(
        `${label}: exchanged for session credentials (GetSessionToken, ${plan.sessionDurationSeconds} s)`,
      );
      if (plan.allowedAccountIds.length === 0) return { credentials, arn: '', accountId: '' };
      const id = await retried(() => deps.sts.getCallerIdentity(credentials));
      return { credentials, ...id };
    }
    if (long && plan.allowedAccountIds.length === 0)
      return { credentials: base.credentials, arn: '', accountId: '' };
    const id = await retried(() => deps.sts.getCallerIdentity(base.credentials));
    deps.info(`${label}: authenticated as ${id.arn}`);
    return { credentials: base.credentials, ...id };
  } catch (err) {
    throw new CallFailure(explainFailure(err, { label, base }), { cause: err });
  }
}

function describeRetry(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'} (${(e.message ?? '').split('\n')[0]?.slice(0, 120) ?? ''})`;
}
