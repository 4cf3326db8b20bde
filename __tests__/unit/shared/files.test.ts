/** src/shared/files.ts: a read that tells "absent" from "broken". */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIfExists } from '../../../src/shared/files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readIfExists', () => {
  test('readIfExists tells absent from present', () => {
    expect(readIfExists(join(dir, 'none'))).toBeUndefined();
    writeFileSync(join(dir, 'a'), 'text');
    expect(readIfExists(join(dir, 'a'))).toBe('text');
  });

  test('a path that exists but cannot be read as a file is an error, not an absence', () => {
    expect(() => readIfExists(dir)).toThrow(/EISDIR/);
  });
});
