import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { LookupOptions } from 'node:dns';
import { createServer, type Server } from 'node:https';
import { Worker } from 'node:worker_threads';
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

describe('whileConnecting: the early connections progress while the SDK loads', () => {
  /**
   * A TLS server on its own thread, so that it answers while this thread is blocked (as it is
   * while Node loads the SDK), behind a TCP front that counts on shared memory: in slot 0 the
   * connections whose first bytes (the ClientHello) arrived, in slot 1 those whose server
   * answer has been handed back to the client.
   */
  const SERVER = `
    const net = require('node:net');
    const tls = require('node:tls');
    const { parentPort, workerData } = require('node:worker_threads');
    const { flags, cert, key } = workerData;
    const count = (slot) => { Atomics.add(flags, slot, 1); Atomics.notify(flags, slot); };
    const inner = tls.createServer({ cert, key }, (s) => s.on('error', () => undefined));
    inner.listen(0, '127.0.0.1', () => {
      const front = net.createServer((client) => {
        const up = net.connect(inner.address().port, '127.0.0.1');
        client.once('data', () => count(0));
        client.pipe(up);
        up.once('data', (chunk) => client.write(chunk, () => count(1)));
        up.on('data', (chunk) => client.write(chunk));
        client.on('error', () => up.destroy());
        up.on('error', () => client.destroy());
      });
      front.listen(0, '127.0.0.1', () => parentPort.postMessage(front.address().port));
    });
  `;
  let worker: Worker;
  let flags: Int32Array;
  let threadUrl: string;

  beforeEach(async () => {
    flags = new Int32Array(new SharedArrayBuffer(8));
    worker = new Worker(SERVER, { eval: true, workerData: { flags, cert, key } });
    const port = await new Promise<number>((r) => worker.once('message', r));
    threadUrl = `https://127.0.0.1:${port}`;
  });

  afterEach(async () => {
    await worker.terminate();
  });

  /**
   * Blocks this thread, as a synchronous module load does, until slot `slot` counts `n` (or for
   * at most 10 s); true when it did.
   */
  const blockUntil = (slot: number, n = 1): boolean => {
    for (let now = Atomics.load(flags, slot); now < n; now = Atomics.load(flags, slot))
      if (Atomics.wait(flags, slot, now, 10_000) === 'timed-out') return false;
    return true;
  };

  test('the ClientHello goes out before the load; the answer is handled before it returns', async () => {
    const a = agent();
    a.preconnect(threadUrl);
    let seen: boolean[] = [];
    const loaded = await a.whileConnecting(() => {
      // Only a ClientHello sent before the load began can be answered during it.
      seen = [blockUntil(0), blockUntil(1)];
      return Promise.resolve('sdk');
    });
    expect(loaded).toBe('sdk');
    expect(seen).toEqual([true, true]);
    // No request has waited on the connection: its handshake finished in the turn after the load.
    expect(a.ready).toBe(1);
    a.destroy();
  });

  test('every early connection progresses, not only the first', async () => {
    const a = agent();
    a.preconnect(threadUrl, 3);
    let answered = false;
    await a.whileConnecting(() => {
      answered = blockUntil(1, 3);
      return Promise.resolve();
    });
    expect(answered).toBe(true);
    expect([a.ready, a.waiting]).toEqual([3, 3]);
    a.destroy();
  });

  /**
   * A resolver that answers `localhost` with 127.0.0.1 after `ms` (a load waits 5 ms at most),
   * and records when it did.
   */
  const resolver = (ms: number): { lookup: LookupFunction; answered: () => boolean } => {
    let answered = false;
    const lookup = ((_host: string, options: LookupOptions, callback: LookupCallback) =>
      setTimeout(() => {
        answered = true;
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      }, ms)) as unknown as LookupFunction;
    return { lookup, answered: () => answered };
  };
  type LookupCallback = (
    err: Error | null,
    address: string | { address: string; family: number }[],
    family?: number,
  ) => void;

  test('a host name answered within the wait: the connect starts, and the ClientHello goes out, before the load', async () => {
    const dns = resolver(4);
    const a = new PreconnectingAgent({ keepAlive: true, ca: cert, lookup: dns.lookup });
    a.preconnect(threadUrl.replace('127.0.0.1', 'localhost'));
    let seen: boolean[] = [];
    await a.whileConnecting(() => {
      seen = [dns.answered(), blockUntil(0), blockUntil(1)];
      return Promise.resolve();
    });
    expect(seen).toEqual([true, true, true]);
    expect(a.ready).toBe(1);
    a.destroy();
  });

  test('a slow DNS answer is not waited for: the load goes ahead, the connection follows later', async () => {
    const dns = resolver(1000);
    const a = new PreconnectingAgent({ keepAlive: true, ca: cert, lookup: dns.lookup });
    a.preconnect(threadUrl.replace('127.0.0.1', 'localhost'));
    let answeredBeforeLoad = true;
    await a.whileConnecting(() => {
      answeredBeforeLoad = dns.answered();
      return Promise.resolve();
    });
    expect(answeredBeforeLoad).toBe(false);
    await until(() => a.ready === 1);
    a.destroy();
  });

  test('with no early connection the load runs at once, and its failure is the caller’s', async () => {
    const a = agent();
    const order: string[] = [];
    setImmediate(() => order.push('turn'));
    await expect(
      a.whileConnecting(() => {
        order.push('load');
        return Promise.reject(new Error('no SDK'));
      }),
    ).rejects.toThrow('no SDK');
    expect(order).toEqual(['load']);
    a.destroy();
  });
});
