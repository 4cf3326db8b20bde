/**
 * The credential agent's protocol and socket, shared by the agent, its thin client (the
 * `credential_process` program), the main step that starts it and the post step that stops it.
 *
 * One request per connection, one JSON line each way. A request names one exported profile,
 * or asks the agent to stop; nothing else is understood, so no caller can choose a role, an
 * external ID or the base session. The socket is `agent.sock` inside the step's 0700
 * directory: only the job's user can reach it.
 *
 * Socket paths are limited (104 bytes on macOS, 108 on Linux) and RUNNER_TEMP can be long, so
 * the socket is always reached by its short relative name from inside its directory: the agent
 * runs there, and a caller changes into it for the one synchronous `connect` call.
 */
import { connect, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import { parseProcessCredentials, type ProcessCredentials } from './output.js';

/** The socket's name inside the step's directory. */
export const AGENT_SOCKET = 'agent.sock';

/** What connecting to a socket nobody serves fails with. */
const GONE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTDIR', 'ENOTSOCK']);

/** A request or an answer longer than this is refused: the real ones are a few kilobytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** What a caller may ask. */
export type AgentRequest = { op: 'credentials'; profile: string } | { op: 'stop' };

/** What the agent answers. */
export type AgentAnswer =
  | { ok: true; credentials: ProcessCredentials }
  | { ok: true; stopped: number }
  | { ok: false; error: string };

/** A request the agent does not take. */
export class AgentProtocolError extends Error {
  override readonly name = 'AgentProtocolError';
}

/** The agent is not there: no socket, or nobody listening on it. */
export class AgentGoneError extends Error {
  override readonly name = 'AgentGoneError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses one request line; throws {@link AgentProtocolError} for anything else. */
export function parseRequest(line: string): AgentRequest {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new AgentProtocolError('the request is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new AgentProtocolError('the request is not an object');
  const r = v as Record<string, unknown>;
  const keys = Object.keys(r).sort().join(',');
  if (r['op'] === 'stop' && keys === 'op') return { op: 'stop' };
  if (r['op'] === 'credentials' && keys === 'op,profile' && typeof r['profile'] === 'string')
    return { op: 'credentials', profile: r['profile'] };
  throw new AgentProtocolError(
    'the agent answers {"op":"credentials","profile":NAME} and {"op":"stop"} only',
  );
}

/** Parses the agent's answer line. */
export function parseAnswer(line: string): AgentAnswer {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new AgentProtocolError('the agent answered something other than JSON');
  }
  const a = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (a['ok'] === false && typeof a['error'] === 'string') return { ok: false, error: a['error'] };
  if (a['ok'] === true && typeof a['stopped'] === 'number')
    return { ok: true, stopped: a['stopped'] };
  const credentials =
    a['ok'] === true ? parseProcessCredentials(JSON.stringify(a['credentials'])) : undefined;
  if (credentials) return { ok: true, credentials };
  throw new AgentProtocolError('the agent answered something this version does not read');
}

/** One line of JSON. */
export function renderMessage(message: AgentRequest | AgentAnswer): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Connects to the socket at `path` by its name from inside its directory (see the module
 * comment); the working directory is restored before this returns. Throws
 * {@link AgentGoneError} when the directory is gone.
 */
export function connectSocket(path: string): Socket {
  const before = process.cwd();
  try {
    process.chdir(dirname(path));
  } catch (err) {
    // The directory itself is gone (the post step removed it).
    const code = (err as NodeJS.ErrnoException).code ?? 'ENOENT';
    throw new AgentGoneError(code, `${path}: ${code}`);
  }
  try {
    // A pipe's connect() is made synchronously here, so the relative name is resolved now.
    return connect(basename(path));
  } finally {
    process.chdir(before);
  }
}

/** Reads one line of at most {@link MAX_MESSAGE_BYTES} from `socket`. */
export function readLine(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new AgentProtocolError(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const done = (err: Error | undefined, line?: string): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      if (err) reject(err);
      else resolve(line ?? '');
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) done(undefined, text.slice(0, end));
      else if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES)
        done(new AgentProtocolError('the message is too long'));
    });
    socket.once('error', (err) => done(err));
    socket.once('end', () => done(new AgentProtocolError('the connection closed before a line')));
  });
}

/**
 * Sends one request to the agent at `socketPath` and reads its answer. A missing socket or
 * one nobody listens on is an {@link AgentGoneError}.
 */
export async function ask(
  socketPath: string,
  request: AgentRequest,
  timeoutMs: number,
): Promise<AgentAnswer> {
  const socket = connectSocket(socketPath);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? '';
        reject(GONE_CODES.has(code) ? new AgentGoneError(code, `${socketPath}: ${code}`) : err);
      });
    });
    socket.write(renderMessage(request));
    return parseAnswer(await readLine(socket, timeoutMs));
  } finally {
    socket.destroy();
  }
}
