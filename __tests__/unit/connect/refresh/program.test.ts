/** src/connect/refresh/program.ts: the refresh program with a fake STS and files in a temp dir. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_ENV_UNSET, hop, spec } from '../../../../__fixtures__/plans.js';
import { awsError, fakeSts, type FakeSts } from '../../../../__fixtures__/sts.js';
import type { Credentials } from '../../../../src/aws/credentials.js';
import type { RefreshConfig } from '../../../../src/connect/refresh/config.js';
import { refresh, type RefreshDeps } from '../../../../src/connect/refresh/program.js';
import { STACK_VARIABLE } from '../../../../src/connect/refresh/resolve-profile.js';
import type { Fetch } from '../../../../src/connect/refresh/oidc.js';
import { DEFAULT_LOCK_TIMING } from '../../../../src/connect/refresh/store.js';
import {
  serveAgent,
  type Renew,
  type RunningAgent,
} from '../../../../src/connect/refresh/agent.js';
import type { ProcessCredentials } from '../../../../src/connect/refresh/output.js';

const NOW = Date.UTC(2029, 5, 1);
const SESSION = {
  accessKeyId: 'ASIASESSION',
  secretAccessKey: 'session-secret',
  sessionToken: 'session-token',
  expiration: new Date(NOW + 6 * 3600_000).toISOString(),
};

let dir: string;
let config: string;
let sts: FakeSts;
let out: string;
let err: string;

const hub = spec('hub', { durationSeconds: 3600 });
const deployer = spec('deployer', { source: 'hub', durationSeconds: 900 });
const notify = spec('notify', { source: 'hub', region: 'us-east-1' });

function writeConfig(over: Partial<RefreshConfig> = {}): void {
  const c: RefreshConfig = {
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
  writeFileSync(config, JSON.stringify(c));
}

function deps(over: Partial<RefreshDeps> = {}): RefreshDeps {
  return {
    argv: ['--config', config, '--profile', 'notify'],
    env: {},
    now: () => NOW,
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    createSts: async () => sts,
    fetch: async () => {
      throw new Error('no fetch expected');
    },
    defaultChain: () => Promise.reject(new Error('no default chain expected')),
    retry: {
      maxAttempts: 2,
      baseDelayMs: 0,
      maxDelayMs: 0,
      totalMs: 1000,
      sleep: async () => undefined,
      random: () => 0,
      now: () => 0,
    },
    lock: DEFAULT_LOCK_TIMING,
    ...over,
  };
}

const printed = (): Record<string, unknown> => JSON.parse(out) as Record<string, unknown>;
const cache = (profile: string): string => join(dir, `cache-${profile}.json`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'refresh-program-'));
  config = join(dir, 'refresh.json');
  writeFileSync(join(dir, 'session.json'), JSON.stringify(SESSION));
  sts = fakeSts();
  out = '';
  err = '';
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the cache', () => {
  test('a fresh answer is printed as it is, without refresh.json or STS', async () => {
    const line = `{"Version":1,"AccessKeyId":"ASIACACHED","SecretAccessKey":"s","SessionToken":"t","Expiration":"${new Date(NOW + 3600_000).toISOString()}"}\n`;
    writeFileSync(cache('notify'), line);
    expect(
      await refresh(deps({ createSts: () => Promise.reject(new Error('STS must not be built')) })),
    ).toBe(0);
    expect(out).toBe(line);
    expect(err).toBe('');
  });

  test('an answer within 15 minutes of expiry is renewed, and the new one cached', async () => {
    writeConfig();
    writeFileSync(
      cache('notify'),
      `{"Version":1,"AccessKeyId":"ASIAOLD","SecretAccessKey":"s","Expiration":"${new Date(NOW + 600_000).toISOString()}"}`,
    );
    expect(await refresh(deps())).toBe(0);
    expect(printed()['AccessKeyId']).not.toBe('ASIAOLD');
    expect(readFileSync(cache('notify'), 'utf8')).toBe(out);
    const calls = sts.calls.length;
    out = '';
    expect(await refresh(deps())).toBe(0);
    expect(sts.calls).toHaveLength(calls);
  });
});

describe('a resolution', () => {
  test('assumes the profile and its sources only, the first hop signed with session.json', async () => {
    writeConfig();
    expect(await refresh(deps())).toBe(0);
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
    const second = sts.calls[1];
    expect(second?.op === 'assumeRole' && second.request).toEqual({
      roleArn: notify.role.arn,
      sessionName: 'GitHubActions',
      durationSeconds: 3600,
      externalId: notify.externalId,
    });
    expect(Object.keys(printed())).toEqual([
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    ]);
    expect(printed()['AccessKeyId']).toMatch(/^ASIANOTIFY/);
    expect(existsSync(`${cache('notify')}.lock`)).toBe(false);
  });

  test('a role chain: labels say "role n of m"', async () => {
    const chain = [hop(1), hop(2)];
    writeConfig({ named: false, connections: chain, profiles: { 'aws-connection': 'chain-2' } });
    sts.fail(chain[1]?.role.arn ?? '', awsError('AccessDenied', 'not authorized'));
    expect(await refresh(deps({ argv: ['--config', config, '--profile', 'aws-connection'] }))).toBe(
      1,
    );
    expect(err).toMatch(
      /^aws-connection refresh \(profile aws-connection\): role 2 of 2 \(arn:aws:iam::123456789012:role\/hop2\) failed: AccessDenied: not authorized — the trust policy/,
    );
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(out).toBe('');
  });

  test('OIDC: a fresh token for the audience, then AssumeRoleWithWebIdentity', async () => {
    writeConfig({
      base: { kind: 'oidc', audience: 'sts.amazonaws.com' },
      connections: [{ ...hub, externalId: undefined } as never, deployer, notify],
    });
    const asked: string[] = [];
    const fetchFn = (async (url: URL) => {
      asked.push(url.searchParams.get('audience') ?? '');
      return new Response('{"value":"eyJ.fresh.jwt"}', { status: 200 });
    }) as Fetch;
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t.example/?v=1',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'b',
    };
    expect(await refresh(deps({ fetch: fetchFn, env }))).toBe(0);
    expect(asked).toEqual(['sts.amazonaws.com']);
    expect(sts.calls[0]).toMatchObject({ op: 'assumeRoleWithWebIdentity', token: 'eyJ.fresh.jwt' });
  });

  test('OIDC without the token variables: says what the job needs', async () => {
    writeConfig({ base: { kind: 'oidc', audience: 'sts.amazonaws.com' } });
    expect(await refresh(deps())).toBe(1);
    expect(err).toMatch(
      /requesting a GitHub OIDC token failed .*ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set/,
    );
    expect(sts.calls).toEqual([]);
  });

  test('a token file is read again each time', async () => {
    const token = join(dir, 'token');
    writeConfig({ base: { kind: 'web-identity-file', path: token } });
    writeFileSync(token, 'eyJ.one\n');
    expect(await refresh(deps({ argv: ['--config', config, '--profile', 'hub'] }))).toBe(0);
    rmSync(cache('hub'));
    writeFileSync(token, 'eyJ.two\n');
    expect(await refresh(deps({ argv: ['--config', config, '--profile', 'hub'] }))).toBe(0);
    expect(sts.calls.map((c) => ('token' in c ? c.token : ''))).toEqual(['eyJ.one', 'eyJ.two']);
  });

  test('the default chain sees the variables main saw, not our profile, and never loops back', async () => {
    writeConfig({
      base: {
        kind: 'default-chain',
        env: { ...CHAIN_ENV_UNSET, AWS_CONFIG_FILE: '/home/me/.aws/config' },
      },
    });
    const env: NodeJS.ProcessEnv = { AWS_PROFILE: 'notify', AWS_CONFIG_FILE: join(dir, 'config') };
    let seen: NodeJS.ProcessEnv = {};
    const chain = async (): Promise<Credentials> => {
      seen = { ...env };
      return { accessKeyId: 'ASIAINSTANCE', secretAccessKey: 'x', sessionToken: 'y' };
    };
    expect(await refresh(deps({ env, defaultChain: chain }))).toBe(0);
    expect(seen['AWS_PROFILE']).toBeUndefined();
    expect(seen['AWS_CONFIG_FILE']).toBe('/home/me/.aws/config');
    expect(seen[STACK_VARIABLE]).toBe(config);
    expect(sts.calls[0]).toMatchObject({
      op: 'assumeRole',
      signer: { accessKeyId: 'ASIAINSTANCE' },
    });

    out = '';
    err = '';
    rmSync(cache('notify'));
    expect(await refresh(deps({ env: { [STACK_VARIABLE]: config }, defaultChain: chain }))).toBe(1);
    expect(err).toMatch(/the default provider chain led back to this profile/);
  });
});

describe('failures say why, on one line', () => {
  test('the session of refresh-window is over', async () => {
    writeConfig();
    writeFileSync(
      join(dir, 'session.json'),
      JSON.stringify({ ...SESSION, expiration: new Date(NOW - 1).toISOString() }),
    );
    expect(await refresh(deps())).toBe(1);
    expect(err).toBe(
      `aws-connection refresh (profile notify): the session credentials this profile renews from expired at ${new Date(NOW - 1).toISOString()}: they last the step's refresh-window (6 h). Run the aws-connection step again, or give it a longer refresh-window\n`,
    );
    expect(sts.calls).toEqual([]);
  });

  test('STS says ExpiredToken', async () => {
    writeConfig();
    sts.fail(
      hub.role.arn,
      awsError('ExpiredToken', 'The security token included in the request is expired', 400),
    );
    expect(await refresh(deps())).toBe(1);
    expect(err).toMatch(
      /: the session credentials this profile renews from expired: .*\(connection "hub" .* failed: ExpiredToken:/,
    );
  });

  test('temporary keys given to the step have expired', async () => {
    writeConfig({ base: { kind: 'session', origin: 'given', windowSeconds: 21600 } });
    sts.fail(hub.role.arn, awsError('ExpiredToken', 'expired', 400));
    expect(await refresh(deps())).toBe(1);
    expect(err).toMatch(
      /the temporary keys given to the aws-connection step expired, and the profile renews from them/,
    );
  });

  test.each<[string, () => void, string[], RegExp]>([
    [
      'the post step has run',
      () => rmSync(config, { force: true }),
      [],
      /refresh\.json does not exist: the aws-connection post step has removed the profile/,
    ],
    [
      'an unknown profile',
      () => writeConfig(),
      ['--profile', 'nope'],
      /has no profile nope \(it has hub, deployer, notify\)/,
    ],
    [
      'a foreign refresh.json',
      () => writeFileSync(config, '{"version":9}'),
      [],
      /refresh\.json is not one this version of aws-connection wrote \(version 9\)/,
    ],
    [
      'session.json is gone',
      () => (writeConfig(), rmSync(join(dir, 'session.json'))),
      [],
      /session\.json does not exist/,
    ],
  ])('%s', async (_, arrange, argv, message) => {
    arrange();
    const args =
      argv.length > 0 ? ['--config', config, ...argv] : ['--config', config, '--profile', 'notify'];
    expect(await refresh(deps({ argv: args }))).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.endsWith('\n') && err.indexOf('\n') === err.length - 1).toBe(true);
  });

  test('a bad command line', async () => {
    expect(await refresh(deps({ argv: ['--profile', 'x'] }))).toBe(1);
    expect(err).toBe(
      'aws-connection refresh: usage: refresh --config <absolute path of refresh.json> --profile <name>\n',
    );
  });
});

describe('through the credential agent (a key base)', () => {
  let agent: RunningAgent | undefined;
  afterEach(() => {
    agent?.close();
    agent = undefined;
  });

  const agentBase = (until = new Date(NOW + 3600_000).toISOString()): RefreshConfig['base'] => ({
    kind: 'agent',
    origin: 'get-session-token',
    windowSeconds: 21600,
    socket: 'agent.sock',
    until,
  });
  const answerOf = (id: string): ProcessCredentials => ({
    Version: 1,
    AccessKeyId: id,
    SecretAccessKey: 'agent-secret',
    SessionToken: 'agent-token',
    Expiration: new Date(NOW + 3600_000).toISOString(),
  });

  async function startAgent(renew: Renew): Promise<void> {
    agent = await serveAgent(
      {
        version: 1,
        config: {
          version: 1,
          region: 'eu-west-1',
          retryMaxAttempts: 1,
          named: true,
          base: { kind: 'session', origin: 'get-session-token', windowSeconds: 21600 },
          connections: [hub, deployer, notify],
          profiles: { hub: 'hub', deployer: 'deployer', notify: 'notify' },
        },
        session: SESSION,
        seed: {},
        until: NOW + 3600_000,
        env: {},
      },
      join(dir, 'agent.sock'),
      { now: () => NOW, requestTimeoutMs: 1000, renew, onClose: () => undefined },
    );
  }

  const noSts = { createSts: () => Promise.reject(new Error('the client must not build STS')) };

  test("prints the agent's answer for the profile; no STS, no cache, no session file read", async () => {
    rmSync(join(dir, 'session.json'));
    writeConfig({ base: agentBase() });
    const asked: string[] = [];
    await startAgent((profile) => {
      asked.push(profile);
      return Promise.resolve(answerOf('ASIAFROMAGENT'));
    });
    expect(await refresh(deps(noSts))).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out)).toEqual(answerOf('ASIAFROMAGENT'));
    expect(asked).toEqual(['notify']);
    expect(existsSync(cache('notify'))).toBe(false);
  });

  test('a refusal is one line naming the profile', async () => {
    writeConfig({ base: agentBase(), profiles: { hub: 'hub', intruder: 'hub' } });
    await startAgent(() => Promise.reject(new Error('unused')));
    expect(
      await refresh(deps({ ...noSts, argv: ['--config', config, '--profile', 'intruder'] })),
    ).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'aws-connection refresh (profile intruder): the credential agent refused: profile "intruder" is not one this step exported (hub, deployer, notify)\n',
    );
  });

  test('an agent that is gone: one line naming the profile, that the agent is gone, and why it may be', async () => {
    writeConfig({ base: agentBase() });
    expect(await refresh(deps(noSts))).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      `aws-connection refresh (profile notify): the aws-connection credential agent that renews this profile is gone (${join(dir, 'agent.sock')}: ENOENT): the post step stopped it, or it was killed. Run the aws-connection step again for fresh profiles.\n`,
    );
  });

  test('past the end of refresh-window, the line says the agent ended with it', async () => {
    const until = new Date(NOW - 1000).toISOString();
    writeConfig({ base: agentBase(until) });
    expect(await refresh(deps(noSts))).toBe(1);
    expect(err).toContain(`it stopped at the end of refresh-window (${until})`);
  });
});
