/** The inputs an action.yml declares, with their defaults as it writes them. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Input name to default ('' for none), in the manifest's order; `path` is from the repository
 * root. A default is kept as YAML parsed it, so `4` (a number) does not pass for `'4'`.
 */
export function manifestInputs(path: string): [name: string, value: unknown][] {
  const manifest = parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>;
  };
  return Object.entries(manifest.inputs).map(([name, input]) => [name, input.default ?? '']);
}
