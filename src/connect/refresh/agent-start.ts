/**
 * The main step's side of the credential agent: starts `dist/refresh/index.js agent` in the
 * step's directory, detached and unreferenced so the step can end, and hands it the renewal
 * material over its stdin, which is then closed. Neither the command line nor the environment
 * carries a secret: the agent gets a scrubbed environment (any process of the user can read
 * /proc/<pid>/environ; Yama's ptrace_scope does not guard it), and its command line is public.
 */
import { spawn as spawnChild } from 'node:child_process';
import { join } from 'node:path';
import { STS_STAND_IN_VARIABLE } from '../../aws/client.js';
import { AGENT_SOCKET } from './agent-protocol.js';
import type { AgentMaterial } from './agent.js';

/** What the post step needs to stop the agent (kept in the cleanup state). */
export interface AgentRecord {
  pid: number;
  /** The socket's absolute path. */
  socket: string;
}

/**
 * The variables the agent may see: none secret, none that a later step could have set to
 * steer it. The runner's tracking ID stays, so the runner's end-of-job cleanup of orphan
 * processes finds it.
 */
export const AGENT_ENVIRONMENT = [
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'RUNNER_TRACKING_ID',
] as const;

/** The agent's environment: the allowed names of `env`, nothing else. */
export function agentEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of AGENT_ENVIRONMENT) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The variables the agent's renewals read, handed over with the material instead. */
export function agentVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const standIn = env[STS_STAND_IN_VARIABLE];
  return standIn ? { [STS_STAND_IN_VARIABLE]: standIn } : {};
}

export interface StartAgentOptions {
  node: string;
  program: string;
  /** The step's 0700 directory; the agent runs in it and listens on {@link AGENT_SOCKET}. */
  dir: string;
  material: AgentMaterial;
  env: NodeJS.ProcessEnv;
  /** How long the agent may take to say it is ready. */
  timeoutMs?: number;
  spawn?: typeof spawnChild;
}

/** Starts the agent and waits until it listens; throws with the agent's own reason if it cannot. */
export async function startAgent(o: StartAgentOptions): Promise<AgentRecord> {
  const child = (o.spawn ?? spawnChild)(o.node, [o.program, 'agent'], {
    cwd: o.dir,
    env: agentEnvironment(o.env),
    detached: true,
    stdio: ['pipe', 'pipe', 'ignore'],
    windowsHide: true,
  });
  const timeoutMs = o.timeoutMs ?? 15_000;
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(
        () => reject(new Error(`it did not say it was ready within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const fail = (err: Error): void => {
        clearTimeout(timer);
        reject(err);
      };
      child.once('error', fail);
      child.once('exit', (code, signal) =>
        fail(new Error(`it exited (${signal ?? `code ${code ?? '?'}`}) before it was ready`)),
      );
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n');
        if (end < 0) return;
        clearTimeout(timer);
        resolve(text.slice(0, end));
      });
      // The material goes over the pipe, which is then closed: it is in no file and no variable.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(JSON.stringify(o.material));
    });
    const said = JSON.parse(line) as { ready?: unknown; error?: unknown };
    if (typeof said.error === 'string') throw new Error(said.error);
    if (typeof said.ready !== 'number') throw new Error('it said something other than ready');
    child.removeAllListeners('exit');
    child.stdout?.destroy();
    child.unref();
    return { pid: said.ready, socket: join(o.dir, AGENT_SOCKET) };
  } catch (err) {
    child.removeAllListeners('exit');
    child.stdout?.destroy();
    if (child.exitCode === null) child.kill();
    child.unref();
    throw new Error(
      `refresh: the credential agent could not be started: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
