/**
 * A TLS front for the plain-HTTP test proxy, as a regional STS endpoint is reached: it
 * decrypts each connection and forwards it to 127.0.0.1:`upstreamPort`, counting TCP
 * connections and completed TLS handshakes. `refuse(n)` closes the next `n` connections the
 * moment they are accepted: an early connection the action cannot use. The benchmark's
 * network mode puts its delay relay in front of the same front (scripts/net-lab.ts).
 */
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo, Server, Socket } from 'node:net';
import { connect as tcpConnect } from 'node:net';

/** A running front. */
export interface TlsFront {
  port: number;
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** TCP connections and completed TLS handshakes so far. */
  counts(): { connections: number; handshakes: number };
  /** Closes the next `n` connections as soon as they are accepted. */
  refuse(n: number): void;
  stop(): Promise<void>;
}

/** Starts a front with `cert` and `key` (a certificate for 127.0.0.1) before `upstreamPort`. */
export async function startTlsFront(
  upstreamPort: number,
  { cert, key }: { cert: Buffer; key: Buffer },
): Promise<TlsFront> {
  let connections = 0;
  let handshakes = 0;
  let refusing = 0;
  const sockets = new Set<Socket>();
  const server = createTlsServer({ cert, key }, (tls) => {
    handshakes++;
    const up = tcpConnect(upstreamPort, '127.0.0.1');
    sockets.add(up);
    tls.pipe(up).pipe(tls);
    const close = (): void => {
      tls.destroy();
      up.destroy();
    };
    tls.on('error', close).on('close', close);
    up.on('error', close).on('close', close);
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    if (refusing > 0) {
      refusing--;
      s.destroy();
    }
  });
  // A refused connection's failed handshake is the client's business.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    counts: () => ({ connections, handshakes }),
    refuse: (n) => {
      refusing = n;
    },
    stop: () => stop(server, sockets),
  };
}

function stop(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((done) => server.close(() => done()));
}
