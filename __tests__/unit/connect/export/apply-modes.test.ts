/**
 * src/connect/export/apply.ts: the step's directory is created 0700, so it is never more open
 * than that, not even between its creation and the chmod that follows (which only undoes a
 * umask that took bits away). The directory's mode in that moment cannot be seen from outside:
 * the call to mkdir is recorded instead.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fs = await import('node:fs/promises');
const made: unknown[] = [];
jest.unstable_mockModule('node:fs/promises', () => ({
  ...fs,
  mkdir: (path: string, options: unknown) => {
    made.push(options);
    return fs.mkdir(path, options as Parameters<typeof fs.mkdir>[1]);
  },
}));
const { applyExports } = await import('../../../../src/connect/export/apply.js');
const { fakeRunner } = await import('../../../../__fixtures__/runner.js');
const { laterSteps } = await import('../../../../__fixtures__/plans.js');

test('the directory is created 0700 and never recursively (a parent is never made)', async () => {
  const temp = mkdtempSync(join(tmpdir(), 'apply-modes-'));
  try {
    await applyExports(fakeRunner(), join(temp, 'aws-connection-x'), {
      variables: [],
      outputs: [],
      files: [{ name: 'config', content: '' }],
      summary: '',
      laterSteps: laterSteps(),
    });
    expect(made).toEqual([{ recursive: false, mode: 0o700 }]);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
});
