/**
 * A real network on loopback, for `npm run bench -- --network`: a TLS terminator in front of
 * the (plain HTTP) STS proxy, and a relay in front of the terminator that delays every chunk
 * by half a round trip in each direction. The relay also charges a new connection one round
 * trip before its first bytes go on (the TCP handshake a loopback connect skips). The
 * terminator counts TCP connections and TLS handshakes.
 *
 *   program ──TCP──▶ relay (delay) ──TCP──▶ terminator (TLS) ──HTTP──▶ STS proxy ──▶ moto
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createTcpServer, connect as tcpConnect, type Server } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTlsFront, type TlsFront } from '../__tests__/integration/support/tls-front.js';

/** A self-signed certificate for 127.0.0.1: its own CA, for NODE_EXTRA_CA_CERTS. */
export interface LabCa {
  certFile: string;
  cert: Buffer;
  key: Buffer;
}

/** Makes the CA with the openssl CLI; undefined (with the reason) when openssl is missing. */
export function makeCa(): LabCa | string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ca-'));
  const certFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'ca.key');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { stdio: 'ignore' },
    );
  } catch (err) {
    return `openssl could not make the benchmark's CA (${(err as Error).message})`;
  }
  return { certFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/** The TLS terminator: the tests' TLS front (support/tls-front.ts), before `upstreamPort`. */
export type Terminator = Pick<TlsFront, 'port' | 'counts' | 'stop'>;

/** Starts a terminator for `ca` in front of 127.0.0.1:`upstreamPort`. */
export function startTerminator(ca: LabCa, upstreamPort: number): Promise<Terminator> {
  return startTlsFront(upstreamPort, ca);
}

/** The delay relay: forwards 127.0.0.1:`port` to `upstreamPort`, a round trip costing `rttMs`. */
export interface Relay {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts a relay to `upstreamPort` with round trips of `rttMs` (0: no delay). */
export async function startRelay(upstreamPort: number, rttMs: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const up = tcpConnect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(up);
    // The connect a real network would have made the client wait for: one round trip.
    const open = rttMs === 0 ? 0 : Date.now() + rttMs;
    forward(client, up, rttMs / 2, open);
    forward(up, client, rttMs / 2, 0);
    const close = (): void => {
      client.destroy();
      up.destroy();
    };
    client.on('error', close).on('close', close);
    up.on('error', close).on('close', close);
  });
  const port = await listen(server);
  return { port, url: `https://127.0.0.1:${port}`, stop: () => stop(server, sockets) };
}

/** Copies `from` to `to`, each chunk `delayMs` late, none before `notBefore`, in order. */
function forward(from: Socket, to: Socket, delayMs: number, notBefore: number): void {
  // One queue and one timer per direction: timers of different lengths may fire out of order.
  const queue: { at: number; send: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    timer = undefined;
    while ((queue[0]?.at ?? Infinity) <= Date.now()) queue.shift()?.send();
    const next = queue[0];
    if (next) timer = setTimeout(pump, next.at - Date.now());
  };
  const push = (at: number, send: () => void): void => {
    queue.push({ at, send });
    if (timer === undefined) timer = setTimeout(pump, Math.max(0, at - Date.now()));
  };
  from.on('data', (chunk: Buffer) => {
    if (delayMs === 0 && notBefore === 0 && queue.length === 0) return void to.write(chunk);
    push(Math.max(Date.now(), notBefore) + delayMs, () => {
      if (!to.destroyed) to.write(chunk);
    });
  });
  from.on('end', () => push(Date.now() + delayMs, () => to.end()));
}

function listen(server: Server): Promise<number> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
  );
}

function stop(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((done) => server.close(() => done()));
}
