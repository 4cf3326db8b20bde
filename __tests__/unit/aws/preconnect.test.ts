import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:https';
import { PreconnectingAgent } from '../../../src/aws/preconnect.js';

// A self-signed certificate for 127.0.0.1, made for these tests only.
const cert = readFileSync(new URL('../../../__fixtures__/tls/loopback.crt', import.meta.url));
const key = readFileSync(new URL('../../../__fixtures__/tls/loopback.key', import.meta.url));

let server: Server;
let url: string;
let tcp = 0;
let handshakes = 0;

beforeEach(async () => {
  tcp = 0;
  handshakes = 0;
  server = createServer({ cert, key }, (_req, res) => res.end('ok'));
  server.on('connection', () => tcp++);
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const agent = (): PreconnectingAgent => new PreconnectingAgent({ keepAlive: true, ca: cert });

function get(a: PreconnectingAgent, to = url): Promise<string> {
  return new Promise((done, fail) => {
    const req = request(`${to}/`, { agent: a }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(body));
    });
    req.on('error', fail);
    req.end();
  });
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

test('requests take the connections opened ahead: no new handshake', async () => {
  const a = agent();
  a.preconnect(url, 2);
  await until(() => handshakes === 2);
  expect(a.waiting).toBe(2);
  await expect(Promise.all([get(a), get(a)])).resolves.toEqual(['ok', 'ok']);
  expect(a.waiting).toBe(0);
  expect([tcp, handshakes]).toEqual([2, 2]);
  a.destroy();
});

test('a request may take a connection still in its handshake', async () => {
  const a = agent();
  a.preconnect(url);
  await expect(get(a)).resolves.toBe('ok');
  expect([tcp, handshakes]).toEqual([1, 1]);
  a.destroy();
});

test('a connection that failed is not used: the request gets a new one', async () => {
  const a = agent();
  const closed = createServer({ cert, key });
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  a.preconnect(`https://127.0.0.1:${port}`);
  await until(() => a.waiting === 0);
  await expect(get(a)).resolves.toBe('ok');
  a.destroy();
});

test('a connection to another origin is left alone; an unusable address is ignored', async () => {
  const a = agent();
  a.preconnect(url);
  a.preconnect('http://127.0.0.1:1');
  a.preconnect('not a url');
  await until(() => handshakes === 1);
  const other = createServer({ cert, key }, (_req, res) => res.end('other'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const otherUrl = `https://127.0.0.1:${(other.address() as AddressInfo).port}`;
  await expect(get(a, otherUrl)).resolves.toBe('other');
  expect(a.waiting).toBe(1);
  a.destroy();
  other.closeAllConnections();
  await new Promise((r) => other.close(r));
});
