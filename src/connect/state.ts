/**
 * What main leaves behind, saved in the step state so the post step removes exactly that,
 * without reading the inputs again. Free of the AWS SDK: the cleanup bundle imports it.
 */

import { parseJsonState } from '../shared/state.js';

/** State keys, in one place. */
export const State = {
  Cleanup: 'cleanup',
} as const;

/** What the post step must undo. */
export interface CleanupState {
  /** Variables main exported (blanked by the post step). */
  variables: string[];
  /** Files and directories main created (deleted by the post step). */
  paths: string[];
  /** The credential agent main started (stopped by the post step). */
  agent?: { pid: number; socket: string };
}

/** Parses saved state; undefined when absent or not what main writes. */
export function parseCleanupState(text: string): CleanupState | undefined {
  const v = parseJsonState(text) as Partial<CleanupState> | null | undefined;
  const strings = (a: unknown): a is string[] =>
    Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (typeof v !== 'object' || v === null || !strings(v.variables) || !strings(v.paths))
    return undefined;
  const agent = v.agent as { pid?: unknown; socket?: unknown } | undefined;
  const state: CleanupState = { variables: v.variables, paths: v.paths };
  if (agent && Number.isSafeInteger(agent.pid) && typeof agent.socket === 'string')
    state.agent = { pid: agent.pid as number, socket: agent.socket };
  return state;
}
