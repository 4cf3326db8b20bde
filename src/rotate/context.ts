/**
 * What one run of the rotation carries from step to step: the settings and ports, the state
 * the post step reads, the report, and what each target's two secrets hold. Every step
 * module works on it; only the engine makes one.
 */
import type { Credentials } from '../aws/credentials.js';
import type { RotateSettings } from './inputs.js';
import type { UserRef } from './plan.js';
import type { KeyStatus, Seal } from './ports.js';
import type { PreflightDeps } from './preflight.js';
import { initialState, type RotationState } from './state.js';
import { targetLabel } from './targets.js';
import {
  targetInfo,
  type KeyPair,
  type PairPart,
  type TargetInfo,
  type WriterDeps,
} from './writer.js';

/** What one secret of a target holds, as far as the run knows: the input pair's value, the new pair's, or either. */
export type Held = 'old' | 'new' | 'unknown';

/** Everything the engine acts through. */
export interface EngineDeps extends PreflightDeps {
  seal: Seal;
  /** Masks a secret in the log. */
  mask: (value: string) => void;
  /** Saves the state for the post step (never a secret in it). */
  save: (state: RotationState) => void;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** What happened to one target. */
export type TargetOutcome =
  'unchanged' | 'planned' | 'rotated' | 'restored' | 'not restored' | 'mismatched';

/** What a run did: the outputs, the job summary and the failure, if any. */
export interface RotationReport {
  user?: UserRef;
  oldKeyId: string;
  newKeyId?: string;
  rotated: boolean;
  dryRun: boolean;
  /** Why nothing was done (min-age). */
  skipped?: string;
  plan: string[];
  secondKey?: { id: string; status: KeyStatus; outcome: string };
  /** The old key at the end: deleted, Inactive, or still Active (a step 6 failure or a rollback). */
  oldKey?: 'deleted' | 'inactive' | 'active';
  targets: { label: string; outcome: TargetOutcome; note?: string }[];
  /** The one-line failure; undefined when the run succeeded. */
  error?: string;
}

/** The writer's dependencies, taken from the engine's. */
export function writerDeps(d: Omit<EngineDeps, 'save' | 'mask' | 'sleep' | 'now'>): WriterDeps {
  return { secrets: d.secrets, seal: d.seal, retry: d.retry, debug: (m) => d.log.debug(m) };
}

/** One run's shared state; the steps read and update it. */
export class RotationContext {
  readonly report: RotationReport;
  readonly state = initialState();
  /** The input pair: the key being rotated away. */
  readonly old: Credentials;
  readonly writer: WriterDeps;
  /** Known after the preflight. */
  user: UserRef = { arn: '', userName: '', accountId: '' };
  /** The targets, with their sharing once the preflight read it. */
  infos: TargetInfo[];
  /** The new pair, once step 2 created it. */
  fresh: KeyPair | undefined;
  /** Per target label, what each of its two secrets holds. */
  private readonly held = new Map<string, Record<PairPart, Held>>();

  constructor(
    readonly s: RotateSettings,
    readonly d: EngineDeps,
  ) {
    this.old = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
    this.infos = s.targets.map((t) => targetInfo(t));
    this.report = {
      oldKeyId: s.accessKeyId,
      rotated: false,
      dryRun: s.dryRun,
      plan: [],
      targets: s.targets.map((t) => ({ label: targetLabel(t), outcome: 'unchanged' })),
    };
    this.writer = writerDeps(d);
  }

  /** Saves a copy, so that later changes to `pending` never reach what was saved. */
  save(): void {
    this.d.save({ ...this.state, pending: [...this.state.pending] });
  }

  /** Records what happened to a target, for the summary. */
  outcome(label: string, outcome: TargetOutcome, note?: string): void {
    const t = this.report.targets.find((r) => r.label === label);
    if (!t) return;
    t.outcome = outcome;
    if (note !== undefined) t.note = note;
  }

  /** What each secret of a target holds; a target not written yet holds the old pair. */
  holding(label: string): Record<PairPart, Held> {
    let h = this.held.get(label);
    if (!h) {
      h = { secret: 'old', id: 'old' };
      this.held.set(label, h);
    }
    return h;
  }

  /** The pair a target surely holds complete, or undefined when its two secrets may disagree. */
  complete(label: string): 'old' | 'new' | undefined {
    const h = this.holding(label);
    return h.secret === h.id && h.secret !== 'unknown' ? h.secret : undefined;
  }
}
