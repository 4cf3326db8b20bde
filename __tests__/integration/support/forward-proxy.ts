/**
 * A loopback forward HTTP proxy, the kind `http-proxy` and HTTP_PROXY name: it takes requests
 * in absolute form (`POST http://127.0.0.1:PORT/ HTTP/1.1`), counts them, and sends each on to
 * the host it names (only loopback hosts: anything else is answered 403). Tunnels (CONNECT)
 * are refused: the emulator is plain http, so an agent never asks for one.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running forward proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The absolute URLs of the requests it forwarded, in order. */
  readonly forwarded: string[];
  stop(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the proxy on a free loopback port. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const forwarded: string[] = [];
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form requests only');
      return;
    }
    if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
      res.writeHead(403).end('loopback targets only');
      return;
    }
    forwarded.push(target.toString());
    void body(req).then((payload) => {
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: `${target.pathname}${target.search}`,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      out.end(payload);
    });
  });
  server.on('connect', (_req, socket) => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
