// Bundles each entry point with ncc into dist/<name>/index.js (ESM, minified).
// One bundle per lifecycle step, so each step loads only what it needs.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const entries =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['main', 'cleanup', 'refresh', 'rotate', 'rotate-cleanup'];
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
for (const name of entries) {
  rmSync(`dist/${name}`, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      `build/entrypoints/${name}.js`,
      '-o',
      `dist/${name}`,
      '--minify',
      '--no-source-map-register',
      '--quiet',
      '--license',
      'licenses.txt',
      '--target',
      'es2022',
    ],
    { stdio: 'inherit' },
  );
}
