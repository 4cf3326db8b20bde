/**
 * The post step's side of the credential agent: asks it to stop over its socket, then waits
 * for its process to be gone. Its failures are the post step's warnings: a cleanup never
 * fails a job. Free of the AWS SDK: the cleanup bundle imports it.
 */
import { readFileSync } from 'node:fs';
import { AgentGoneError, ask } from './agent-protocol.js';

/** What main recorded of the agent. */
export interface AgentToStop {
  pid: number;
  socket: string;
}

export interface StopDeps {
  warning: (message: string) => void;
  /** Whether `pid` is alive (default: signal 0). */
  alive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Sends SIGTERM (default: process.kill). */
  terminate?: (pid: number) => void;
  timeoutMs?: number;
}

/** Stops the agent; returns whether it is gone. */
export async function stopAgent(agent: AgentToStop, deps: StopDeps): Promise<boolean> {
  const alive = deps.alive ?? isAlive;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const timeoutMs = deps.timeoutMs ?? 5_000;
  let answered: number | undefined;
  try {
    const answer = await ask(agent.socket, { op: 'stop' }, timeoutMs);
    if (answer.ok && 'stopped' in answer) answered = answer.stopped;
    else throw new Error(answer.ok ? 'an answer other than stopped' : answer.error);
  } catch (err) {
    // No socket, nobody on it: the agent has already ended (its window is over, or it was
    // killed). Its pid may since belong to another process: it is not signalled.
    if (err instanceof AgentGoneError) return true;
    deps.warning(
      `The credential agent did not answer the request to stop: ${(err as Error).message}`,
    );
  }
  if (answered !== undefined && answered !== agent.pid) {
    deps.warning(
      `The credential agent on ${agent.socket} is process ${answered}, not ${agent.pid} as recorded.`,
    );
  }
  const pid = answered ?? agent.pid;
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  // It holds the socket it was started on but does not end: end it.
  try {
    (deps.terminate ?? ((p: number) => process.kill(p, 'SIGTERM')))(pid);
  } catch {
    return !alive(pid);
  }
  deps.warning(
    `The credential agent (process ${pid}) did not stop when asked; it was sent SIGTERM.`,
  );
  return false;
}

/**
 * Whether `pid` runs. An agent that has exited but was not reaped (its parent is a container's
 * PID 1 that reaps nothing) still answers signal 0: on Linux its state says it is a zombie.
 */
export function isAlive(pid: number, readStat: (path: string) => string = readStatFile): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // `pid (comm) S …`: the state follows the last parenthesis.
    const stat = readStat(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function readStatFile(path: string): string {
  return readFileSync(path, 'utf8');
}
