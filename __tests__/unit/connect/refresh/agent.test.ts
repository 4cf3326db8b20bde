/** src/connect/refresh/agent.ts: the credential agent's book of answers and its socket. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deferred, fakeSts, flush } from '../../../../__fixtures__/sts.js';
import { spec } from '../../../../__fixtures__/plans.js';
import { ask } from '../../../../src/connect/refresh/agent-protocol.js';
import {
  AGENT_MATERIAL_VERSION,
  CredentialBook,
  parseAgentMaterial,
  runAgent,
  serveAgent,
  type AgentMaterial,
  type RunningAgent,
} from '../../../../src/connect/refresh/agent.js';
import type { ProcessCredentials } from '../../../../src/connect/refresh/output.js';

const NOW = Date.UTC(2029, 5, 1);
const answer = (id: string, minutes: number): ProcessCredentials => ({
  Version: 1,
  AccessKeyId: id,
  SecretAccessKey: `secret-${id}`,
  SessionToken: `token-${id}`,
  Expiration: new Date(NOW + minutes * 60_000).toISOString(),
});

const hub = spec('hub', { durationSeconds: 3600 });
const deployer = spec('deployer', { source: 'hub', durationSeconds: 3600 });

function material(over: Partial<AgentMaterial> = {}): AgentMaterial {
  return {
    version: AGENT_MATERIAL_VERSION,
    config: {
      version: 1,
      region: 'eu-west-1',
      stsEndpoint: 'http://127.0.0.1:1/',
      retryMaxAttempts: 1,
      named: true,
      base: { kind: 'session', origin: 'get-session-token', windowSeconds: 21600 },
      connections: [hub, deployer],
      profiles: { hub: 'hub', deployer: 'deployer' },
    },
    session: {
      accessKeyId: 'ASIASESSION',
      secretAccessKey: 'session-secret',
      sessionToken: 'session-token',
      expiration: new Date(NOW + 6 * 3600_000).toISOString(),
    },
    seed: { hub: answer('ASIASEEDHUB', 60), deployer: answer('ASIASEEDDEPLOYER', 10) },
    until: NOW + 6 * 3600_000,
    env: {},
    ...over,
  };
}

describe('parseAgentMaterial', () => {
  test('what main writes, back as it was', () => {
    const m = material();
    expect(parseAgentMaterial(JSON.stringify(m))).toEqual(m);
  });

  test('a seed for a profile the step did not export is dropped', () => {
    const m = material({ seed: { other: answer('ASIAOTHER', 60) } });
    expect(parseAgentMaterial(JSON.stringify(m)).seed).toEqual({});
  });

  test.each<[string, unknown, RegExp]>([
    ['not JSON', 'x', /not JSON/],
    ['another version', { ...material(), version: 2 }, /not one this version reads/],
    [
      'a base other than the session',
      { ...material(), config: { ...material().config, base: { kind: 'oidc', audience: 'a' } } },
      /session credentials only/,
    ],
    ['no session', { ...material(), session: {} }, /session.json is not one/],
    ['no end', { ...material(), until: 'later' }, /no end/],
  ])('refuses %s, naming no value', (_label, value, message) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    expect(() => parseAgentMaterial(text)).toThrow(message);
    try {
      parseAgentMaterial(text);
    } catch (err) {
      expect((err as Error).message).not.toContain('session-secret');
    }
  });
});

describe('CredentialBook', () => {
  const profiles = { hub: 'hub', deployer: 'deployer' };

  test('a fresh answer is served as it is; one due for renewal is renewed', async () => {
    const renewed: string[] = [];
    const book = new CredentialBook(
      profiles,
      material().seed,
      (profile) => {
        renewed.push(profile);
        return Promise.resolve(answer(`ASIANEW${profile.toUpperCase()}`, 60));
      },
      () => NOW,
    );
    expect((await book.get('hub')).AccessKeyId).toBe('ASIASEEDHUB');
    // 10 minutes left: inside the 15-minute margin.
    expect((await book.get('deployer')).AccessKeyId).toBe('ASIANEWDEPLOYER');
    expect((await book.get('deployer')).AccessKeyId).toBe('ASIANEWDEPLOYER');
    expect(renewed).toEqual(['deployer']);
  });

  test('ten concurrent requests share one renewal', async () => {
    const pending = deferred<ProcessCredentials>();
    let calls = 0;
    const book = new CredentialBook(
      profiles,
      {},
      () => {
        calls++;
        return pending.promise;
      },
      () => NOW,
    );
    const all = Promise.all(Array.from({ length: 10 }, () => book.get('deployer')));
    await flush();
    pending.resolve(answer('ASIAONE', 60));
    const answers = await all;
    expect(new Set(answers.map((a) => a.AccessKeyId))).toEqual(new Set(['ASIAONE']));
    expect(calls).toBe(1);
    expect(book.renewals).toBe(1);
  });

  test('a failed renewal fails every waiter, and the next request tries again', async () => {
    let calls = 0;
    const book = new CredentialBook(
      profiles,
      {},
      () =>
        ++calls === 1
          ? Promise.reject(new Error('AccessDenied'))
          : Promise.resolve(answer('ASIASECOND', 60)),
      () => NOW,
    );
    const both = await Promise.allSettled([book.get('hub'), book.get('hub')]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await book.get('hub')).AccessKeyId).toBe('ASIASECOND');
    expect(calls).toBe(2);
  });

  test.each(['other', '__proto__', 'constructor', 'toString'])(
    'refuses %s, a profile the step did not export',
    async (profile) => {
      const book = new CredentialBook(
        profiles,
        {},
        () => Promise.reject(new Error('no')),
        Date.now,
      );
      await expect(book.get(profile)).rejects.toThrow(
        `profile ${JSON.stringify(profile)} is not one this step exported (hub, deployer)`,
      );
      expect(book.renewals).toBe(0);
    },
  );
});

describe('serveAgent', () => {
  let dir: string;
  let agent: RunningAgent | undefined;
  let closed: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-'));
    closed = 0;
  });
  afterEach(() => {
    agent?.close();
    agent = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const deps = {
    now: () => NOW,
    requestTimeoutMs: 1000,
    onClose: () => void closed++,
  };

  test('renews from the session it holds, through the action resolver; the socket is 0600', async () => {
    const sts = fakeSts();
    const socket = join(dir, 'agent.sock');
    agent = await serveAgent(material(), socket, {
      ...deps,
      resolveDeps: { createSts: () => Promise.resolve(sts) },
    });
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const hubAnswer = await ask(socket, { op: 'credentials', profile: 'hub' }, 1000);
    expect(hubAnswer).toEqual({ ok: true, credentials: answer('ASIASEEDHUB', 60) });
    expect(sts.calls).toEqual([]);
    const renewed = await ask(socket, { op: 'credentials', profile: 'deployer' }, 1000);
    expect(renewed.ok && 'credentials' in renewed && renewed.credentials.AccessKeyId).toMatch(
      /^ASIADEPLOYER/,
    );
    expect(sts.calls.map((c) => [c.op, 'signer' in c ? c.signer.accessKeyId : ''])).toEqual([
      ['assumeRole', 'ASIASESSION'],
      ['assumeRole', expect.stringMatching(/^ASIAHUB/)],
    ]);
  });

  test('a refusal is an answer, and the agent goes on', async () => {
    const socket = join(dir, 'agent.sock');
    agent = await serveAgent(material(), socket, {
      ...deps,
      renew: () => Promise.reject(new Error('ExpiredToken')),
    });
    expect(await ask(socket, { op: 'credentials', profile: 'nope' }, 1000)).toEqual({
      ok: false,
      error: 'profile "nope" is not one this step exported (hub, deployer)',
    });
    expect(await ask(socket, { op: 'credentials', profile: 'deployer' }, 1000)).toEqual({
      ok: false,
      error: 'ExpiredToken',
    });
    expect(closed).toBe(0);
  });

  test('stop: answers its pid, closes and removes the socket', async () => {
    const socket = join(dir, 'agent.sock');
    agent = await serveAgent(material(), socket, deps);
    expect(await ask(socket, { op: 'stop' }, 1000)).toEqual({ ok: true, stopped: process.pid });
    expect(closed).toBe(1);
    expect(existsSync(socket)).toBe(false);
  });

  test('ends on its own at the end of the session', async () => {
    const socket = join(dir, 'agent.sock');
    const start = Date.now();
    agent = await serveAgent(material({ until: start + 50 }), socket, {
      ...deps,
      now: Date.now,
    });
    expect(existsSync(socket)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(closed).toBe(1);
    expect(existsSync(socket)).toBe(false);
  });
});

describe('runAgent', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-run-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const io = (input: string, lines: string[], exits: number[]) => ({
    stdin: Readable.from([input]),
    write: (line: string) => void lines.push(line),
    exit: () => void exits.push(1),
    socket: join(dir, 'agent.sock'),
    signals: { on: () => process } as unknown as Pick<NodeJS.Process, 'on'>,
  });

  test('reads the material from stdin, listens, then says it is ready', async () => {
    const lines: string[] = [];
    const exits: number[] = [];
    const agent = await runAgent(
      io(JSON.stringify(material({ until: Date.now() + 60_000 })), lines, exits),
    );
    expect(lines).toEqual([`{"ready":${process.pid}}\n`]);
    expect(existsSync(join(dir, 'agent.sock'))).toBe(true);
    expect(
      await ask(join(dir, 'agent.sock'), { op: 'credentials', profile: 'hub' }, 1000),
    ).toMatchObject({
      ok: true,
    });
    agent?.close();
    expect(exits).toEqual([1]);
  });

  test('material it cannot read: says why, and does not listen', async () => {
    const lines: string[] = [];
    expect(await runAgent(io('{"version":7}', lines, []))).toBeUndefined();
    expect(lines).toEqual(['{"error":"the agent material is not one this version reads"}\n']);
    expect(existsSync(join(dir, 'agent.sock'))).toBe(false);
  });
});
