/** src/connect/refresh/resolve-profile.ts: one resolution of a profile, with a fake STS. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_ENV_UNSET, spec } from '../../../../__fixtures__/plans.js';
import { instantRetry } from '../../../../__fixtures__/retry.js';
import { awsError, fakeSts, type FakeSts } from '../../../../__fixtures__/sts.js';
import type { Credentials } from '../../../../src/aws/credentials.js';
import { STS_TIMEOUTS, type StsConfig } from '../../../../src/aws/sts.js';
import type { RefreshConfig } from '../../../../src/connect/refresh/config.js';
import {
  profileGraph,
  resolveProfile,
  STACK_VARIABLE,
  type ResolveProfileDeps,
} from '../../../../src/connect/refresh/resolve-profile.js';

const NOW = Date.UTC(2029, 5, 1);
const SESSION = {
  accessKeyId: 'ASIASESSION',
  secretAccessKey: 'session-secret',
  sessionToken: 'session-token',
  expiration: new Date(NOW + 6 * 3600_000).toISOString(),
};
const hub = spec('hub');
const deployer = spec('deployer', { source: 'hub' });
const notify = spec('notify', { source: 'hub', durationSeconds: 900 });

let dir: string;
let configPath: string;
let sts: FakeSts;
let built: StsConfig[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'resolve-profile-'));
  configPath = join(dir, 'refresh.json');
  writeFileSync(join(dir, 'session.json'), JSON.stringify(SESSION));
  sts = fakeSts();
  built = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function config(over: Partial<RefreshConfig> = {}): RefreshConfig {
  return {
    version: 1,
    region: 'eu-west-1',
    stsEndpoint: 'http://127.0.0.1:1/',
    retryMaxAttempts: 2,
    named: true,
    base: { kind: 'session', origin: 'get-session-token', windowSeconds: 21600 },
    connections: [hub, deployer, notify],
    profiles: { hub: 'hub', deployer: 'deployer', notify: 'notify' },
    ...over,
  };
}

function deps(over: Partial<ResolveProfileDeps> = {}): ResolveProfileDeps {
  return {
    env: {},
    now: () => NOW,
    createSts: async (c) => {
      built.push(c);
      return sts;
    },
    fetch: async () => {
      throw new Error('no fetch expected');
    },
    defaultChain: () => Promise.reject(new Error('no default chain expected')),
    retry: instantRetry({ maxAttempts: 2 }),
    ...over,
  };
}

describe('profileGraph', () => {
  test('the profile and its sources only, and nothing a resolution does not read', () => {
    const base = { kind: 'oidc', audience: 'sts.amazonaws.com' } as const;
    expect(profileGraph(config(), 'notify', base)).toEqual({
      base,
      connections: [hub, notify],
      primary: 'notify',
      named: true,
    });
  });

  test('a chain keeps its labels: named is false', () => {
    const chain = [spec('chain-1'), spec('chain-2', { source: 'chain-1' })];
    const graph = profileGraph(
      config({ named: false, connections: chain, profiles: { 'aws-connection': 'chain-2' } }),
      'chain-2',
      { kind: 'default-chain' },
    );
    expect(graph.named).toBe(false);
    expect(graph.connections).toEqual(chain);
  });
});

describe('resolveProfile', () => {
  test('signs the first hop with session.json and answers with the last hop', async () => {
    const answer = await resolveProfile(config(), 'notify', configPath, deps());
    expect(
      sts.calls.map((c) => [
        c.op,
        'request' in c ? c.request.roleArn : '',
        'signer' in c ? c.signer.accessKeyId : '',
      ]),
    ).toEqual([
      ['assumeRole', hub.role.arn, 'ASIASESSION'],
      ['assumeRole', notify.role.arn, expect.stringMatching(/^ASIAHUB/)],
    ]);
    expect(answer.Version).toBe(1);
    expect(answer.AccessKeyId).toMatch(/^ASIANOTIFY/);
    expect(answer.SessionToken).toMatch(/^token-notify-/);
    expect(answer.Expiration).toBe('2030-01-01T00:02:00.000Z');
  });

  test('the STS client: the region and endpoint of refresh.json, the shared timeouts', async () => {
    await resolveProfile(config({ proxy: 'http://proxy.example:3128' }), 'hub', configPath, deps());
    expect(built).toHaveLength(1);
    expect(built[0]).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1/',
      proxy: 'http://proxy.example:3128',
      ...STS_TIMEOUTS,
    });
  });

  test('an expired session.json fails before any STS call, naming refresh-window', async () => {
    writeFileSync(
      join(dir, 'session.json'),
      JSON.stringify({ ...SESSION, expiration: new Date(NOW - 1).toISOString() }),
    );
    await expect(resolveProfile(config(), 'notify', configPath, deps())).rejects.toThrow(
      /renews from expired at .*refresh-window \(6 h\)/,
    );
    expect(sts.calls).toEqual([]);
  });

  test('STS ExpiredToken on a session base is explained', async () => {
    sts.fail(hub.role.arn, awsError('ExpiredToken', 'expired', 400));
    await expect(
      resolveProfile(
        config({ base: { kind: 'session', origin: 'given', windowSeconds: 0 } }),
        'hub',
        configPath,
        deps(),
      ),
    ).rejects.toThrow(/^the temporary keys given to the aws-connection step expired/);
  });

  test('the default chain: main’s variables restored, the stack recorded, a loop refused', async () => {
    const env: NodeJS.ProcessEnv = { AWS_PROFILE: 'hub', AWS_SHARED_CREDENTIALS_FILE: '/x' };
    const chain = async (): Promise<Credentials> => ({
      accessKeyId: 'ASIAINSTANCE',
      secretAccessKey: 'x',
      sessionToken: 'y',
    });
    const base = {
      kind: 'default-chain',
      env: { ...CHAIN_ENV_UNSET, AWS_PROFILE: 'ci' },
    } as const;
    await resolveProfile(config({ base }), 'hub', configPath, deps({ env, defaultChain: chain }));
    expect(env).toEqual({ AWS_PROFILE: 'ci', [STACK_VARIABLE]: configPath });
    expect(sts.calls[0]).toMatchObject({ signer: { accessKeyId: 'ASIAINSTANCE' } });

    await expect(
      resolveProfile(config({ base }), 'hub', configPath, deps({ env, defaultChain: chain })),
    ).rejects.toThrow(/led back to this profile/);
  });
});
