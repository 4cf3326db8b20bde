/**
 * src/connect/refresh/store.ts: the temporary file of an atomic write is created exclusively,
 * so a file or link planted at its name is never written through. The name's random part is
 * fixed here so that a test can plant one there.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const crypto = await import('node:crypto');
jest.unstable_mockModule('node:crypto', () => ({
  ...crypto,
  randomBytes: () => Buffer.from('0badf00d', 'hex'),
}));
const { writeAtomic } = await import('../../../../src/connect/refresh/store.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'refresh-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('a link planted at the temporary name is refused, not written through', async () => {
  const path = join(dir, 'cache.json');
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'untouched');
  symlinkSync(victim, `${path}.${process.pid}.0badf00d.tmp`);
  await expect(writeAtomic(path, 'secret')).rejects.toMatchObject({ code: 'EEXIST' });
  expect(readFileSync(victim, 'utf8')).toBe('untouched');
});
