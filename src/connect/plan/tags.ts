/** Session tags: the GitHub context tags, or a map the user gives. */
import { InputError, show } from '../../shared/errors.js';
import type { Tag } from '../../aws/credentials.js';
import { parseTagKey, parseTagValue, sanitizeTagValue } from '../../shared/validate.js';

/**
 * The GitHub context as session tags. Values are made to fit STS's character set (workflow
 * names and branch names may hold characters STS refuses). Every trust policy on the way
 * must allow `sts:TagSession`.
 */
export function parseGithubTags(env: NodeJS.ProcessEnv): Tag[] {
  const pairs: [string, string | undefined][] = [
    ['GitHub', 'Actions'],
    ['Repository', env['GITHUB_REPOSITORY']],
    ['Workflow', env['GITHUB_WORKFLOW']],
    ['Action', env['GITHUB_ACTION']],
    ['Actor', env['GITHUB_ACTOR']],
    ['Commit', env['GITHUB_SHA']],
    ['Branch', env['GITHUB_REF']],
  ];
  return pairs
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([key, value]) => ({ key, value: sanitizeTagValue(value) }));
}

/** Tags from a parsed YAML map of key to scalar; checks STS's limits. */
export function tagsFromObject(input: string, where: string, value: unknown): Tag[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(input, `${where}must be a map of tag key to value`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 50)
    throw new InputError(input, `${where}has ${entries.length} tags, more than 50`);
  const seen = new Set<string>();
  return entries.map(([key, raw]) => {
    // An empty value (`Team:`) is an empty tag value, which STS allows.
    const text = raw === null || raw === undefined ? '' : raw;
    if (typeof text !== 'string' && typeof text !== 'number' && typeof text !== 'boolean') {
      throw new InputError(input, `${where}tag ${show(key)} must have a text value`);
    }
    // STS compares tag keys without regard to case: two such keys fail the call.
    if (seen.has(key.toLowerCase())) {
      throw new InputError(
        input,
        `${where}tag key ${show(key)} is given twice (tag keys ignore case)`,
      );
    }
    seen.add(key.toLowerCase());
    return { key: parseTagKey(input, key), value: parseTagValue(input, key, String(text)) };
  });
}
