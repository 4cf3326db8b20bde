/**
 * The external ID derived per connection. Format, documented in the README:
 *
 *   <instance>:<owner id>:<repository id>:chain:<position>:<role name>   (a role chain)
 *   <instance>:<owner id>:<repository id>:connection:<name>              (a named connection)
 *
 * Both IDs are numeric and set by the runner (`GITHUB_REPOSITORY_OWNER_ID`,
 * `GITHUB_REPOSITORY_ID`): a workflow cannot override `GITHUB_*` variables, they survive
 * renames and are never reused. They are unique only within one GitHub, so `<instance>` is
 * `github` on github.com (the form trust policies were first written for) and
 * `github@<host>` on any other (a GitHub Enterprise Server, a ghe.com tenant), from the
 * runner's `GITHUB_SERVER_URL`. Every character is in STS's `[\w+=,.@:/-]`.
 */
import { InputError } from '../../shared/errors.js';

/** The runner-set identity of the repository. */
export interface RepositoryIds {
  ownerId: string;
  repositoryId: string;
  /** The GitHub host when it is not github.com (`ghe.example.com`, `octo.ghe.com`). */
  host?: string;
}

/** Reads the repository's numeric IDs from the runner's variables; undefined when absent. */
export function repositoryIds(env: NodeJS.ProcessEnv): RepositoryIds | undefined {
  const ownerId = env['GITHUB_REPOSITORY_OWNER_ID'] ?? '';
  const repositoryId = env['GITHUB_REPOSITORY_ID'] ?? '';
  if (!/^\d+$/.test(ownerId) || !/^\d+$/.test(repositoryId)) return undefined;
  const host = githubHost(env['GITHUB_SERVER_URL'] ?? '');
  if (host === undefined) return undefined;
  return host === 'github.com' ? { ownerId, repositoryId } : { ownerId, repositoryId, host };
}

/**
 * The host of the runner's `GITHUB_SERVER_URL` (github.com when unset); undefined when it is
 * not a URL whose host fits an external ID, so that nothing is derived from it.
 */
function githubHost(serverUrl: string): string | undefined {
  if (serverUrl === '') return 'github.com';
  try {
    const host = new URL(serverUrl).host.toLowerCase();
    return /^[a-z0-9.-]+(:\d+)?$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

/** `github` on github.com, `github@<host>` on any other GitHub. */
function instance(ids: RepositoryIds): string {
  return ids.host === undefined ? 'github' : `github@${ids.host}`;
}

/** The external ID of hop `position` (1-based) of a role chain. */
export function chainExternalId(ids: RepositoryIds, position: number, roleName: string): string {
  return `${instance(ids)}:${ids.ownerId}:${ids.repositoryId}:chain:${position}:${roleName}`;
}

/** The external ID of a named connection. */
export function connectionExternalId(ids: RepositoryIds, name: string): string {
  return `${instance(ids)}:${ids.ownerId}:${ids.repositoryId}:connection:${name}`;
}

/** Fails when an external ID must be derived but the runner did not set the IDs. */
export function requireIds(ids: RepositoryIds | undefined, input: string): RepositoryIds {
  if (ids) return ids;
  throw new InputError(
    input,
    'is empty and GITHUB_REPOSITORY_ID / GITHUB_REPOSITORY_OWNER_ID are not set, so no external ID can be derived: set it explicitly',
  );
}
