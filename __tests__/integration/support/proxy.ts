/**
 * A loopback reverse proxy in front of moto, built on node:http only. Point the action's STS
 * endpoint (AWS_ENDPOINT_URL_STS) at `proxy.url`. It records every request, injects faults set
 * at run time, can rate-limit, and ADDS STS behaviour moto lacks (see sts-emulation.ts for the
 * exact list): GetSessionToken credentials that work with signature checking on (default on),
 * AssumeRoleWithWebIdentity with token and trust-policy checks (default on), and DurationSeconds
 * limits including the one-hour role-chaining cap (default on). Tests relying on those should
 * say that the behaviour comes from this proxy, not from moto.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { SignableRequest } from './sigv4.js';
import {
  createStsEmulator,
  requestAction,
  stsError,
  type EmulationOptions,
  type EmulationTarget,
  type ProxyResponse,
} from './sts-emulation.js';

/** A fault the proxy answers a matching request with. */
export type Fault =
  | { kind: 'throttle' }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'error'; status: number; code: string; message: string }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset' }
  | { kind: 'truncated' }
  | { kind: 'malformed' }
  | { kind: 'hang' }
  /** Forwards the request (so moto acts on it), then answers this 5xx instead of moto's answer. */
  | { kind: 'after'; status: 500 | 502 | 503 | 504 }
  /**
   * Forwards the request, then rewrites the answer's Expiration to `inSeconds` from now: time
   * passing, for a consumer that renews credentials close to their end (the credentials
   * themselves still work: moto never expires them).
   */
  | { kind: 'expires'; inSeconds: number };

/**
 * Which requests get a fault: `action` (any when omitted), the first `times` matches (default
 * forever) after the first `skip` matches (default 0) went through untouched.
 */
export interface FaultRule {
  action?: string;
  times?: number;
  skip?: number;
  fault: Fault;
}

/** One request the proxy received; `fault` names what it was answered with, if not forwarded plainly. */
export interface RecordedRequest {
  action: string;
  body: string;
  /** The request's headers, lower-case names (the signature's scope names the region). */
  headers: Record<string, string>;
  at: number;
  fault?: Fault['kind'] | 'rate-limit';
  /** The body of a successful answer (what a test needs to know the credentials it handed out). */
  answer?: string;
}

/** Options of `startProxy`: the moto to forward to, and which emulations are on (all by default). */
export interface ProxyOptions extends Partial<EmulationOptions> {
  moto: EmulationTarget;
}

/** A running proxy. */
export interface StsProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** How many requests were received (for `action` only, when given). */
  count(action?: string): number;
  /** Forgets the recorded requests. */
  clear(): void;
  /** Adds a fault rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): void;
  /** Removes every fault rule and the rate limit. */
  clearFaults(): void;
  /** Answers Throttling to requests beyond `perSecond` in any rolling second; `null` turns it off. */
  rateLimit(perSecond: number | null): void;
  /** Closes the proxy and every open connection (hanging requests included). */
  stop(): Promise<void>;
}

const THROTTLE = (): ProxyResponse => stsError(400, 'Throttling', 'Rate exceeded');

function faultResponse(fault: Fault): ProxyResponse | undefined {
  switch (fault.kind) {
    case 'throttle':
      return THROTTLE();
    case 'status':
      return fault.status === 503 || fault.status === 504
        ? stsError(fault.status, 'ServiceUnavailable', 'Service is unavailable')
        : stsError(
            fault.status,
            'InternalFailure',
            'The request processing has failed because of an unknown error.',
          );
    case 'error':
      return stsError(fault.status, fault.code, fault.message);
    case 'malformed':
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from('<<not xml at all }}{{ \u0000\u0001'),
      };
    default:
      return undefined;
  }
}

function send(res: ServerResponse, r: ProxyResponse): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (
      !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k.toLowerCase())
    )
      headers[k] = v;
  }
  res.writeHead(r.status, { ...headers, 'content-length': String(r.body.length) });
  res.end(r.body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function flatHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Starts the proxy on a free loopback port, forwarding to `opts.moto.endpoint`. */
export async function startProxy(opts: ProxyOptions): Promise<StsProxy> {
  const target = new URL(opts.moto.endpoint);
  const agent = new Agent({ keepAlive: true });
  const stopping = new AbortController();
  const requests: RecordedRequest[] = [];
  let rules: { action?: string; skip: number; remaining: number; fault: Fault }[] = [];
  let limit: number | null = null;
  let admitted: number[] = [];
  const emulate = createStsEmulator(opts.moto, {
    emulateGetSessionToken: opts.emulateGetSessionToken ?? true,
    emulateWebIdentity: opts.emulateWebIdentity ?? true,
    emulateDurationLimits: opts.emulateDurationLimits ?? true,
  });

  const upstream = (req: SignableRequest): Promise<ProxyResponse> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.path,
          headers: req.headers,
          agent,
        },
        (res) => {
          readBody(res).then(
            (body) =>
              resolve({ status: res.statusCode ?? 502, headers: flatHeaders(res.headers), body }),
            reject,
          );
        },
      );
      out.on('error', reject);
      out.end(req.body);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const sreq: SignableRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: flatHeaders(req.headers),
      body,
    };
    const entry: RecordedRequest = {
      action: requestAction(sreq),
      body: body.toString('utf8'),
      headers: sreq.headers,
      at: Date.now(),
    };
    requests.push(entry);

    if (limit !== null) {
      admitted = admitted.filter((t) => t > entry.at - 1000);
      if (admitted.length >= limit) {
        entry.fault = 'rate-limit';
        send(res, THROTTLE());
        return;
      }
      admitted.push(entry.at);
    }

    // Rules are tried in order; a rule still skipping counts the request and lets it pass on.
    const rule = rules.find((r) => {
      if (r.remaining <= 0 || (r.action !== undefined && r.action !== entry.action)) return false;
      if (r.skip === 0) return true;
      r.skip -= 1;
      return false;
    });
    const fault = rule?.fault;
    if (rule && fault) {
      rule.remaining -= 1;
      entry.fault = fault.kind;
      const canned = faultResponse(fault);
      if (canned) return send(res, canned);
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'hang') {
        await new Promise<void>((resolve) =>
          stopping.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        res.destroy();
        return;
      }
      if (fault.kind === 'latency') await delay(fault.ms, undefined, { signal: stopping.signal });
    }

    const answer = await emulate(sreq, upstream);
    if (answer.status === 200) entry.answer = answer.body.toString('utf8');
    if (fault?.kind === 'after')
      return send(res, faultResponse({ kind: 'status', status: fault.status }) ?? answer);
    if (fault?.kind === 'expires' && answer.status === 200) {
      const soon = new Date(Date.now() + fault.inSeconds * 1000).toISOString();
      const body = answer.body
        .toString('utf8')
        .replace(/<Expiration>[^<]*<\/Expiration>/, `<Expiration>${soon}</Expiration>`);
      return send(res, { ...answer, body: Buffer.from(body) });
    }
    if (fault?.kind === 'truncated') {
      res.writeHead(answer.status, {
        'content-type': answer.headers['content-type'] ?? 'text/xml',
        'content-length': String(answer.body.length),
      });
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => res.destroy());
      return;
    }
    send(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (stopping.signal.aborted || res.headersSent) {
        res.destroy();
        return;
      }
      send(
        res,
        stsError(
          502,
          'InternalFailure',
          `test proxy: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (action) =>
      action === undefined ? requests.length : requests.filter((r) => r.action === action).length,
    clear: () => {
      requests.length = 0;
    },
    inject: (rule) => {
      rules.push({
        ...(rule.action === undefined ? {} : { action: rule.action }),
        skip: rule.skip ?? 0,
        remaining: rule.times ?? Infinity,
        fault: rule.fault,
      });
    },
    clearFaults: () => {
      rules = [];
      limit = null;
      admitted = [];
    },
    rateLimit: (perSecond) => {
      limit = perSecond;
      admitted = [];
    },
    stop: async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
