/**
 * The README documents what both action.yml files declare: every input and output name
 * appears in it as inline code, so renaming or adding one without the README fails here.
 * It also stays short enough to read (the size a user's patience allows) and pins a version
 * in every example, since an unpinned `uses:` is what gets copied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README's size limit in bytes: no longer than the peer action's README. */
const MAX_BYTES = 49_000;

interface ActionYml {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

function declared(file: string): { kind: string; name: string }[] {
  const action = parse(readFileSync(join(root, file), 'utf8')) as ActionYml;
  return [
    ...Object.keys(action.inputs ?? {}).map((name) => ({ kind: 'input', name })),
    ...Object.keys(action.outputs ?? {}).map((name) => ({ kind: 'output', name })),
  ];
}

describe.each(['action.yml', 'rotate/action.yml'])('%s', (file) => {
  const names = declared(file);

  it('declares inputs and outputs', () => {
    expect(names.filter((n) => n.kind === 'input').length).toBeGreaterThan(0);
    expect(names.filter((n) => n.kind === 'output').length).toBeGreaterThan(0);
  });

  it.each(names)('documents the $kind `$name`', ({ name }) => {
    expect(readme).toContain(`\`${name}\``);
  });
});

describe('README.md', () => {
  it(`is under ${MAX_BYTES} bytes`, () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThan(MAX_BYTES);
  });

  it('pins a major version in every example of this action', () => {
    const uses = [...readme.matchAll(/uses:\s*(\S*aws-connection\S*)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((u) => !/@v1$/.test(u ?? ''))).toEqual([]);
  });

  it('starts with the two commands a newcomer runs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(readme.indexOf('```sh')).toBeLessThan(200);
    expect(firstBlock).toContain('npm ci && npm run demo');
    expect(firstBlock).toContain('npm test');
  });
});
