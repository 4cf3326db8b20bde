/** src/connect/refresh/agent-protocol.ts: the agent's requests and answers, and its socket. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentGoneError,
  AgentProtocolError,
  ask,
  MAX_MESSAGE_BYTES,
  parseAnswer,
  parseRequest,
  renderMessage,
} from '../../../../src/connect/refresh/agent-protocol.js';

const CREDENTIALS = {
  Version: 1,
  AccessKeyId: 'ASIAHUB',
  SecretAccessKey: 's',
  SessionToken: 't',
  Expiration: '2030-01-01T00:00:00.000Z',
} as const;

describe('parseRequest', () => {
  test.each([
    ['{"op":"credentials","profile":"hub"}', { op: 'credentials', profile: 'hub' }],
    ['{"profile":"hub","op":"credentials"}', { op: 'credentials', profile: 'hub' }],
    ['{"op":"stop"}', { op: 'stop' }],
  ])('takes %s', (line, request) => {
    expect(parseRequest(line)).toEqual(request);
  });

  test.each([
    ['not JSON', 'credentials hub', 'the request is not JSON'],
    ['an array', '["credentials","hub"]', 'the request is not an object'],
    ['null', 'null', 'the request is not an object'],
    ['a role of its own', '{"op":"credentials","profile":"hub","roleArn":"arn:x"}', 'only'],
    ['an external ID of its own', '{"op":"credentials","profile":"hub","externalId":"x"}', 'only'],
    ['the base session', '{"op":"session"}', 'only'],
    ['a profile that is not a string', '{"op":"credentials","profile":1}', 'only'],
    ['stop with more', '{"op":"stop","pid":1}', 'only'],
  ])('refuses %s', (_label, line, message) => {
    expect(() => parseRequest(line)).toThrow(AgentProtocolError);
    expect(() => parseRequest(line)).toThrow(message);
  });
});

describe('parseAnswer', () => {
  test('credentials, a stop and a refusal, as renderMessage writes them', () => {
    for (const answer of [
      { ok: true, credentials: CREDENTIALS },
      { ok: true, stopped: 42 },
      { ok: false, error: 'no' },
    ] as const)
      expect(parseAnswer(renderMessage(answer).trim())).toEqual(answer);
  });

  test.each([
    ['not JSON', 'x'],
    ['credentials without a key', '{"ok":true,"credentials":{"Version":1}}'],
    ['nothing it knows', '{"ok":true}'],
  ])('refuses %s', (_label, line) => {
    expect(() => parseAnswer(line)).toThrow(AgentProtocolError);
  });
});

describe('ask', () => {
  let scratch: string;
  let server: Server | undefined;
  const open = new Set<Socket>();
  const track = (s: Server): Server => {
    s.on('connection', (socket: Socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    });
    return s;
  };
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'agent-protocol-'));
  });
  afterEach(async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Listens on `agent.sock` in `dir` (by its name: the path may be past the limit). */
  async function listen(dir: string, reply: (line: string) => string): Promise<void> {
    const s = createServer((socket) => {
      socket.setEncoding('utf8');
      let text = '';
      socket.on('data', (d: string) => {
        text += d;
        if (text.includes('\n')) socket.end(reply(text.trim()));
      });
    });
    server = track(s);
    const before = process.cwd();
    process.chdir(dir);
    try {
      await new Promise<void>((resolve) => s.listen('agent.sock', resolve));
    } finally {
      process.chdir(before);
    }
  }

  test('one request, one answer, on a socket whose path is past the 108-byte limit', async () => {
    const dir = join(scratch, 'd'.repeat(120));
    mkdirSync(dir);
    const socket = join(dir, 'agent.sock');
    expect(Buffer.byteLength(socket)).toBeGreaterThan(108);
    let seen = '';
    await listen(dir, (line) => {
      seen = line;
      return renderMessage({ ok: true, credentials: CREDENTIALS });
    });
    const cwd = process.cwd();
    await expect(ask(socket, { op: 'credentials', profile: 'hub' }, 1000)).resolves.toEqual({
      ok: true,
      credentials: CREDENTIALS,
    });
    expect(JSON.parse(seen)).toEqual({ op: 'credentials', profile: 'hub' });
    expect(process.cwd()).toBe(cwd);
  });

  test('no socket, or no directory: the agent is gone', async () => {
    const cwd = process.cwd();
    await expect(ask(join(scratch, 'agent.sock'), { op: 'stop' }, 1000)).rejects.toMatchObject({
      name: 'AgentGoneError',
      code: 'ENOENT',
    });
    await expect(
      ask(join(scratch, 'removed', 'agent.sock'), { op: 'stop' }, 1000),
    ).rejects.toBeInstanceOf(AgentGoneError);
    expect(process.cwd()).toBe(cwd);
  });

  test('an answer that never comes, or never ends, is abandoned', async () => {
    await listen(scratch, () => 'x'.repeat(MAX_MESSAGE_BYTES + 10));
    await expect(ask(join(scratch, 'agent.sock'), { op: 'stop' }, 1000)).rejects.toThrow(
      /too long|closed before a line/,
    );
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const silent = track(createServer(() => undefined));
    server = silent;
    await new Promise<void>((resolve) => silent.listen(join(scratch, 'quiet.sock'), resolve));
    await expect(ask(join(scratch, 'quiet.sock'), { op: 'stop' }, 100)).rejects.toThrow(
      'no answer within 0.1 s',
    );
  });
});
