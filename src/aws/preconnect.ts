/**
 * An https.Agent that can open its first connections before anyone asks for them. On a real
 * network a new TCP + TLS connection costs two round trips before the request's own; started
 * while the SDK is still loading, that setup is hidden behind the loading. The first requests
 * to the same host and port take these connections; anything else, or a connection that has
 * failed or closed meanwhile, gets a new one as usual: the early connection is an
 * optimisation that can only be used or ignored, never a new way to fail.
 */
import { Agent, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect, type TLSSocket } from 'node:tls';

/** An unclaimed early connection is closed after this long (the step has moved on without it). */
const UNCLAIMED_MS = 30_000;

/**
 * At most this many turns of the event loop are spent, before a load, for the early
 * connections' TCP connects to land (the first connect of a process takes two on loopback).
 * Each turn costs microseconds; on a real network the connects land later, during the load.
 */
const CONNECT_TURNS = 3;

/**
 * How long, at most, a load waits for the early connections' DNS answers. A runner's local
 * resolver answers a cached name within a millisecond; with the answer in, the TCP connect
 * runs during the load instead of after it, which saves a round trip for a millisecond.
 */
const LOOKUP_MS = 5;

interface Early {
  key: string;
  socket: TLSSocket;
  onIdle: () => void;
  /** The TLS handshake has completed. */
  secured: boolean;
  /** Settles when the host name is resolved (or the socket closed); none for an IP address. */
  resolved?: Promise<void>;
}

/**
 * Resolves after one turn of the event loop, in which the I/O that is ready is handled: a DNS
 * answer, a completed TCP connect (then the ClientHello goes out), the server's TLS answer.
 */
function turn(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

/** A keep-alive https.Agent whose first connections can be opened ahead of the requests. */
export class PreconnectingAgent extends Agent {
  private early: Early[] = [];

  /**
   * Starts `count` TCP + TLS connections to the origin of `url` now. Errors are swallowed: a
   * connection that cannot be made is simply not used.
   */
  preconnect(url: string, count = 1): void {
    let target: { host: string; port: number };
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:') return;
      // URL keeps the brackets of an IPv6 literal; tls.connect wants the address alone.
      const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
      target = { host, port: Number(parsed.port || 443) };
    } catch {
      return;
    }
    for (let i = 0; i < count; i++) {
      const socket = connect({
        ...this.options,
        ...target,
        // As the agent does: an IP address is no server name (RFC 6066).
        ...(isIP(target.host) ? {} : { servername: target.host }),
      });
      // Never the reason the process stays up, until a request takes it.
      socket.unref();
      // Errors go to whoever holds the socket; before that, nobody needs to hear of them.
      socket.on('error', () => undefined);
      const onIdle = (): void => {
        socket.destroy();
      };
      socket.setTimeout(UNCLAIMED_MS, onIdle);
      const early: Early = { key: keyOf(target.host, target.port), socket, onIdle, secured: false };
      socket.once('secureConnect', () => (early.secured = true));
      if (!isIP(target.host))
        early.resolved = new Promise((done) => {
          socket.once('lookup', () => done());
          socket.once('close', () => done());
        });
      this.early.push(early);
    }
  }

  /**
   * Runs `load` (an import of the SDK) so that the early connections progress meanwhile. Node 24
   * loads a dynamic import synchronously, and a chain of settled promises never yields to the
   * event loop: without turns around the load, an early connection would not move past its TCP
   * connect until the first request waits on it, and its TLS round trip would be paid in full
   * after the loading. So: the DNS answers first (for a few milliseconds at most), so that the
   * TCP connects are under way; a few turns, until the connects in flight have landed and their
   * ClientHellos are out; then the load, during which the server answers; then one turn, in
   * which that answer is handled and the handshake completes (a DNS answer or a connect that
   * landed during the load moves on then too).
   */
  async whileConnecting<T>(load: () => Promise<T>): Promise<T> {
    await this.lookups();
    for (let i = 0; i < CONNECT_TURNS && this.early.some((e) => e.socket.connecting); i++)
      await turn();
    const loaded = await load();
    if (this.early.length > 0) await turn();
    return loaded;
  }

  /** Waits for the early connections' DNS answers, for {@link LOOKUP_MS} at most. */
  private async lookups(): Promise<void> {
    const pending = this.early.flatMap((e) => (e.resolved === undefined ? [] : [e.resolved]));
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((done) => (timer = setTimeout(done, LOOKUP_MS)));
    await Promise.race([Promise.all(pending), late]);
    clearTimeout(timer);
  }

  /** How many early connections are still waiting for a request. */
  get waiting(): number {
    return this.early.filter((e) => usable(e.socket)).length;
  }

  /** How many of those have completed their TLS handshake. */
  get ready(): number {
    return this.early.filter((e) => e.secured && usable(e.socket)).length;
  }

  override createConnection(
    options: RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    this.early = this.early.filter((e) => usable(e.socket));
    const host = options.host ?? options.hostname ?? '';
    const i = this.early.findIndex((e) => e.key === keyOf(host, Number(options.port ?? 443)));
    const found = i < 0 ? undefined : this.early.splice(i, 1)[0];
    if (found === undefined) return super.createConnection(options, callback);
    found.socket.setTimeout(0);
    found.socket.removeListener('timeout', found.onIdle);
    found.socket.ref();
    return found.socket;
  }
}

function keyOf(host: string, port: number): string {
  return `${host.replace(/^\[(.*)\]$/, '$1').toLowerCase()}:${port}`;
}

function usable(socket: TLSSocket): boolean {
  return !socket.destroyed && !socket.readableEnded && !socket.writableEnded;
}
