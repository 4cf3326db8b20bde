/**
 * The credential agent (`dist/refresh/index.js agent`): started by the main step when the
 * profiles renew from session credentials (a key base), it holds those credentials in memory
 * only and answers the `credential_process` client over `agent.sock` in the step's directory.
 *
 * What it takes, on stdin and nowhere else ({@link AgentMaterial}): the non-secret plan, the
 * session credentials, the proxy, and main's first answer of each profile. It answers only for
 * the profiles the step exported, with that profile's final-hop credentials: never the session
 * itself, never a role or an external ID of the caller's choosing. Answers are kept in memory
 * until {@link RENEW_MARGIN_MS} before they expire; concurrent requests for a profile share one
 * renewal. It exits on its own at the end of the session (the end of `refresh-window`), when
 * asked to stop (the post step), or on SIGTERM, removing its socket.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { messageOf } from '../../shared/errors.js';
import {
  AGENT_SOCKET,
  AgentProtocolError,
  parseRequest,
  readLine,
  renderMessage,
  type AgentAnswer,
  type AgentRequest,
} from './agent-protocol.js';
import {
  ConfigFileError,
  parseRefreshConfig,
  parseSessionFile,
  type RefreshConfig,
  type SessionFile,
} from './config.js';
import { isFresh, parseProcessCredentials, type ProcessCredentials } from './output.js';
import type { ResolveProfileDeps } from './resolve-profile.js';

/** The version of {@link AgentMaterial}; the agent refuses any other. */
export const AGENT_MATERIAL_VERSION = 1;

/** What the main step writes to the agent's stdin (then closes it). */
export interface AgentMaterial {
  version: typeof AGENT_MATERIAL_VERSION;
  /** The plan; its base is `session`, and its proxy may carry credentials (never on disk). */
  config: RefreshConfig;
  /** The session credentials every renewal assumes the chain with. */
  session: SessionFile;
  /** Main's credentials of each exported profile: the first answers. */
  seed: Record<string, ProcessCredentials>;
  /** When the agent exits (epoch ms): the end of the session. */
  until: number;
  /** The STS stand-in variable main saw, if any (the agent's environment is scrubbed). */
  env: Record<string, string>;
}

/** Parses the material; throws a message naming what is wrong (never a value). */
export function parseAgentMaterial(text: string): AgentMaterial {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ConfigFileError('the agent material is not JSON');
  }
  const m = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (m['version'] !== AGENT_MATERIAL_VERSION)
    throw new ConfigFileError('the agent material is not one this version reads');
  const config = parseRefreshConfig(JSON.stringify(m['config']));
  if (config.base.kind !== 'session')
    throw new ConfigFileError('the agent renews from session credentials only');
  const session = parseSessionFile(JSON.stringify(m['session']));
  const seedIn = m['seed'];
  const seed: Record<string, ProcessCredentials> = {};
  for (const [profile, c] of Object.entries(typeof seedIn === 'object' && seedIn ? seedIn : {})) {
    const parsed = parseProcessCredentials(JSON.stringify(c));
    if (parsed && config.profiles[profile] !== undefined) seed[profile] = parsed;
  }
  const env: Record<string, string> = {};
  const envIn = m['env'];
  for (const [k, val] of Object.entries(typeof envIn === 'object' && envIn ? envIn : {}))
    if (typeof val === 'string') env[k] = val;
  if (typeof m['until'] !== 'number' || !Number.isFinite(m['until']))
    throw new ConfigFileError('the agent material has no end');
  return { version: AGENT_MATERIAL_VERSION, config, session, seed, until: m['until'], env };
}

/** Renews one profile's credentials (the default: the action's resolver, from the session). */
export type Renew = (profile: string, connection: string) => Promise<ProcessCredentials>;

/** The answers of the exported profiles: kept while fresh, one renewal at a time per profile. */
export class CredentialBook {
  private readonly answers = new Map<string, ProcessCredentials>();
  private readonly renewing = new Map<string, Promise<ProcessCredentials>>();
  /** How many renewals were started (for tests and the stop answer). */
  renewals = 0;

  constructor(
    private readonly profiles: Readonly<Record<string, string>>,
    seed: Readonly<Record<string, ProcessCredentials>>,
    private readonly renew: Renew,
    private readonly now: () => number,
  ) {
    for (const [profile, c] of Object.entries(seed)) this.answers.set(profile, c);
  }

  /** The credentials of `profile`, renewed when due; refuses a profile the step did not export. */
  async get(profile: string): Promise<ProcessCredentials> {
    const connection = Object.hasOwn(this.profiles, profile) ? this.profiles[profile] : undefined;
    if (connection === undefined) {
      throw new AgentProtocolError(
        `profile ${JSON.stringify(profile)} is not one this step exported (${Object.keys(this.profiles).join(', ')})`,
      );
    }
    const held = this.answers.get(profile);
    if (held && isFresh(held, this.now())) return held;
    let pending = this.renewing.get(profile);
    if (!pending) {
      this.renewals++;
      pending = this.renew(profile, connection)
        .then((fresh) => {
          this.answers.set(profile, fresh);
          return fresh;
        })
        .finally(() => this.renewing.delete(profile));
      this.renewing.set(profile, pending);
    }
    return pending;
  }
}

/** How the agent runs; the entry point uses the defaults. */
export interface AgentDeps {
  now: () => number;
  /** Renews a profile (default: resolve-profile.ts with the material's session). */
  renew?: Renew;
  /** Extra seams of a renewal (an STS adapter in tests). */
  resolveDeps?: Partial<ResolveProfileDeps>;
  /** How long a caller may take to send its request. */
  requestTimeoutMs: number;
  /** Called once the agent has closed its socket (the entry point exits the process). */
  onClose: () => void;
}

/** A running agent. */
export interface RunningAgent {
  server: Server;
  book: CredentialBook;
  /** Stops serving, removes the socket and calls `onClose` (once). */
  close: () => void;
}

/**
 * Serves `material` on `socketPath` (a name relative to the working directory, or a path);
 * resolves once it listens.
 */
export async function serveAgent(
  material: AgentMaterial,
  socketPath: string,
  deps: AgentDeps,
): Promise<RunningAgent> {
  const renew = deps.renew ?? defaultRenew(material, deps);
  const book = new CredentialBook(material.config.profiles, material.seed, renew, deps.now);
  const server = createServer({ allowHalfOpen: false });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(deadline);
    server.close();
    try {
      unlinkSync(socketPath);
    } catch {
      // Already gone with its directory.
    }
    deps.onClose();
  };
  // The end of the session: nothing could be renewed after it.
  const deadline = setTimeout(
    close,
    Math.max(0, Math.min(material.until - deps.now(), 2 ** 31 - 1)),
  );
  server.on('connection', (socket: Socket) => {
    void serveOne(socket, book, deps, close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The directory is already 0700; the socket is the user's alone too, whatever the umask.
  chmodSync(socketPath, 0o600);
  return { server, book, close };
}

async function serveOne(
  socket: Socket,
  book: CredentialBook,
  deps: AgentDeps,
  close: () => void,
): Promise<void> {
  socket.on('error', () => undefined);
  let request: AgentRequest | undefined;
  let answer: AgentAnswer;
  try {
    request = parseRequest(await readLine(socket, deps.requestTimeoutMs));
    answer =
      request.op === 'stop'
        ? { ok: true, stopped: process.pid }
        : { ok: true, credentials: await book.get(request.profile) };
  } catch (err) {
    answer = { ok: false, error: messageOf(err) };
  }
  socket.end(renderMessage(answer));
  if (request?.op === 'stop') close();
}

function defaultRenew(material: AgentMaterial, deps: AgentDeps): Renew {
  return async (_profile, connection) => {
    const { resolveProfile } = await import('./resolve-profile.js');
    return resolveProfile(material.config, connection, AGENT_SOCKET, {
      env: { ...material.env },
      now: deps.now,
      session: material.session,
      ...deps.resolveDeps,
    });
  };
}

/** The most the agent reads from stdin. */
const MAX_MATERIAL_BYTES = 1024 * 1024;

/** What the agent's entry reads and writes; the defaults are the process's own. */
export interface AgentIo {
  stdin: NodeJS.ReadableStream;
  write: (line: string) => void;
  /** Ends the process once the agent has closed. */
  exit: () => void;
  socket: string;
  signals: Pick<NodeJS.Process, 'on'>;
}

/**
 * The agent's entry: reads the material from stdin to its end, listens on `agent.sock` in the
 * working directory (the step's directory), then says `{"ready":PID}` or `{"error":…}` on
 * stdout, which the main step reads and closes. Resolves to the running agent, or undefined
 * when it could not start (it said why).
 */
export async function runAgent(io: Partial<AgentIo> = {}): Promise<RunningAgent | undefined> {
  const write = io.write ?? ((line: string) => void process.stdout.write(line));
  const say = (line: object): void => write(`${JSON.stringify(line)}\n`);
  try {
    const material = parseAgentMaterial(
      await readAll(io.stdin ?? process.stdin, MAX_MATERIAL_BYTES),
    );
    const agent = await serveAgent(material, io.socket ?? AGENT_SOCKET, {
      now: Date.now,
      requestTimeoutMs: 10_000,
      onClose: io.exit ?? (() => process.exit(0)),
    });
    const signals = io.signals ?? process;
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) signals.on(signal, agent.close);
    say({ ready: process.pid });
    return agent;
  } catch (err) {
    say({ error: messageOf(err) });
    return undefined;
  }
}

function readAll(stream: NodeJS.ReadableStream, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > max) reject(new Error('the agent material is too long'));
    });
    stream.once('end', () => resolve(text));
    stream.once('error', reject);
  });
}
