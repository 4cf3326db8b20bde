/** Reading a file that may legitimately be absent, for the main step and the refresh program. */
import { readFileSync } from 'node:fs';

/**
 * A file's text, or undefined when it does not exist; any other failure (a directory, no
 * permission) is thrown, so "absent" is never confused with "broken". Synchronous: the
 * input reader needs it so, and the files read are a few kilobytes at most.
 */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
