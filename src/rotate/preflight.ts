/**
 * Step 0: everything the rotation must know, read without changing anything. Who owns the
 * input key, the user's keys, and for every target: that it can be reached, that its
 * environment exists, and how organization secrets are shared (all pages of repositories).
 */
import type { Credentials } from '../aws/credentials.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import {
  describeAwsFailure,
  describeGithubFailure,
  isKeyRefused,
  isRetryableGithub,
  RotationError,
} from './failures.js';
import { userFromArn, type UserRef } from './plan.js';
import type {
  AccessKey,
  IamPort,
  IdentityPort,
  KeyLastUsed,
  Log,
  OrgSharing,
  SecretsPort,
} from './ports.js';
import { repositoryOf, scopeLabel, type Scope, type Target } from './targets.js';
import { targetInfo, type TargetInfo } from './writer.js';

/** What the preflight found. */
export interface Facts {
  user: UserRef;
  keys: AccessKey[];
  otherLastUsed?: KeyLastUsed;
  targets: TargetInfo[];
}

/** What the preflight reads through. */
export interface PreflightDeps {
  iam: IamPort;
  identity: IdentityPort;
  secrets: SecretsPort;
  retry: RetryPolicy;
  log: Log;
}

/** Reads the facts. Throws {@link RotationError}; changes nothing. */
export async function preflight(
  deps: PreflightDeps,
  old: Credentials,
  targets: Target[],
): Promise<Facts> {
  const { iam, retry } = deps;
  let arn: string;
  try {
    arn = (await withRetry(() => deps.identity.getCallerIdentity(old), retry)).arn;
  } catch (err) {
    const stale = isKeyRefused(err)
      ? ' — the input key was refused: check aws-access-key-id and aws-secret-access-key. If a rotation ran since this workflow read its secrets, the key it read was rotated away; nothing was changed'
      : '';
    throw new RotationError(
      `${describeAwsFailure(err, 'GetCallerIdentity with the input key', 'sts:GetCallerIdentity')}${stale}`,
    );
  }
  const user = userFromArn(arn);
  deps.log.info(`The input key belongs to ${user.arn}.`);

  const keys = await awsRead(
    () => iam.listAccessKeys(old, user.userName),
    'ListAccessKeys',
    user,
    retry,
  );
  const other = keys.find((k) => k.id !== old.accessKeyId);
  const facts: Facts = { user, keys, targets: [] };
  if (other) {
    try {
      facts.otherLastUsed = await withRetry(() => iam.getAccessKeyLastUsed(old, other.id), retry);
    } catch (err) {
      deps.log.warning(
        describeAwsFailure(
          err,
          `GetAccessKeyLastUsed of the second key`,
          'iam:GetAccessKeyLastUsed',
          user.arn,
        ),
      );
    }
  }

  for (const target of targets) facts.targets.push(await checkTarget(deps, target));
  await warnShadows(deps, targets);
  return facts;
}

async function awsRead<T>(
  fn: () => Promise<T>,
  action: string,
  user: UserRef,
  retry: RetryPolicy,
): Promise<T> {
  try {
    return await withRetry(fn, retry);
  } catch (err) {
    throw new RotationError(
      describeAwsFailure(err, `${action} with the input key`, `iam:${action}`, user.arn),
    );
  }
}

async function githubRead<T>(
  deps: Pick<PreflightDeps, 'retry'>,
  fn: () => Promise<T>,
  doing: string,
  scope: Scope,
): Promise<T> {
  try {
    return await withRetry(fn, deps.retry, undefined, isRetryableGithub);
  } catch (err) {
    throw new RotationError(describeGithubFailure(err, doing, scope));
  }
}

async function checkTarget(deps: PreflightDeps, target: Target): Promise<TargetInfo> {
  const { scope } = target;
  const label = scopeLabel(scope);
  if (scope.kind === 'env') {
    const exists = await githubRead(
      deps,
      () => deps.secrets.environmentExists(scope.owner, scope.repo, scope.environment),
      `reading environment ${label}`,
      scope,
    );
    if (!exists)
      throw new RotationError(
        `${label}: environment ${scope.environment} does not exist in ${scope.owner}/${scope.repo} (create it first, or fix the targets line); nothing was changed`,
      );
  }
  await githubRead(
    deps,
    () => deps.secrets.getPublicKey(scope),
    `reading the public key of ${label}`,
    scope,
  );
  const sharing = await readOrgSharing(deps, target);
  for (const [name, found] of sharing) {
    const repos =
      found.visibility === 'selected'
        ? `, ${found.selectedRepositoryIds?.length ?? 0} selected repositories`
        : '';
    deps.log.info(`${label} ${name}: visibility ${found.visibility}${repos}; kept as it is.`);
  }
  return targetInfo(target, sharing);
}

/**
 * How an organization target's two secrets are shared (empty for other scopes). Both must
 * exist: a rotation keeps the visibility and never chooses it.
 */
export async function readOrgSharing(
  deps: Pick<PreflightDeps, 'secrets' | 'retry'>,
  target: Target,
): Promise<Map<string, OrgSharing>> {
  const sharing = new Map<string, OrgSharing>();
  const { scope } = target;
  if (scope.kind !== 'org') return sharing;
  const label = scopeLabel(scope);
  for (const name of [target.idName, target.secretName]) {
    const found = await githubRead(
      deps,
      () => deps.secrets.getOrgSecret(scope.org, name),
      `reading organization secret ${name} of ${label}`,
      scope,
    );
    if (!found) {
      throw new RotationError(
        `${label} ${name} does not exist: create the organization secret first, with the visibility you want (the rotation keeps visibility and never chooses it); nothing was changed`,
      );
    }
    sharing.set(name, found);
  }
  return sharing;
}

/**
 * Warns about secrets of the same name at a lower level, which win over a target for the
 * jobs that see both (environment over repository over organization). Checks the
 * repositories named in the targets and their environments; best effort: a scope it cannot
 * list is only logged.
 */
async function warnShadows(deps: PreflightDeps, targets: Target[]): Promise<void> {
  const key = (scope: Scope, name: string): string => `${scopeLabel(scope).toLowerCase()} ${name}`;
  const written = new Set(
    targets.flatMap((t) => [key(t.scope, t.idName), key(t.scope, t.secretName)]),
  );
  const repos = new Map<string, string>();
  for (const t of targets) {
    const r = repositoryOf(t.scope);
    if (r !== undefined && !repos.has(r.toLowerCase())) repos.set(r.toLowerCase(), r);
  }
  const list = async <T>(fn: () => Promise<T>, doing: string): Promise<T | undefined> => {
    try {
      return await withRetry(fn, deps.retry, undefined, isRetryableGithub);
    } catch (err) {
      deps.log.debug(describeGithubFailure(err, `${doing} (shadow check)`));
      return undefined;
    }
  };
  for (const [full, shown] of repos) {
    const [owner = '', repo = ''] = shown.split('/');
    const orgTargets = targets.filter(
      (t) => t.scope.kind === 'org' && t.scope.org.toLowerCase() === owner.toLowerCase(),
    );
    const repoTargets = targets.filter(
      (t) => t.scope.kind === 'repo' && repositoryOf(t.scope)?.toLowerCase() === full,
    );
    const check = async (scope: Scope, shadowed: Target[]): Promise<void> => {
      if (shadowed.length === 0) return;
      const names = await list(
        () => deps.secrets.listSecretNames(scope),
        `listing the secrets of ${scopeLabel(scope)}`,
      );
      for (const t of shadowed) {
        for (const name of [t.idName, t.secretName]) {
          if (names?.includes(name) && !written.has(key(scope, name))) {
            deps.log.warning(
              `${scopeLabel(scope)} has its own secret ${name}, which wins over ${scopeLabel(t.scope)} ${name} there and is not rotated: add it to the targets, or delete it.`,
            );
          }
        }
      }
    };
    await check({ kind: 'repo', owner, repo }, orgTargets);
    const envShadowed = [...orgTargets, ...repoTargets];
    if (envShadowed.length === 0) continue;
    const environments = await list(
      () => deps.secrets.listEnvironments(owner, repo),
      `listing the environments of ${shown}`,
    );
    for (const environment of environments ?? [])
      await check({ kind: 'env', owner, repo, environment }, envShadowed);
  }
}
