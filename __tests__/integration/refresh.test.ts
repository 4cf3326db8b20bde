/**
 * `refresh: true`, end to end: the bundled dist/main writes profiles whose credential_process
 * runs the bundled dist/refresh, and real consumers read them — the AWS CLI v1 (botocore) and
 * the AWS SDK for JavaScript's `fromIni` — against moto with signature checking on.
 *
 * For the bases whose renewals read their own material (GitHub OIDC from a loopback token
 * endpoint; a shared credentials file through the default chain) it shows: the consumer resolves the expected role through credential_process;
 * credentials still valid are served from the cache (no STS call, one round trip for a
 * concurrent burst); a profile whose session is past renewal gets new credentials from a new
 * AssumeRole; the long-term secret is in no file under RUNNER_TEMP; the post step leaves no
 * file behind. Key bases renew through the credential agent: refresh-agent.test.ts.
 *
 * The clock seam is the cached answer's expiry, not a fake clock: a test that needs time to
 * pass rewrites a profile's cached Expiration to 10 minutes from now, inside the program's
 * 15-minute renewal margin, which stands for a call once the printed credentials are due for
 * renewal. (A session short enough to do this for real is refused with refresh.)
 *
 * Behaviour that comes from the test proxy, not from moto (support/sts-emulation.ts):
 * GetSessionToken credentials that authenticate (moto hands out the documentation's example
 * keys), AssumeRoleWithWebIdentity with auth on, and the duration limits.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto, trustPolicy, type Moto, type MotoUser } from './support/moto.js';
import { startProxy, type StsProxy } from './support/proxy.js';
import { laterStepEnv, runPost, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks } from './support/leaks.js';
import { startOidc, type OidcServer } from './support/oidc.js';
import { NODE24 } from './support/nodes.js';

const ROOT = process.cwd();
const MAIN = resolve(ROOT, 'dist/main/index.js');
const CLEANUP = resolve(ROOT, 'dist/cleanup/index.js');
const REFRESH = resolve(ROOT, 'dist/refresh/index.js');
/** The action runs on node24 (action.yml). */
const NODE = NODE24;
/** The interpreter of the AWS CLI v1 on PATH: called directly, as HOME is a fresh folder in the steps. */
const PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout.trim();
const ACCOUNT = '123456789012';
const OWNER_ID = '4040';
const REPO_ID = '100200300';

let moto: Moto;
let proxy: StsProxy;
let seq = 0;
let oidcProvider = false;

beforeAll(async () => {
  for (const bundle of [MAIN, CLEANUP, REFRESH]) {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  }
  moto = await startMoto();
  proxy = await startProxy({ moto });
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

beforeEach(() => {
  proxy.clear();
  proxy.clearFaults();
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (no shell). */
function exec(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Ran> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** `aws sts get-caller-identity` (AWS CLI v1) as a later step runs it; returns the ARN. */
async function awsCli(env: Record<string, string>, profile?: string): Promise<string> {
  const args = [
    '-m',
    'awscli',
    'sts',
    'get-caller-identity',
    '--output',
    'json',
    ...(profile ? ['--profile', profile] : []),
  ];
  const r = await exec(PYTHON, args, env);
  if (r.code !== 0) throw new Error(`aws exited ${r.code}: ${r.stderr.trim()}`);
  return (JSON.parse(r.stdout) as { Arn: string }).Arn;
}

/** The JS SDK: `fromIni()` (AWS_PROFILE, AWS_CONFIG_FILE), then GetCallerIdentity with them. */
const SDK_SCRIPT = `
import { fromIni } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
const profile = process.argv[1];
const credentials = await fromIni(profile ? { profile } : {})();
const sts = new STSClient({ region: process.env.AWS_REGION, credentials, maxAttempts: 1 });
const out = await sts.send(new GetCallerIdentityCommand({}));
console.log(JSON.stringify({ arn: out.Arn, accessKeyId: credentials.accessKeyId, expiration: credentials.expiration }));
`;

async function sdkFromIni(
  env: Record<string, string>,
  profile?: string,
): Promise<{ arn: string; accessKeyId: string }> {
  const r = await exec(NODE, ['--input-type=module', '-e', SDK_SCRIPT, profile ?? ''], env);
  if (r.code !== 0) throw new Error(`fromIni consumer exited ${r.code}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as { arn: string; accessKeyId: string };
}

/** The refresh program itself, as credential_process runs it. */
function refreshProgram(
  env: Record<string, string>,
  configPath: string,
  profile: string,
): Promise<Ran> {
  return exec(NODE, [REFRESH, '--config', configPath, '--profile', profile], env);
}

/** Time passing: the cached answer of `profile` now expires within the renewal margin. */
function dueForRenewal(dir: string, profile: string): void {
  const path = join(dir, `cache-${profile}.json`);
  const cached = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const soon = new Date(Date.now() + 10 * 60_000).toISOString();
  writeFileSync(path, `${JSON.stringify({ ...cached, Expiration: soon })}\n`);
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/** Throws if any file under `dir` holds one of `secrets` (named by index, never shown). */
function assertNotInFiles(dir: string, secrets: string[]): number {
  const files = filesUnder(dir);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    secrets.forEach((s, i) => {
      if (s.length >= 4 && text.includes(s)) throw new Error(`secret #${i} found in ${file}`);
    });
  }
  return files.length;
}

const connectionId = (name: string): string => `github:${OWNER_ID}:${REPO_ID}:connection:${name}`;
const assumed = (role: string): string =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/GitHubActions`;
const assumeCalls = (): number =>
  proxy.count('AssumeRole') + proxy.count('AssumeRoleWithWebIdentity');

/** One job's setup: the base, three connections and what to expect. */
interface Scenario {
  inputs: Record<string, string>;
  env: Record<string, string>;
  /** Values that must never be written to a file. */
  longTerm: string[];
  roles: { hub: string; deployer: string; brief: string };
  oidc?: OidcServer;
  /** Prepares the job folder before main runs. */
  workDir?: string;
}

type BaseKind =
  | 'static keys'
  | 'GitHub OIDC'
  | 'environment keys (default chain)'
  | 'shared credentials file (default chain)';

/**
 * Roles: `hub` (from the base), and from it `deployer` (3600 s) and `brief` (1800 s, the
 * least refresh accepts). Every
 * AssumeRole trust policy requires the connection's derived external ID.
 */
async function scenario(kind: BaseKind): Promise<Scenario> {
  const n = ++seq;
  const web = kind === 'GitHub OIDC';
  let user: MotoUser | undefined;
  if (!web) user = await moto.createUser(`ci-${n}`);
  if (web && !oidcProvider) {
    await moto.createGitHubOidcProvider();
    oidcProvider = true;
  }
  const hubName = `hub-${n}`;
  const hub = await moto.createRole(
    hubName,
    web
      ? trustPolicy({ webIdentity: true })
      : trustPolicy({ principalArn: user?.arn ?? '', externalId: connectionId('hub') }),
  );
  const deployer = await moto.createRole(
    `deployer-${n}`,
    trustPolicy({ externalId: connectionId('deployer') }),
  );
  const brief = await moto.createRole(
    `brief-${n}`,
    trustPolicy({ externalId: connectionId('brief') }),
  );
  const inputs: Record<string, string> = {
    'aws-region': 'us-east-1',
    refresh: 'true',
    connections: [
      'hub:',
      `  role-arn: ${hub}`,
      // It only feeds the others: exported because asked for.
      '  export: true',
      'deployer:',
      '  source: hub',
      `  role-arn: ${deployer}`,
      'brief:',
      '  source: hub',
      `  role-arn: ${brief}`,
      '  duration: 1800',
    ].join('\n'),
    connection: 'deployer',
  };
  const env: Record<string, string> = { AWS_ENDPOINT_URL_STS: proxy.url };
  const s: Scenario = {
    inputs,
    env,
    longTerm: [],
    roles: { hub: hubName, deployer: `deployer-${n}`, brief: `brief-${n}` },
  };
  if (user) s.longTerm.push(user.secretAccessKey);
  switch (kind) {
    case 'static keys':
      inputs['aws-access-key-id'] = user?.accessKeyId ?? '';
      inputs['aws-secret-access-key'] = user?.secretAccessKey ?? '';
      break;
    case 'GitHub OIDC': {
      const oidc = await startOidc();
      s.oidc = oidc;
      env['ACTIONS_ID_TOKEN_REQUEST_URL'] = oidc.url;
      env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = oidc.requestToken;
      s.longTerm.push(oidc.requestToken);
      break;
    }
    case 'environment keys (default chain)':
      env['AWS_ACCESS_KEY_ID'] = user?.accessKeyId ?? '';
      env['AWS_SECRET_ACCESS_KEY'] = user?.secretAccessKey ?? '';
      break;
    case 'shared credentials file (default chain)': {
      // As on a self-hosted runner with keys in ~/.aws (HOME is the job folder's home). The
      // job folder's name has a space and a quote, which credential_process must carry.
      const workDir = mkdtempSync(join(tmpdir(), "aws-connection job's-"));
      mkdirSync(join(workDir, 'home', '.aws'), { recursive: true });
      writeFileSync(
        join(workDir, 'home', '.aws', 'credentials'),
        `[default]\naws_access_key_id = ${user?.accessKeyId ?? ''}\naws_secret_access_key = ${user?.secretAccessKey ?? ''}\n`,
        { mode: 0o600 },
      );
      s.workDir = workDir;
      break;
    }
  }
  return s;
}

function runMain(s: Scenario): Promise<StepResult> {
  return runStep({
    entry: MAIN,
    node: NODE,
    inputs: s.inputs,
    env: s.env,
    ...(s.workDir ? { workDir: s.workDir } : {}),
  });
}

/** What the profiles' directory holds. */
function profileDir(main: StepResult): string {
  const config = main.env['AWS_CONFIG_FILE'] ?? '';
  return config.slice(0, config.lastIndexOf('/'));
}

describe.each<BaseKind>(['GitHub OIDC', 'shared credentials file (default chain)'])(
  'refresh with %s',
  (kind) => {
    let s: Scenario;
    let main: StepResult;
    let consumer: Record<string, string>;
    let dir: string;

    beforeAll(async () => {
      s = await scenario(kind);
      proxy.clear();
      main = await runMain(s);
      if (main.code !== 0) throw new Error(`main failed: ${main.stdout}\n${main.stderr}`);
      consumer = { ...laterStepEnv(main), AWS_ENDPOINT_URL: moto.endpoint };
      dir = profileDir(main);
    }, 60_000);

    afterAll(async () => {
      await s?.oidc?.stop();
      if (s?.workDir) rmSync(s.workDir, { recursive: true, force: true });
    });

    it('exports profiles, not keys, and writes only temporary credentials, privately', () => {
      // The default profile renews as deployer: AWS_PROFILE, which nothing set, stays unset.
      expect(main.env['AWS_PROFILE']).toBeUndefined();
      expect(main.env['AWS_CONFIG_FILE']).toBe(join(dir, 'config'));
      expect(main.env['AWS_SHARED_CREDENTIALS_FILE']).toBe(join(dir, 'credentials'));
      expect(dir.startsWith(`${main.runnerTemp}/`)).toBe(true);
      // Keys an earlier step left are blanked; none are exported.
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
        expect(main.env[name] ?? '').toBe('');
      expect(main.outputs['authenticated-arn']).toBe(assumed(s.roles.deployer));
      expect(main.outputs['external-id']).toBe(connectionId('deployer'));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const names = readdirSync(dir).sort();
      expect(names).toEqual(
        [
          'cache-brief.json',
          'cache-deployer.json',
          'cache-hub.json',
          'config',
          'credentials',
          'refresh.json',
        ].sort(),
      );
      for (const name of names) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      const config = readFileSync(join(dir, 'config'), 'utf8');
      const q = (arg: string): string =>
        /^[\w@+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
      const deployer = `region = us-east-1\ncredential_process = ${q(NODE)} ${q(REFRESH)} --config ${q(join(dir, 'refresh.json'))} --profile deployer\n`;
      expect(config).toContain(`[default]\n${deployer}`);
      expect(config).toContain(`[profile deployer]\n${deployer}`);
      expect(readFileSync(join(dir, 'credentials'), 'utf8')).toBe('');
      // The long-term secret (or the OIDC request token) is in no file main wrote, and nothing
      // secret was printed unmasked.
      expect(assertNotInFiles(main.runnerTemp, s.longTerm)).toBeGreaterThanOrEqual(5);
      const written = filesUnder(dir).flatMap((f) => {
        const text = readFileSync(f, 'utf8');
        return [
          ...text.matchAll(
            /"(?:SecretAccessKey|SessionToken|secretAccessKey|sessionToken)":\s*"([^"]+)"/g,
          ),
        ].map((m) => m[1] ?? '');
      });
      expect(written.length).toBeGreaterThanOrEqual(6);
      expect(assertNoLeaks(main, [...s.longTerm, ...written])).toBeGreaterThan(0);
    });

    it('serves the AWS CLI and fromIni through credential_process, from the cache while valid', async () => {
      expect(await awsCli(consumer)).toBe(assumed(s.roles.deployer));
      const sdk = await sdkFromIni(consumer);
      expect(sdk.arn).toBe(assumed(s.roles.deployer));
      expect(await awsCli(consumer, 'hub')).toBe(assumed(s.roles.hub));
      expect((await sdkFromIni(consumer, 'hub')).arn).toBe(assumed(s.roles.hub));
      // main's first credentials were cached: no call cost an STS round trip, and they are
      // what main resolved.
      expect(assumeCalls()).toBe(0);
      const cached = JSON.parse(readFileSync(join(dir, 'cache-deployer.json'), 'utf8')) as {
        AccessKeyId: string;
        Expiration: string;
      };
      expect(sdk.accessKeyId).toBe(cached.AccessKeyId);
      expect(cached.Expiration).toBe(main.outputs['expiration']);
    }, 60_000);

    it('resolves a concurrent burst with one round trip (one AssumeRole per hop)', async () => {
      unlinkSync(join(dir, 'cache-deployer.json'));
      const tokensBefore = s.oidc?.requests.length ?? 0;
      const burst = await Promise.all(
        Array.from({ length: 8 }, () =>
          refreshProgram(consumer, join(dir, 'refresh.json'), 'deployer'),
        ),
      );
      for (const r of burst) expect(r).toMatchObject({ code: 0, stderr: '' });
      const keys = new Set(
        burst.map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId),
      );
      expect(keys.size).toBe(1);
      expect(proxy.count('AssumeRole')).toBe(kind === 'GitHub OIDC' ? 1 : 2);
      expect(proxy.count('AssumeRoleWithWebIdentity')).toBe(kind === 'GitHub OIDC' ? 1 : 0);
      if (s.oidc) expect(s.oidc.requests.length - tokensBefore).toBe(1);
      // Consumers now get the burst's credentials without another call.
      expect((await sdkFromIni(consumer)).accessKeyId).toBe([...keys][0]);
      expect(assumeCalls()).toBe(2);
      expect(readdirSync(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
    }, 60_000);

    it('gets new credentials from a new AssumeRole once the printed ones are due for renewal', async () => {
      const tokensBefore = s.oidc?.requests.length ?? 0;
      dueForRenewal(dir, 'brief');
      const first = await sdkFromIni(consumer, 'brief');
      expect(first.arn).toBe(assumed(s.roles.brief));
      const afterFirst = proxy.count('AssumeRole');
      // Served from the cache until it is due again.
      expect((await sdkFromIni(consumer, 'brief')).accessKeyId).toBe(first.accessKeyId);
      expect(proxy.count('AssumeRole')).toBe(afterFirst);
      dueForRenewal(dir, 'brief');
      const second = await sdkFromIni(consumer, 'brief');
      expect(second.arn).toBe(assumed(s.roles.brief));
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      // Each resolution assumes hub and brief again (hub from a fresh token with OIDC).
      expect(afterFirst).toBe(kind === 'GitHub OIDC' ? 1 : 2);
      expect(proxy.count('AssumeRole')).toBe(2 * afterFirst);
      if (s.oidc) expect(s.oidc.requests.length - tokensBefore).toBe(2);
      const beforeCli = proxy.count('AssumeRole');
      dueForRenewal(dir, 'brief');
      expect(await awsCli(consumer, 'brief')).toBe(assumed(s.roles.brief));
      expect(proxy.count('AssumeRole')).toBeGreaterThan(beforeCli);
    }, 60_000);

    it('leaves no long-term secret in RUNNER_TEMP, and nothing at all after the post step', async () => {
      expect(assertNotInFiles(main.runnerTemp, s.longTerm)).toBeGreaterThanOrEqual(5);
      const post = await runPost(main, { entry: CLEANUP, node: NODE });
      expect(post.code).toBe(0);
      expect(filesUnder(main.runnerTemp)).toEqual([]);
      // Put back as before the step: the default files, no AWS_PROFILE.
      expect(post.env['AWS_PROFILE']).toBeUndefined();
      expect(post.env['AWS_CONFIG_FILE']).toBe(join(main.dir, 'home', '.aws', 'config'));
      expect(post.env['AWS_SDK_LOAD_CONFIG']).toBe('');
      const after = await refreshProgram(consumer, join(dir, 'refresh.json'), 'deployer');
      expect(after.code).toBe(1);
      expect(after.stdout).toBe('');
      expect(after.stderr.trim().split('\n')).toHaveLength(1);
      expect(after.stderr).toMatch(
        /does not exist: the aws-connection post step has removed the profile/,
      );
    }, 60_000);
  },
);

describe('refresh with a role chain', () => {
  it('exports one profile, aws-connection, for the last hop', async () => {
    const n = ++seq;
    const user = await moto.createUser(`chain-${n}`);
    const first = await moto.createRole(
      `first-${n}`,
      trustPolicy({
        principalArn: user.arn,
        externalId: `github:${OWNER_ID}:${REPO_ID}:chain:1:first-${n}`,
      }),
    );
    const last = await moto.createRole(
      `last-${n}`,
      trustPolicy({ externalId: `github:${OWNER_ID}:${REPO_ID}:chain:2:last-${n}` }),
    );
    const main = await runStep({
      entry: MAIN,
      node: NODE,
      inputs: {
        'aws-region': 'us-east-1',
        'aws-access-key-id': user.accessKeyId,
        'aws-secret-access-key': user.secretAccessKey,
        'role-chain': `${first}\n${last}`,
        refresh: 'true',
      },
      env: { AWS_ENDPOINT_URL_STS: proxy.url },
    });
    expect(main.code).toBe(0);
    expect(main.env['AWS_PROFILE']).toBeUndefined();
    const consumer = { ...laterStepEnv(main), AWS_ENDPOINT_URL: moto.endpoint };
    expect(await awsCli(consumer)).toBe(assumed(`last-${n}`));
    expect((await sdkFromIni(consumer)).arn).toBe(assumed(`last-${n}`));
    expect(assertNotInFiles(main.runnerTemp, [user.secretAccessKey])).toBeGreaterThan(0);
    await runPost(main, { entry: CLEANUP, node: NODE });
    expect(filesUnder(main.runnerTemp)).toEqual([]);
  }, 60_000);

  it('refuses a duration over the chaining cap before any call, as every refresh re-assumes from a session', async () => {
    const main = await runStep({
      entry: MAIN,
      node: NODE,
      inputs: {
        'aws-region': 'us-east-1',
        'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
        'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'role-to-assume': `arn:aws:iam::${ACCOUNT}:role/any`,
        'role-duration-seconds': '7200',
        refresh: 'true',
      },
      env: { AWS_ENDPOINT_URL_STS: proxy.url },
    });
    expect(main.code).not.toBe(0);
    expect(main.stdout).toMatch(
      /role-duration-seconds: 7200 is above 3600, .*\(refresh re-assumes it from session credentials\)/,
    );
    expect(proxy.requests).toEqual([]);
  }, 30_000);
});

/** The GetSessionToken credentials the proxy handed out since it was last cleared. */
function sessionSecrets(): string[] {
  return proxy.requests
    .filter((r) => r.action === 'GetSessionToken' && r.answer !== undefined)
    .flatMap((r) =>
      [...(r.answer ?? '').matchAll(/<(SecretAccessKey|SessionToken)>([^<]+)</g)].map(
        (m) => m[2] ?? '',
      ),
    );
}

function agentOf(main: StepResult): { pid: number; socket: string } {
  const state = JSON.parse(main.state['cleanup'] ?? '{}') as {
    agent?: { pid: number; socket: string };
  };
  if (!state.agent) throw new Error('main recorded no credential agent');
  return state.agent;
}

/** Whether `pid` runs: an exited agent that its new parent has not reaped yet does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** One raw request on the agent's socket (as any process of the job's user could make). */
function rawRequest(socket: string, line: string): Promise<string> {
  return new Promise((done, fail) => {
    const c = createConnection(socket);
    let text = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => (text += d));
    c.once('error', fail);
    c.once('close', () => done(text));
    c.write(`${line}\n`);
  });
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

/**
 * Key bases: the session (GetSessionToken, or the keys themselves) and the first answers are
 * held in memory by the credential agent main starts; credential_process asks it over its
 * socket. Time passing comes from the test proxy: main's three AssumeRole answers say they
 * expire in 10 minutes (inside the 15-minute renewal margin), so the agent's first answer of
 * each profile is due for renewal, and its renewals (answered plainly) are not.
 */
describe.each<BaseKind>(['static keys', 'environment keys (default chain)'])(
  'refresh with %s, through the credential agent',
  (kind) => {
    let s: Scenario;
    let main: StepResult;
    let consumer: Record<string, string>;
    let dir: string;
    let session: string[];
    let agent: { pid: number; socket: string };

    beforeAll(async () => {
      s = await scenario(kind);
      proxy.clear();
      proxy.inject({ action: 'AssumeRole', times: 3, fault: { kind: 'expires', inSeconds: 600 } });
      main = await runMain(s);
      if (main.code !== 0) throw new Error(`main failed: ${main.stdout}\n${main.stderr}`);
      session = sessionSecrets();
      proxy.clearFaults();
      consumer = { ...laterStepEnv(main), AWS_ENDPOINT_URL: moto.endpoint };
      dir = profileDir(main);
      agent = agentOf(main);
    }, 60_000);

    afterAll(() => {
      if (agent && alive(agent.pid)) process.kill(agent.pid, 'SIGTERM');
    });

    it('keeps the session out of every file: no file under RUNNER_TEMP holds its secret or token', () => {
      expect(session).toHaveLength(2);
      expect(readdirSync(dir).sort()).toEqual([
        'agent.sock',
        'config',
        'credentials',
        'refresh.json',
      ]);
      expect(agent.socket).toBe(join(dir, 'agent.sock'));
      expect(statSync(agent.socket).isSocket()).toBe(true);
      expect(statSync(agent.socket).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(alive(agent.pid)).toBe(true);
      const plan = JSON.parse(readFileSync(join(dir, 'refresh.json'), 'utf8')) as {
        base: Record<string, unknown>;
      };
      expect(plan.base).toMatchObject({ kind: 'agent', socket: 'agent.sock' });
      // Every regular file under RUNNER_TEMP, scanned for the session and the long-term secret.
      expect(assertNotInFiles(main.runnerTemp, [...session, ...s.longTerm])).toBeGreaterThanOrEqual(
        2,
      );
      // Nor in the agent's environment or command line, which any process of the user can read.
      const environ = readFileSync(`/proc/${agent.pid}/environ`, 'utf8');
      const cmdline = readFileSync(`/proc/${agent.pid}/cmdline`, 'utf8');
      for (const text of [environ, cmdline]) {
        for (const secret of [...session, ...s.longTerm]) expect(text.includes(secret)).toBe(false);
        expect(text).not.toContain('INPUT_');
      }
      expect(assertNoLeaks(main, [...session, ...s.longTerm])).toBeGreaterThan(0);
      expect(main.stdout).toContain('held in memory by a credential agent');
    });

    it('serves the AWS CLI as a later step with renewed credentials through the profile', async () => {
      proxy.clear();
      expect(await awsCli(consumer)).toBe(assumed(s.roles.deployer));
      // main's answer was due: the agent renewed it (hub, then deployer), once.
      expect(proxy.count('AssumeRole')).toBe(2);
      expect(proxy.count('GetSessionToken')).toBe(0);
      const sdk = await sdkFromIni(consumer);
      expect(sdk.arn).toBe(assumed(s.roles.deployer));
      // The renewal is held in memory and served again without a call.
      expect(proxy.count('AssumeRole')).toBe(2);
      const renewed = proxy.requests
        .filter((r) => r.action === 'AssumeRole')
        .map((r) => /<AccessKeyId>([^<]+)</.exec(r.answer ?? '')?.[1]);
      expect(renewed).toContain(sdk.accessKeyId);
    }, 60_000);

    it('answers ten concurrent credential_process calls with one renewal', async () => {
      proxy.clear();
      const burst = await Promise.all(
        Array.from({ length: 10 }, () =>
          refreshProgram(consumer, join(dir, 'refresh.json'), 'brief'),
        ),
      );
      for (const r of burst)
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const keys = new Set(
        burst.map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId),
      );
      expect(keys.size).toBe(1);
      expect(proxy.requests.map((r) => r.action)).toEqual(['AssumeRole', 'AssumeRole']);
      expect(await awsCli(consumer, 'brief')).toBe(assumed(s.roles.brief));
      expect(proxy.count()).toBe(3);
    }, 60_000);

    it('refuses a profile the step did not export, and any request that names more', async () => {
      const r = await refreshProgram(consumer, join(dir, 'refresh.json'), 'intruder');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(
        'aws-connection refresh (profile intruder): the credential agent refused: profile "intruder" is not one this step exported (hub, deployer, brief)',
      );
      const ownRole = await rawRequest(
        agent.socket,
        JSON.stringify({
          op: 'credentials',
          profile: 'hub',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/x`,
          externalId: 'mine',
        }),
      );
      expect(JSON.parse(ownRole)).toEqual({
        ok: false,
        error: 'the agent answers {"op":"credentials","profile":NAME} and {"op":"stop"} only',
      });
      for (const line of ['{"op":"session"}', '{"op":"credentials","profile":"__proto__"}', 'x'])
        expect(JSON.parse(await rawRequest(agent.socket, line))).toMatchObject({ ok: false });
      expect(alive(agent.pid)).toBe(true);
    }, 60_000);

    it('is stopped by the post step: the process is gone, the socket removed', async () => {
      const post = await runPost(main, { entry: CLEANUP, node: NODE });
      expect(post.code).toBe(0);
      expect(post.stdout).not.toContain('::warning::');
      expect(await waitGone(agent.pid)).toBe(true);
      expect(existsSync(agent.socket)).toBe(false);
      expect(filesUnder(main.runnerTemp)).toEqual([]);
      const after = await refreshProgram(consumer, join(dir, 'refresh.json'), 'deployer');
      expect(after.code).toBe(1);
      expect(after.stderr).toMatch(
        /does not exist: the aws-connection post step has removed the profile/,
      );
    }, 60_000);
  },
);

describe('refresh through a credential agent that is gone', () => {
  let workDir: string;
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('fails with one line naming the profile and that the agent is gone (a RUNNER_TEMP past the socket path limit)', async () => {
    // The socket's full path is over the 104 (macOS) and 108 (Linux) byte limits: it is
    // reached by its name from inside its directory.
    workDir = mkdtempSync(join(tmpdir(), `aws-connection-${'long-runner-temp-'.repeat(5)}`));
    const s = await scenario('static keys');
    const main = await runStep({ entry: MAIN, node: NODE, inputs: s.inputs, env: s.env, workDir });
    expect(main.code).toBe(0);
    const agent = agentOf(main);
    expect(Buffer.byteLength(agent.socket)).toBeGreaterThan(108);
    const consumer = { ...laterStepEnv(main), AWS_ENDPOINT_URL: moto.endpoint };
    expect(await awsCli(consumer, 'hub')).toBe(assumed(s.roles.hub));

    process.kill(agent.pid, 'SIGKILL');
    expect(await waitGone(agent.pid)).toBe(true);
    const config = join(profileDir(main), 'refresh.json');
    const r = await refreshProgram(consumer, config, 'deployer');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^aws-connection refresh \(profile deployer\): the aws-connection credential agent that renews this profile is gone \(.*agent\.sock: ECONNREFUSED\): the post step stopped it, or it was killed\. Run the aws-connection step again/,
    );
    await expect(awsCli(consumer, 'deployer')).rejects.toThrow(
      /credential agent that renews this profile is gone/,
    );
    // Past the end of refresh-window, the same line says so (refresh.json records the end).
    const plan = JSON.parse(readFileSync(config, 'utf8')) as { base: { until: string } };
    plan.base.until = new Date(Date.now() - 1000).toISOString();
    writeFileSync(config, JSON.stringify(plan));
    const late = await refreshProgram(consumer, config, 'deployer');
    expect(late.stderr).toMatch(/is gone .*: it stopped at the end of refresh-window \(/);

    const post = await runPost(main, { entry: CLEANUP, node: NODE });
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('::warning::');
    expect(filesUnder(main.runnerTemp)).toEqual([]);
  }, 60_000);
});

describe('credential agent timing', () => {
  it('measures a credential_process call answered by the agent against node -e 0', async () => {
    const s = await scenario('static keys');
    const main = await runMain(s);
    expect(main.code).toBe(0);
    const consumer = laterStepEnv(main);
    const config = join(profileDir(main), 'refresh.json');
    const median = (xs: number[]): number =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const times = async (n: number, run: () => Promise<Ran>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = await run();
        expect(r.code).toBe(0);
        out.push(r.ms);
      }
      return out;
    };
    const bare = await times(15, () => exec(NODE, ['-e', '0'], consumer));
    const answered = await times(15, () => refreshProgram(consumer, config, 'deployer'));
    const report = {
      node: spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim(),
      'node -e 0 (ms, median)': Math.round(median(bare)),
      'answered by the agent (ms, median)': Math.round(median(answered)),
    };
    console.log(`credential_process per call:\n${JSON.stringify(report, null, 2)}`);
    await runPost(main, { entry: CLEANUP, node: NODE });
    expect(await waitGone(agentOf(main).pid)).toBe(true);
  }, 120_000);
});
