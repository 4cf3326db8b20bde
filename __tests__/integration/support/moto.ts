/**
 * A moto_server (local STS/IAM emulator) per test file, with signature checking ON.
 *
 * `startMoto()` starts it on a free loopback port and runs `setup()`: while auth is off it
 * creates an `admin` IAM user (inline policy `*` on `*`) with an access key, then switches
 * auth on (`POST /moto-api/reset-auth` with `0`), so every later request must be signed with a
 * known key and the right secret. `reset()` wipes moto and runs `setup()` again (a new admin key).
 *
 * moto 5.2.1 facts verified by `support.test.ts` and by hand:
 * - wrong secret -> SignatureDoesNotMatch; unknown key -> InvalidClientTokenId; a user key sent
 *   WITH a session token -> InvalidClientTokenId.
 * - Same-account AssumeRole evaluates the trust policy: Principal `{AWS: arn | [arns] | '*'}`
 *   and `StringEquals` on `sts:ExternalId` (wrong one refused; a MISSING one is let through).
 *   moto matches a user principal as `arn:aws:iam::ACCOUNT:user/NAME`, dropping the user's
 *   path, so `trustPolicy()` lists both forms. An account-root principal never matches, and a
 *   role matches only by its exact session ARN, which `trustPolicy()` adds too.
 *   A role session is matched as exactly `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: a
 *   role ARN principal does NOT cover its sessions (AWS: it does), so list the session ARN too.
 *   Deny statements in a trust policy count as Allow; StringLike conditions are ignored.
 * - AssumeRoleWithWebIdentity with auth on crashes moto (HTML 500: it needs an Authorization
 *   header); with auth off it accepts any token for any role. See proxy.ts for the emulation.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import {
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { readMotoState, type MotoState } from './moto-state.js';

/** The account moto uses for everything. */
export const MOTO_ACCOUNT_ID = '123456789012';
/** The region the helpers sign for. */
export const MOTO_REGION = 'us-east-1';
/** GitHub's OIDC issuer host, as IAM names the provider. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Credentials as the AWS SDK takes them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/** A user made by `createUser`, with its one access key. */
export interface MotoUser {
  arn: string;
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Where an SDK client sends its requests (default: moto itself) and how often it tries. */
export interface ClientOptions {
  endpoint?: string;
  maxAttempts?: number;
}

/** A running moto_server with auth on and an admin user. */
export interface Moto {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** The current admin key (changes on every `reset()`). */
  readonly admin: AwsCredentials;
  /** A new IAMClient signed with the current admin key. */
  iam(): IAMClient;
  /** A new STSClient with `creds` against moto (or `opts.endpoint`, e.g. a proxy), maxAttempts 1 by default. */
  sts(creds: AwsCredentials, opts?: ClientOptions): STSClient;
  /** The GetCallerIdentity Arn of `creds`. */
  whoAmI(creds: AwsCredentials, opts?: ClientOptions): Promise<string>;
  /** Creates a user with an inline policy (default: sts:* and iam:* on *; `null`: none) and an access key. */
  createUser(
    name: string,
    opts?: { path?: string; policy?: PolicyDocument | null },
  ): Promise<MotoUser>;
  /** Creates a role; its inline policy defaults to sts:* on * (so it can chain); returns its ARN. */
  createRole(
    name: string,
    trust: PolicyDocument | string,
    opts?: { maxSessionDuration?: number; path?: string; policy?: PolicyDocument | null },
  ): Promise<string>;
  /** Registers GitHub's OIDC issuer as an IAM OIDC provider (client IDs default to sts.amazonaws.com). */
  createGitHubOidcProvider(clientIds?: string[]): Promise<string>;
  /** moto's IAM state (keys with secrets, roles, OIDC providers). */
  state(): Promise<MotoState>;
  /** Creates the admin user while auth is off, then turns auth on. Called by start and reset. */
  setup(): Promise<AwsCredentials>;
  /** Wipes every resource and runs `setup()` again. */
  reset(): Promise<void>;
  /** Kills moto_server. */
  stop(): Promise<void>;
}

/** A policy document allowing `actions` on `*`. */
export function allowPolicy(actions: string | string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}

/** Options of `trustPolicy`. */
export interface TrustOptions {
  /** Who may assume (IAM user or role ARN, or several); default `*` (anyone moto authenticates). */
  principalArn?: string | string[];
  /** Requires `StringEquals sts:ExternalId`. */
  externalId?: string;
  /** Trust GitHub's OIDC provider (`sts:AssumeRoleWithWebIdentity`) instead of an AWS principal. */
  webIdentity?: boolean;
  /** With webIdentity: required `sub` (StringLike, `*` allowed); default `repo:octo/app:*`. */
  subject?: string;
  /** With webIdentity: required `aud`; default `sts.amazonaws.com`. */
  audience?: string;
  /** The session name a role principal's sessions use (see `principalForms`); default `GitHubActions`. */
  sessionName?: string;
}

/**
 * The forms of a principal ARN that moto compares trust principals with: a user also without
 * its path; a role also as its session `assumed-role/<name>/<session>` (AWS matches every
 * session of a role by the role ARN; moto only by the exact session ARN).
 */
function principalForms(arn: string, sessionName = 'GitHubActions'): string[] {
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (role)
    return [
      arn,
      `arn:${role[1] ?? ''}:sts::${role[2] ?? ''}:assumed-role/${role[3] ?? ''}/${sessionName}`,
    ];
  return [arn, pathlessUserArn(arn)];
}

/** The user ARN without its path: the form moto compares trust principals with. */
function pathlessUserArn(arn: string): string {
  const m = /^(arn:[^:]+:iam::\d{12}:user\/)(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `${m[1] ?? ''}${m[2] ?? ''}` : arn;
}

/** Builds a role trust policy document (see TrustOptions). */
export function trustPolicy(opts: TrustOptions = {}): PolicyDocument {
  if (opts.webIdentity === true) {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: `arn:aws:iam::${MOTO_ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC_HOST}`,
          },
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Condition: {
            StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: opts.audience ?? 'sts.amazonaws.com' },
            StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: opts.subject ?? 'repo:octo/app:*' },
          },
        },
      ],
    };
  }
  const given = opts.principalArn === undefined ? [] : [opts.principalArn].flat();
  const arns = [...new Set(given.flatMap((a) => principalForms(a, opts.sessionName)))];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: arns.length === 0 ? '*' : arns.length === 1 ? arns[0] : arns },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        ...(opts.externalId === undefined
          ? {}
          : { Condition: { StringEquals: { 'sts:ExternalId': opts.externalId } } }),
      },
    ],
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function motoApi(endpoint: string, path: string, body?: string): Promise<void> {
  const init: RequestInit =
    body === undefined
      ? { method: 'POST' }
      : { method: 'POST', body, headers: { 'content-type': 'text/plain' } };
  const res = await fetch(`${endpoint}/moto-api/${path}`, init);
  if (!res.ok)
    throw new Error(
      `moto ${path} answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`,
    );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * moto_server runs under a small sh watchdog: it holds our end of a stdin pipe and kills moto
 * when that pipe closes, i.e. on `stop()` or when this process dies, even by SIGKILL, so a
 * crashed or forgetful test run leaves no moto behind. The watchdog prints moto's pid first.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$0" "$@" </dev/null &',
  'm=$!',
  'echo "$m"',
  '(read _ <&3; kill "$m" 2>/dev/null) &',
  'w=$!',
  'wait "$m"; rc=$?',
  'kill "$w" 2>/dev/null',
  'exit "$rc"',
].join('\n');

/** A running moto_server process. */
interface MotoProcess {
  stop(): Promise<void>;
}

/** Spawns moto_server on `port` and resolves once it answers; rejects if it exits or is missing. */
async function spawnMoto(command: string, port: number, timeoutMs: number): Promise<MotoProcess> {
  const args = ['-H', '127.0.0.1', '-p', String(port)];
  // Windows has no sh for the watchdog: there moto runs directly and stop() kills it, so a
  // test run that is itself killed may leave it behind.
  const direct = process.platform === 'win32';
  const child = direct
    ? spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sh', ['-c', WATCHDOG, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let motoPid = direct ? (child.pid ?? 0) : 0;
  child.stdout.on('data', (d: Buffer) => {
    if (!direct) motoPid ||= Number.parseInt(d.toString(), 10);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  // Neither the watchdog nor its pipes keep this process alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failure: Error | undefined;
  child.once('error', (e) => {
    failure = e;
  });
  child.once('exit', (code, signal) => {
    failure ??=
      code === 127
        ? new Error(
            `${command} not found on PATH: install it with \`pip install "moto[server]==5.2.1"\``,
          )
        : new Error(`${command} exited early (code ${code}, signal ${signal}): ${stderr.trim()}`);
  });
  const proc: MotoProcess = {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (direct) child.kill();
      child.stdin.end();
      const timer = setTimeout(() => {
        if (motoPid > 0) process.kill(motoPid, 'SIGKILL');
        child.kill('SIGKILL');
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/moto-api/`);
      if (res.ok) {
        await res.arrayBuffer();
        return proc;
      }
    } catch {
      // not listening yet
    }
    await sleep(40);
  }
  await proc.stop();
  throw new Error(
    `${command} did not answer on port ${port} within ${timeoutMs} ms: ${stderr.trim()}`,
  );
}

/**
 * Starts moto_server (or `opts.command`) on a free loopback port, with auth on and an admin
 * user (see file doc). Rejects with "... not found on PATH" when the command is missing.
 */
export async function startMoto(
  opts: { timeoutMs?: number; command?: string } = {},
): Promise<Moto> {
  let proc: MotoProcess | undefined;
  let port = 0;
  for (let attempt = 1; proc === undefined; attempt++) {
    port = await freePort();
    try {
      proc = await spawnMoto(opts.command ?? 'moto_server', port, opts.timeoutMs ?? 20_000);
    } catch (e) {
      // another process may have taken the port between our probe and moto's bind: retry
      if (attempt >= 3 || !(e instanceof Error) || !/exited early/.test(e.message)) throw e;
    }
  }
  const motoProcess = proc;

  const endpoint = `http://127.0.0.1:${port}`;
  let admin: AwsCredentials | undefined;
  const currentAdmin = (): AwsCredentials => {
    if (!admin) throw new Error('moto admin is not set up');
    return admin;
  };
  const iam = (): IAMClient =>
    new IAMClient({ endpoint, region: MOTO_REGION, credentials: currentAdmin(), maxAttempts: 1 });
  const sts = (creds: AwsCredentials, o: ClientOptions = {}): STSClient =>
    new STSClient({
      endpoint: o.endpoint ?? endpoint,
      region: MOTO_REGION,
      credentials: creds,
      maxAttempts: o.maxAttempts ?? 1,
    });

  const moto: Moto = {
    endpoint,
    get admin() {
      return currentAdmin();
    },
    iam,
    sts,
    async whoAmI(creds, o) {
      const out = await sts(creds, o).send(new GetCallerIdentityCommand({}));
      if (out.Arn === undefined) throw new Error('GetCallerIdentity returned no Arn');
      return out.Arn;
    },
    async createUser(name, o = {}) {
      const client = iam();
      const user = await client.send(
        new CreateUserCommand({
          UserName: name,
          ...(o.path === undefined ? {} : { Path: o.path }),
        }),
      );
      const policy = o.policy === undefined ? allowPolicy(['sts:*', 'iam:*']) : o.policy;
      if (policy !== null) {
        await client.send(
          new PutUserPolicyCommand({
            UserName: name,
            PolicyName: 'test-policy',
            PolicyDocument: JSON.stringify(policy),
          }),
        );
      }
      const key = (await client.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
      if (!user.User?.Arn || !key?.AccessKeyId || !key.SecretAccessKey)
        throw new Error(`moto did not create user ${name}`);
      return {
        arn: user.User.Arn,
        userName: name,
        accessKeyId: key.AccessKeyId,
        secretAccessKey: key.SecretAccessKey,
      };
    },
    async createRole(name, trust, o = {}) {
      const client = iam();
      const role = await client.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: typeof trust === 'string' ? trust : JSON.stringify(trust),
          ...(o.maxSessionDuration === undefined
            ? {}
            : { MaxSessionDuration: o.maxSessionDuration }),
          ...(o.path === undefined ? {} : { Path: o.path }),
        }),
      );
      const policy = o.policy === undefined ? allowPolicy('sts:*') : o.policy;
      if (policy !== null) {
        await client.send(
          new PutRolePolicyCommand({
            RoleName: name,
            PolicyName: 'test-policy',
            PolicyDocument: JSON.stringify(policy),
          }),
        );
      }
      if (!role.Role?.Arn) throw new Error(`moto did not create role ${name}`);
      return role.Role.Arn;
    },
    async createGitHubOidcProvider(clientIds = ['sts.amazonaws.com']) {
      const out = await iam().send(
        new CreateOpenIDConnectProviderCommand({
          Url: `https://${GITHUB_OIDC_HOST}`,
          ClientIDList: clientIds,
          ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        }),
      );
      if (!out.OpenIDConnectProviderArn) throw new Error('moto did not create the OIDC provider');
      return out.OpenIDConnectProviderArn;
    },
    state: () => readMotoState(endpoint),
    async setup() {
      await motoApi(endpoint, 'reset-auth', 'inf');
      // Auth is off: any well-formed signature passes, so these placeholder credentials work.
      const bootstrap = new IAMClient({
        endpoint,
        region: MOTO_REGION,
        credentials: { accessKeyId: 'AKIABOOTSTRAPBOOTSTR', secretAccessKey: 'bootstrap' },
        maxAttempts: 1,
      });
      await bootstrap.send(new CreateUserCommand({ UserName: 'admin' }));
      await bootstrap.send(
        new PutUserPolicyCommand({
          UserName: 'admin',
          PolicyName: 'admin',
          PolicyDocument: JSON.stringify(allowPolicy('*')),
        }),
      );
      const key = (await bootstrap.send(new CreateAccessKeyCommand({ UserName: 'admin' })))
        .AccessKey;
      if (!key?.AccessKeyId || !key.SecretAccessKey)
        throw new Error('moto did not create the admin key');
      admin = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
      await motoApi(endpoint, 'reset-auth', '0');
      return admin;
    },
    async reset() {
      await motoApi(endpoint, 'reset-auth', 'inf');
      await motoApi(endpoint, 'reset');
      await moto.setup();
    },
    stop: () => motoProcess.stop(),
  };
  try {
    await moto.setup();
  } catch (e) {
    await moto.stop();
    throw e;
  }
  return moto;
}
