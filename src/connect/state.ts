/**
 * What main leaves behind, saved in the step state so the post step undoes exactly that,
 * without reading the inputs again. Free of the AWS SDK: the cleanup bundle imports it.
 */
import { createHash } from 'node:crypto';
import { parseJsonState } from '../shared/state.js';

/** State keys, in one place. */
export const State = {
  Cleanup: 'cleanup',
} as const;

/** A variable main set: what was there before (null: absent), and a digest of what main set. */
export interface VariableRecord {
  name: string;
  previous: string | null;
  /** {@link digest} of the value main set: the post step restores only what nobody changed since. */
  set: string;
}

/** What the post step must undo. */
export interface CleanupState {
  /** Variables main set, in order. */
  variables: VariableRecord[];
  /** Files and directories main created (deleted by the post step). */
  paths: string[];
  /** The credential agent main started (stopped by the post step). */
  agent?: { pid: number; socket: string };
}

/** A value's SHA-256, hex: enough to recognise it, nothing to read it from. */
export function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Parses saved state; undefined when absent or not what main writes. */
export function parseCleanupState(text: string): CleanupState | undefined {
  const v = parseJsonState(text) as Partial<CleanupState> | null | undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const { variables, paths } = v;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return undefined;
  if (!Array.isArray(variables) || !variables.every(isRecord)) return undefined;
  const state: CleanupState = { variables, paths };
  const agent = v.agent as { pid?: unknown; socket?: unknown } | undefined;
  if (agent && Number.isSafeInteger(agent.pid) && typeof agent.socket === 'string')
    state.agent = { pid: agent.pid as number, socket: agent.socket };
  return state;
}

function isRecord(r: unknown): r is VariableRecord {
  if (typeof r !== 'object' || r === null) return false;
  const { name, previous, set } = r as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    (previous === null || typeof previous === 'string') &&
    typeof set === 'string'
  );
}
