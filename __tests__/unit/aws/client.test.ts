import { createServer, Agent as HttpAgent, type Server } from 'node:http';
import { jest } from '@jest/globals';
import type { AddressInfo, Socket } from 'node:net';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { HttpProxyAgent } from 'http-proxy-agent';
import {
  connectionPool,
  regionalStsEndpoint,
  sdkClientOptions,
  stsStandIn,
  STS_STAND_IN_VARIABLE,
  TIMEOUTS,
} from '../../../src/aws/client.js';
import { PreconnectingAgent } from '../../../src/aws/preconnect.js';
import { createSts } from '../../../src/aws/sts.js';
import type { Credentials } from '../../../src/aws/credentials.js';

describe('regionalStsEndpoint', () => {
  test.each([
    ['eu-west-1', {}, 'https://sts.eu-west-1.amazonaws.com'],
    ['us-east-1', {}, 'https://sts.us-east-1.amazonaws.com'],
    ['cn-north-1', {}, 'https://sts.cn-north-1.amazonaws.com.cn'],
    ['eu-west-1', { [STS_STAND_IN_VARIABLE]: 'https://127.0.0.1:4443' }, 'https://127.0.0.1:4443'],
    ['eu-west-1', { [STS_STAND_IN_VARIABLE]: '' }, 'https://sts.eu-west-1.amazonaws.com'],
  ])('%s with %j: %s', (region, env, url) => {
    expect(regionalStsEndpoint(region, env)).toBe(url);
  });

  test('the stand-in variable is the one the network benchmark sets on the bundle', () => {
    expect(
      regionalStsEndpoint('eu-west-1', { AWS_CONNECTION_STS_STAND_IN: 'https://[::1]:1' }),
    ).toBe('https://[::1]:1');
  });

  test('the stand-in is read only from its own variable', () => {
    expect(stsStandIn({ AWS_ENDPOINT_URL_STS: 'https://127.0.0.1:1' })).toBeUndefined();
    expect(stsStandIn({ [STS_STAND_IN_VARIABLE]: 'https://127.0.0.1:1' })).toBe(
      'https://127.0.0.1:1',
    );
  });
});

describe('TIMEOUTS', () => {
  test('one table: every service has a request limit, AWS ones a connect limit too', () => {
    expect(TIMEOUTS.sts.connectMs).toBeLessThan(TIMEOUTS.sts.requestMs);
    expect(TIMEOUTS.iam.connectMs).toBeLessThan(TIMEOUTS.iam.requestMs);
    expect(TIMEOUTS.github.requestMs).toBeGreaterThan(0);
  });
});

describe('connectionPool and sdkClientOptions', () => {
  const config = { region: 'eu-west-1', connectTimeoutMs: 1, requestTimeoutMs: 2 };

  test('every client made from one pool gets the same keep-alive agents; credentials stay per client', async () => {
    const pool = await connectionPool();
    expect(pool.httpsAgent).toBeInstanceOf(PreconnectingAgent);
    expect(pool.httpAgent).toBeInstanceOf(HttpAgent);
    expect((pool.httpsAgent as PreconnectingAgent).options.keepAlive).toBe(true);
    const options = await sdkClientOptions(config, pool);
    const a = options({ accessKeyId: 'A', secretAccessKey: 'a' });
    const b = options({ accessKeyId: 'B', secretAccessKey: 'b' });
    expect(a.requestHandler.httpsAgent).toBe(b.requestHandler.httpsAgent);
    expect(a.requestHandler.httpAgent).toBe(b.requestHandler.httpAgent);
    expect(a.credentials).toEqual({ accessKeyId: 'A', secretAccessKey: 'a' });
    expect(b.credentials).toEqual({ accessKeyId: 'B', secretAccessKey: 'b' });
    expect(options().credentials).toBeUndefined();
  });

  test('through a proxy: keep-alive tunnelling agents, and no early connection', async () => {
    const pool = await connectionPool('http://proxy.internal:3128');
    expect(pool.httpsAgent).toBeInstanceOf(HttpsProxyAgent);
    expect(pool.httpAgent).toBeInstanceOf(HttpProxyAgent);
    expect((pool.httpsAgent as HttpsProxyAgent<string>).keepAlive).toBe(true);
    expect(() => pool.preconnect('https://127.0.0.1:1')).not.toThrow();
    await expect(pool.whileConnecting(() => Promise.resolve('sdk'))).resolves.toBe('sdk');
  });

  test('directly: the SDK is loaded through the agent, so that its early connections progress', async () => {
    const pool = await connectionPool();
    const agent = pool.httpsAgent as PreconnectingAgent;
    const spy = jest.spyOn(agent, 'whileConnecting');
    const load = (): Promise<string> => Promise.resolve('sdk');
    await expect(pool.whileConnecting(load)).resolves.toBe('sdk');
    expect(spy).toHaveBeenCalledWith(load);
  });
});

const KEY = (id: string): Credentials => ({
  accessKeyId: `AKIA${id}`,
  secretAccessKey: `secret-${id}`,
  sessionToken: `token-${id}`,
});

/** An STS that answers AssumeRole with keys named after the role, and records who signed. */
async function fakeSts(): Promise<{
  server: Server;
  url: string;
  signed: { action: string; key: string; token: string; socket: number }[];
  connections: () => number;
}> {
  const signed: { action: string; key: string; token: string; socket: number }[] = [];
  const sockets: Socket[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      const key = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const token = String(req.headers['x-amz-security-token'] ?? '');
      signed.push({ action, key, token, socket: sockets.indexOf(req.socket) });
      const role = (params.get('RoleArn') ?? '').split('/').pop() ?? '';
      const next = KEY(role.toUpperCase());
      res.setHeader('content-type', 'text/xml');
      res.end(
        action === 'AssumeRole'
          ? `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>${next.accessKeyId}</AccessKeyId><SecretAccessKey>${next.secretAccessKey}</SecretAccessKey><SessionToken>${next.sessionToken ?? ''}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/${role}/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`
          : `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/x/s</Arn><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
      );
    });
  });
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, signed, connections: () => sockets.length };
}

describe('one pool, per-call credentials (against a local STS)', () => {
  let sts: Awaited<ReturnType<typeof fakeSts>>;
  beforeEach(async () => (sts = await fakeSts()));
  afterEach(async () => {
    sts.server.closeAllConnections();
    await new Promise((r) => sts.server.close(r));
  });

  test('a three-hop chain and an identity check: one connection, each call signed with the hop before it', async () => {
    const port = await createSts({
      region: 'eu-west-1',
      endpoint: sts.url,
      connectTimeoutMs: TIMEOUTS.sts.connectMs,
      requestTimeoutMs: TIMEOUTS.sts.requestMs,
      mask: () => undefined,
    });
    const request = (role: string) => ({
      roleArn: `arn:aws:iam::123456789012:role/${role}`,
      sessionName: 's',
      durationSeconds: 900,
    });
    const r1 = await port.assumeRole(KEY('BASE'), request('r1'));
    const r2 = await port.assumeRole(r1.credentials, request('r2'));
    const r3 = await port.assumeRole(r2.credentials, request('r3'));
    await port.getCallerIdentity(r3.credentials);
    expect(sts.signed).toEqual([
      { action: 'AssumeRole', key: 'AKIABASE', token: 'token-BASE', socket: 0 },
      { action: 'AssumeRole', key: 'AKIAR1', token: 'token-R1', socket: 0 },
      { action: 'AssumeRole', key: 'AKIAR2', token: 'token-R2', socket: 0 },
      { action: 'GetCallerIdentity', key: 'AKIAR3', token: 'token-R3', socket: 0 },
    ]);
    expect(sts.connections()).toBe(1);
  });

  test('through a proxy to an http endpoint, calls one after another share one connection', async () => {
    // The local STS is the proxy here: it answers the proxied requests itself.
    const port = await createSts({
      region: 'eu-west-1',
      endpoint: 'http://sts.example.invalid',
      proxy: sts.url,
      connectTimeoutMs: TIMEOUTS.sts.connectMs,
      requestTimeoutMs: TIMEOUTS.sts.requestMs,
      mask: () => undefined,
    });
    const r1 = await port.assumeRole(KEY('BASE'), {
      roleArn: 'arn:aws:iam::123456789012:role/r1',
      sessionName: 's',
      durationSeconds: 900,
    });
    await port.getCallerIdentity(r1.credentials);
    expect(sts.signed.map((s) => s.key)).toEqual(['AKIABASE', 'AKIAR1']);
    expect(sts.connections()).toBe(1);
  });

  test('siblings in flight together take parallel connections, each with its own key', async () => {
    const port = await createSts({
      region: 'eu-west-1',
      endpoint: sts.url,
      connectTimeoutMs: TIMEOUTS.sts.connectMs,
      requestTimeoutMs: TIMEOUTS.sts.requestMs,
      mask: () => undefined,
    });
    await Promise.all(
      ['A', 'B', 'C'].map((id) =>
        port.assumeRole(KEY(id), {
          roleArn: `arn:aws:iam::123456789012:role/s${id}`,
          sessionName: 's',
          durationSeconds: 900,
        }),
      ),
    );
    expect(sts.signed.map((s) => [s.key, s.token]).sort()).toEqual([
      ['AKIAA', 'token-A'],
      ['AKIAB', 'token-B'],
      ['AKIAC', 'token-C'],
    ]);
    expect(sts.connections()).toBe(3);
  });
});

describe('a server that stops answering', () => {
  let server: Server;
  let url: string;
  beforeEach(async () => {
    // Reads the request and never answers: a hung STS.
    server = createServer((req) => req.resume());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('the call fails after the request timeout instead of waiting on (so it can be retried)', async () => {
    const port = await createSts({
      region: 'eu-west-1',
      endpoint: url,
      connectTimeoutMs: 1000,
      requestTimeoutMs: 200,
      mask: () => undefined,
    });
    const started = Date.now();
    await expect(port.getCallerIdentity(KEY('X'))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
