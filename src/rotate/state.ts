/**
 * What the main step tells its post step, through the step state. Never a secret: the post
 * step gets the old pair from the step's inputs, and the new secret is never needed again
 * once main is gone (the post step only ever restores the old pair and deletes the new key).
 */

import { parseJsonState } from '../shared/state.js';

/** State keys, in one place. */
export const RotateState = {
  Rotation: 'rotation',
} as const;

/** The progress of a rotation, saved at every change that the post step must know. */
export interface RotationState {
  /** The key created in step 2; '' until then and once main deleted it again. */
  newKeyId: string;
  /** Targets (their labels) that hold, or may hold, the new pair and were not restored. */
  pending: string[];
  /** Every target holds the verified new pair: from here on, the new key is the truth. */
  committed: boolean;
  /** Main reached its end and left nothing for the post step to undo. */
  finished: boolean;
}

/** The state before anything happened. */
export function initialState(): RotationState {
  return { newKeyId: '', pending: [], committed: false, finished: false };
}

/** Parses saved state; undefined when absent or not what main writes. */
export function parseRotationState(text: string): RotationState | undefined {
  const value = parseJsonState(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const pending = v['pending'];
  if (
    typeof v['newKeyId'] !== 'string' ||
    !Array.isArray(pending) ||
    !pending.every((p) => typeof p === 'string')
  )
    return undefined;
  if (typeof v['committed'] !== 'boolean' || typeof v['finished'] !== 'boolean') return undefined;
  return {
    newKeyId: v['newKeyId'],
    pending: pending,
    committed: v['committed'],
    finished: v['finished'],
  };
}

/** What the post step should do with a state: nothing, or restore `pending` and delete the new key. */
export function postAction(state: RotationState | undefined): 'none' | 'undo' {
  if (!state || state.finished || state.committed || state.newKeyId === '') return 'none';
  return 'undo';
}
