/**
 * src/connect/refresh/profiles.ts (the files main writes for `refresh: true`) and what the
 * refresh input changes in getPlan (the chaining cap on key bases).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHAIN_ENV_UNSET,
  chainPlan,
  plan,
  spec,
  STATIC_BASE,
  WEB_BASE,
} from '../../../../__fixtures__/plans.js';
import { fakeSts, type FakeSts } from '../../../../__fixtures__/sts.js';
import type { BaseCredentials } from '../../../../src/connect/resolve/base.js';
import type { ExportFile } from '../../../../src/connect/export/exports.js';
import { getPlan } from '../../../../src/connect/inputs/inputs.js';
import type { Plan } from '../../../../src/connect/model.js';
import { parseRefreshConfig, parseSessionFile } from '../../../../src/connect/refresh/config.js';
import { parseProcessCredentials } from '../../../../src/connect/refresh/output.js';
import type { Resolution } from '../../../../src/connect/resolve/resolve.js';
import {
  buildRefreshProfiles,
  refreshProgramPath,
  WINDOWS_SESSION_WARNING,
  type RefreshContext,
} from '../../../../src/connect/refresh/profiles.js';
import type { StartAgentOptions } from '../../../../src/connect/refresh/agent-start.js';

const LONG_TERM =
  STATIC_BASE.kind === 'credentials'
    ? STATIC_BASE.credentials
    : { accessKeyId: '', secretAccessKey: '' };
const EXPIRY = new Date('2030-01-01T01:00:00.000Z');
const DIR = '/runner/_temp/aws-connection-0a1b2c';

let program: string;
let scratch: string;
let sts: FakeSts;
let warnings: string[];
let started: StartAgentOptions[];

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'refresh-profiles-'));
  program = join(scratch, 'program.js');
  writeFileSync(program, '');
  sts = fakeSts();
  warnings = [];
  started = [];
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function ctx(over: Partial<RefreshContext> = {}): RefreshContext {
  return {
    base: STATIC_BASE,
    sts,
    retry: {
      maxAttempts: 1,
      baseDelayMs: 0,
      maxDelayMs: 0,
      totalMs: 0,
      sleep: async () => undefined,
      random: () => 0,
      now: () => 0,
    },
    env: {},
    info: () => undefined,
    warning: (m) => void warnings.push(m),
    location: { node: '/usr/bin/node', program, platform: 'linux' },
    cwd: '/work/repo',
    now: () => Date.UTC(2030, 0, 1),
    startAgent: (o) => {
      started.push(o);
      return Promise.resolve({ pid: 4242, socket: `${o.dir}/agent.sock` });
    },
    ...over,
  };
}

/** A resolution of `p` where every connection got credentials expiring at EXPIRY. */
function resolved(p: Plan): Resolution {
  const connections = p.connections.map((s) => ({
    spec: s,
    session: {
      credentials: {
        accessKeyId: `ASIA${s.name.toUpperCase().replace(/\W/g, '')}`,
        secretAccessKey: `secret-${s.name}`,
        sessionToken: `token-${s.name}`,
        expiration: EXPIRY,
      },
      arn: `arn:aws:sts::123456789012:assumed-role/${s.role.name}/GitHubActions`,
      accountId: '123456789012',
    },
  }));
  const primary = connections.find((c) => c.spec.name === p.primary)?.session;
  return primary ? { connections, primary } : { connections };
}

const file = (files: ExportFile[], name: string): string =>
  files.find((f) => f.name === name)?.content ?? '';
const named = (over: Partial<Plan> = {}): Plan =>
  plan({
    named: true,
    // The hub is exported too: it feeds deployer, but is asked for.
    connections: [spec('hub', { export: true }), spec('deployer', { source: 'hub' })],
    primary: 'deployer',
    refresh: true,
    ...over,
  });

describe('buildRefreshProfiles', () => {
  test('static keys: exchanged once for a session of refresh-window, held by the agent and in no file', async () => {
    const p = named({ refreshWindowSeconds: 7200, stsEndpoint: 'http://127.0.0.1:5000/' });
    const built = await buildRefreshProfiles(p, resolved(p), DIR, ctx());
    const { files } = built;
    expect(sts.calls).toEqual([
      { op: 'getSessionToken', signer: LONG_TERM, durationSeconds: 7200 },
    ]);
    expect(files.map((f) => f.name).sort()).toEqual(['refresh.json']);
    // Nothing is started before the directory exists: main calls startAgent after the files.
    expect(started).toEqual([]);
    await expect(built.startAgent?.()).resolves.toEqual({
      pid: 4242,
      socket: `${DIR}/agent.sock`,
    });
    const [agent] = started;
    expect(agent).toMatchObject({ node: '/usr/bin/node', program, dir: DIR });
    const session = agent?.material.session;
    expect(session?.accessKeyId).toMatch(/^ASIASESSION/);
    expect(session?.sessionToken).toBeDefined();
    for (const f of files) {
      expect(f.content).not.toContain(LONG_TERM.secretAccessKey);
      expect(f.content).not.toContain(LONG_TERM.accessKeyId);
      expect(f.content).not.toContain(session?.secretAccessKey);
      expect(f.content).not.toContain(session?.sessionToken);
    }
    expect(JSON.stringify(agent?.material)).not.toContain(LONG_TERM.secretAccessKey);
    const config = parseRefreshConfig(file(files, 'refresh.json'));
    expect(config).toMatchObject({
      region: 'eu-west-1',
      stsEndpoint: 'http://127.0.0.1:5000/',
      retryMaxAttempts: 4,
      named: true,
      base: {
        kind: 'agent',
        origin: 'get-session-token',
        windowSeconds: 7200,
        socket: 'agent.sock',
        until: session?.expiration,
      },
      profiles: { hub: 'hub', deployer: 'deployer' },
    });
    expect(config.connections).toEqual(p.connections);
    expect(file(files, 'refresh.json')).not.toMatch(/secret|token-/i);
    // The agent renews from the session: its plan says so, and it ends with the session.
    expect(agent?.material.config).toEqual({
      ...config,
      base: { kind: 'session', origin: 'get-session-token', windowSeconds: 7200 },
    });
    expect(agent?.material.until).toBe(Date.parse(session?.expiration ?? ''));
    // Its first answers are what main resolved.
    expect(agent?.material.seed['deployer']).toEqual({
      Version: 1,
      AccessKeyId: 'ASIADEPLOYER',
      SecretAccessKey: 'secret-deployer',
      SessionToken: 'token-deployer',
      Expiration: EXPIRY.toISOString(),
    });
    expect(Object.keys(agent?.material.seed ?? {}).sort()).toEqual(['deployer', 'hub']);
  });

  test('on Windows a key base keeps its session in session.json, with a warning', async () => {
    const p = named();
    const built = await buildRefreshProfiles(
      p,
      resolved(p),
      DIR,
      ctx({ location: { node: 'C:\\node.exe', program, platform: 'win32' } }),
    );
    expect(built.startAgent).toBeUndefined();
    expect(built.files.map((f) => f.name).sort()).toEqual([
      'cache-deployer.json',
      'cache-hub.json',
      'refresh.json',
      'session.json',
    ]);
    expect(parseSessionFile(file(built.files, 'session.json')).accessKeyId).toMatch(/^ASIASESSION/);
    expect(parseRefreshConfig(file(built.files, 'refresh.json')).base.kind).toBe('session');
    expect(warnings).toEqual([WINDOWS_SESSION_WARNING]);
    expect(WINDOWS_SESSION_WARNING).toMatch(/any later step of this job can read that session/);
  });

  test('a profile per exported connection, each running the program on refresh.json', async () => {
    const p = named();
    p.connections[1] = { ...(p.connections[1] ?? spec('deployer')), region: 'us-east-1' };
    const { profiles, primary } = await buildRefreshProfiles(p, resolved(p), DIR, ctx());
    const run = (profile: string): string =>
      `/usr/bin/node ${program} --config ${DIR}/refresh.json --profile ${profile}`;
    expect(profiles).toEqual([
      { name: 'hub', connection: 'hub', region: 'eu-west-1', command: run('hub') },
      { name: 'deployer', connection: 'deployer', region: 'us-east-1', command: run('deployer') },
    ]);
    expect(primary).toBe(p.primary);
  });

  test('each cache holds what main resolved for that profile, as the program prints it', async () => {
    const p = named({ base: { kind: 'oidc', audience: 'sts.amazonaws.com' } });
    const { files } = await buildRefreshProfiles(p, resolved(p), DIR, ctx({ base: WEB_BASE }));
    expect(parseProcessCredentials(file(files, 'cache-deployer.json'))).toEqual({
      Version: 1,
      AccessKeyId: 'ASIADEPLOYER',
      SecretAccessKey: 'secret-deployer',
      SessionToken: 'token-deployer',
      Expiration: EXPIRY.toISOString(),
    });
  });

  test('a role chain: one profile, aws-connection, for the last hop', async () => {
    const p = { ...chainPlan(3), refresh: true };
    const built = await buildRefreshProfiles(p, resolved(p), DIR, ctx());
    const { files, profiles, primary } = built;
    expect(primary).toBe('aws-connection');
    expect(profiles.map((x) => [x.name, x.connection])).toEqual([['aws-connection', 'chain-3']]);
    expect(parseRefreshConfig(file(files, 'refresh.json')).profiles).toEqual({
      'aws-connection': 'chain-3',
    });
    await built.startAgent?.();
    expect(Object.keys(started[0]?.material.seed ?? {})).toEqual(['aws-connection']);
  });

  test('OIDC: no session file, a fresh token each time', async () => {
    const p = named({ base: { kind: 'oidc', audience: 'sts.amazonaws.com' } });
    const { files } = await buildRefreshProfiles(p, resolved(p), DIR, ctx({ base: WEB_BASE }));
    expect(sts.calls).toEqual([]);
    expect(files.map((f) => f.name)).not.toContain('session.json');
    expect(parseRefreshConfig(file(files, 'refresh.json')).base).toEqual({
      kind: 'oidc',
      audience: 'sts.amazonaws.com',
    });
    for (const f of files)
      expect(f.content).not.toContain(WEB_BASE.kind === 'web-identity' ? WEB_BASE.token : '?');
  });

  test('a token file: its path made absolute, read each time', async () => {
    const p = named({ base: { kind: 'web-identity-file', path: 'ci/token' } });
    const { files } = await buildRefreshProfiles(p, resolved(p), DIR, ctx({ base: WEB_BASE }));
    expect(parseRefreshConfig(file(files, 'refresh.json')).base).toEqual({
      kind: 'web-identity-file',
      path: '/work/repo/ci/token',
    });
  });

  const chainBase = (sessionToken?: string): BaseCredentials => ({
    kind: 'credentials',
    credentials: {
      accessKeyId: 'AKIAENVIRONMENT00001',
      secretAccessKey: 'env-secret-wJalrXUtnFEMI',
      ...(sessionToken ? { sessionToken } : {}),
    },
    origin: 'the AWS default provider chain',
  });

  test('default chain, keys from the environment (blanked for later steps): exchanged for a session', async () => {
    const p = named({ base: { kind: 'default-chain' } });
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001',
      AWS_SECRET_ACCESS_KEY: 'env-secret-wJalrXUtnFEMI',
    };
    const { files } = await buildRefreshProfiles(
      p,
      resolved(p),
      DIR,
      ctx({ base: chainBase(), env }),
    );
    expect(sts.calls.map((c) => c.op)).toEqual(['getSessionToken']);
    expect(parseRefreshConfig(file(files, 'refresh.json')).base.kind).toBe('agent');
    for (const f of files) expect(f.content).not.toContain('env-secret-wJalrXUtnFEMI');
  });

  test('default chain, anything else: resolved again each time, with the variables main saw', async () => {
    const p = named({ base: { kind: 'default-chain' } });
    const env = {
      AWS_PROFILE: 'ci',
      AWS_CONFIG_FILE: '/home/r/.aws/config',
      AWS_SHARED_CREDENTIALS_FILE: '',
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001',
    };
    const { files } = await buildRefreshProfiles(
      p,
      resolved(p),
      DIR,
      ctx({ base: chainBase('tok'), env }),
    );
    expect(sts.calls).toEqual([]);
    expect(files.map((f) => f.name)).not.toContain('session.json');
    expect(parseRefreshConfig(file(files, 'refresh.json')).base).toEqual({
      kind: 'default-chain',
      env: { ...CHAIN_ENV_UNSET, AWS_PROFILE: 'ci', AWS_CONFIG_FILE: '/home/r/.aws/config' },
    });
  });

  test('temporary static keys are kept as they are, with a warning', async () => {
    const p = named({
      base: {
        kind: 'static',
        accessKeyId: 'ASIAGIVEN',
        secretAccessKey: 'given-secret',
        sessionToken: 'given-token',
      },
    });
    const base: BaseCredentials = {
      kind: 'credentials',
      credentials: {
        accessKeyId: 'ASIAGIVEN',
        secretAccessKey: 'given-secret',
        sessionToken: 'given-token',
      },
      origin: 'temporary keys',
    };
    const built = await buildRefreshProfiles(p, resolved(p), DIR, ctx({ base }));
    expect(sts.calls).toEqual([]);
    await built.startAgent?.();
    expect(started[0]?.material.session).toEqual({
      accessKeyId: 'ASIAGIVEN',
      secretAccessKey: 'given-secret',
      sessionToken: 'given-token',
    });
    // No expiry known: the agent ends with refresh-window.
    const until = new Date(Date.UTC(2030, 0, 1) + 21600_000);
    expect(started[0]?.material.until).toBe(until.getTime());
    expect(parseRefreshConfig(file(built.files, 'refresh.json')).base).toEqual({
      kind: 'agent',
      origin: 'given',
      windowSeconds: 21600,
      socket: 'agent.sock',
      until: until.toISOString(),
    });
    for (const f of built.files) expect(f.content).not.toContain('given-secret');
    expect(warnings).toEqual([expect.stringMatching(/renew only until they expire/)]);
  });

  test('a proxy address with credentials in it is not written', async () => {
    const p = named({ proxy: 'http://user:pass@proxy.example:3128' });
    const built = await buildRefreshProfiles(p, resolved(p), DIR, ctx());
    expect(file(built.files, 'refresh.json')).not.toContain('pass');
    // The agent, which renews, gets it in memory: nothing to warn about.
    expect(warnings).toEqual([]);
    await built.startAgent?.();
    expect(started[0]?.material.config.proxy).toBe('http://user:pass@proxy.example:3128');
    // Without the agent, renewals read the consumer's own proxy variables: the step says so.
    const oidc = named({
      proxy: 'http://user:pass@proxy.example:3128',
      base: { kind: 'oidc', audience: 'sts.amazonaws.com' },
    });
    const viaOidc = await buildRefreshProfiles(oidc, resolved(oidc), DIR, ctx({ base: WEB_BASE }));
    expect(file(viaOidc.files, 'refresh.json')).not.toContain('pass');
    expect(warnings).toEqual([expect.stringMatching(/proxy address holds credentials/)]);
    const plain = named({ proxy: 'http://proxy.example:3128' });
    expect(
      parseRefreshConfig(
        file(
          (await buildRefreshProfiles(plain, resolved(plain), DIR, ctx())).files,
          'refresh.json',
        ),
      ).proxy,
    ).toBe('http://proxy.example:3128');
  });

  test('GetSessionToken refused: the step fails, saying which call', async () => {
    const err = Object.assign(new Error('The security token included in the request is invalid.'), {
      name: 'InvalidClientTokenId',
    });
    sts.fail('getSessionToken', err);
    const p = named();
    await expect(buildRefreshProfiles(p, resolved(p), DIR, ctx())).rejects.toThrow(
      /^refresh: exchanging the base keys for a refresh session \(GetSessionToken\) failed: InvalidClientTokenId/,
    );
  });

  test('the program missing from the action fails the step', async () => {
    const p = named();
    await expect(
      buildRefreshProfiles(
        p,
        resolved(p),
        DIR,
        ctx({ location: { program: join(scratch, 'nope.js') } }),
      ),
    ).rejects.toThrow(/refresh program .*nope\.js is missing from the action/);
  });

  test.each([
    [
      'file:///D:/a/_actions/o/aws-connection/v1/dist/main/182.index.js',
      'D:\\a\\_actions\\o\\aws-connection\\v1\\dist\\refresh\\index.js',
    ],
    [
      'file:///C:/Program%20Files/runner/_work/_actions/o/aws-connection/v1/dist/main/index.js',
      'C:\\Program Files\\runner\\_work\\_actions\\o\\aws-connection\\v1\\dist\\refresh\\index.js',
    ],
    [
      'file://server/share/runner%20dir/dist/main/index.js',
      '\\\\server\\share\\runner dir\\dist\\refresh\\index.js',
    ],
  ])('on Windows the program beside %s is %s', (url, path) => {
    expect(refreshProgramPath(url, 'win32')).toBe(path);
  });

  test('on Linux and macOS a file URL decodes to a POSIX path', () => {
    expect(
      refreshProgramPath('file:///home/runner/my%20actions/dist/main/index.js', 'darwin'),
    ).toBe('/home/runner/my actions/dist/refresh/index.js');
  });

  test('the program is found beside the running bundle', () => {
    expect(refreshProgramPath('file:///actions/aws-connection/v1/dist/main/182.index.js')).toBe(
      '/actions/aws-connection/v1/dist/refresh/index.js',
    );
  });
});

describe('getPlan with refresh: a key base is capped like a chained role', () => {
  const keys = {
    'aws-region': 'eu-west-1',
    'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
    'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const env = { GITHUB_REPOSITORY_ID: '2222', GITHUB_REPOSITORY_OWNER_ID: '1111' };
  const read =
    (inputs: Record<string, string>) =>
    (name: string): string =>
      inputs[name] ?? '';
  const role = 'arn:aws:iam::123456789012:role/deployer';

  test.each<[string, Record<string, string>, NodeJS.ProcessEnv]>([
    ['static keys', keys, env],
    ['the default chain', { 'aws-region': 'eu-west-1' }, env],
  ])('%s: 7200 s is refused before any call', async (_, inputs, e) => {
    await expect(
      getPlan(
        read({
          ...inputs,
          'role-to-assume': role,
          'role-duration-seconds': '7200',
          refresh: 'true',
        }),
        e,
        () => undefined,
      ),
    ).rejects.toThrow(
      'role-duration-seconds: 7200 is above 3600, the limit for a role assumed with temporary credentials (refresh re-assumes it from session credentials)',
    );
    await expect(
      getPlan(
        read({ ...inputs, 'role-to-assume': role, 'role-duration-seconds': '7200' }),
        e,
        () => undefined,
      ),
    ).resolves.toMatchObject({ refresh: false });
  });

  test('named connections from the base too', async () => {
    const connections = `hub:\n  role-arn: ${role}\n  duration: 7200\n`;
    await expect(
      getPlan(read({ ...keys, connections, refresh: 'true' }), env, () => undefined),
    ).rejects.toThrow(/duration\): 7200 is above 3600/);
  });

  test('OIDC is not capped: each refresh starts from a fresh token', async () => {
    const oidc = {
      ...env,
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t/',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
    };
    const p = await getPlan(
      read({
        'aws-region': 'eu-west-1',
        'role-to-assume': role,
        'role-duration-seconds': '7200',
        refresh: 'true',
      }),
      oidc,
      () => undefined,
    );
    expect(p.connections[0]?.durationSeconds).toBe(7200);
  });
});
