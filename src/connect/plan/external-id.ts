/**
 * The external ID derived per connection. Format, documented in the README:
 *
 *   github:<owner id>:<repository id>:chain:<position>:<role name>   (a role chain)
 *   github:<owner id>:<repository id>:connection:<name>              (a named connection)
 *
 * Both IDs are numeric and set by the runner (`GITHUB_REPOSITORY_OWNER_ID`,
 * `GITHUB_REPOSITORY_ID`): a workflow cannot override `GITHUB_*` variables, they survive
 * renames and are never reused. Every character is in STS's `[\w+=,.@:/-]`.
 */
import { InputError } from '../../shared/errors.js';

/** The runner-set identity of the repository. */
export interface RepositoryIds {
  ownerId: string;
  repositoryId: string;
}

/** Reads the repository's numeric IDs from the runner's variables; undefined when absent. */
export function repositoryIds(env: NodeJS.ProcessEnv): RepositoryIds | undefined {
  const ownerId = env['GITHUB_REPOSITORY_OWNER_ID'] ?? '';
  const repositoryId = env['GITHUB_REPOSITORY_ID'] ?? '';
  if (!/^\d+$/.test(ownerId) || !/^\d+$/.test(repositoryId)) return undefined;
  return { ownerId, repositoryId };
}

/** The external ID of hop `position` (1-based) of a role chain. */
export function chainExternalId(ids: RepositoryIds, position: number, roleName: string): string {
  return `github:${ids.ownerId}:${ids.repositoryId}:chain:${position}:${roleName}`;
}

/** The external ID of a named connection. */
export function connectionExternalId(ids: RepositoryIds, name: string): string {
  return `github:${ids.ownerId}:${ids.repositoryId}:connection:${name}`;
}

/** Fails when an external ID must be derived but the runner did not set the IDs. */
export function requireIds(ids: RepositoryIds | undefined, input: string): RepositoryIds {
  if (ids) return ids;
  throw new InputError(
    input,
    'is empty and GITHUB_REPOSITORY_ID / GITHUB_REPOSITORY_OWNER_ID are not set, so no external ID can be derived: set it explicitly',
  );
}
