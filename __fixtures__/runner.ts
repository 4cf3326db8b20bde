/**
 * A recording fake of the {@link Runner} port. Every call is kept in `events`, in order, so
 * tests can check what was said to the runner and when (a secret must be masked before any
 * line that holds it). Inputs fall back to the defaults declared in action.yml, as the real
 * runner's `INPUT_*` variables do.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Publication, Runner } from '../src/shared/runner.js';

export type RunnerEventKind =
  | 'secret'
  | 'variable'
  | 'output'
  | 'state'
  | 'info'
  | 'notice'
  | 'warning'
  | 'debug'
  | 'group'
  | 'summary'
  | 'failed';

/** One call to the runner: `name` for variables, outputs, state and groups. */
export interface RunnerEvent {
  kind: RunnerEventKind;
  name?: string;
  value: string;
}

/** Kinds whose text reaches the job log or the page (a secret in them must be masked first). */
const VISIBLE: readonly RunnerEventKind[] = [
  'variable',
  'output',
  'info',
  'notice',
  'warning',
  'debug',
  'group',
  'summary',
  'failed',
];

let defaults: Record<string, string> | undefined;

/** The `default` of every input in action.yml, as the runner would pass it. */
export function actionDefaults(): Record<string, string> {
  if (!defaults) {
    const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: unknown }>;
    };
    defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, v]) => v.default !== undefined)
        .map(([k, v]) => [k, String(v.default)]),
    );
  }
  return defaults;
}

export interface FakeRunnerOptions {
  /** Input values by name; missing ones take the action.yml default, or ''. */
  inputs?: Record<string, string>;
  /** Apply the action.yml defaults (default true). */
  useDefaults?: boolean;
  /** Saved state, as the post step would see it. */
  state?: Record<string, string>;
  /** What `getIdToken` answers (a function may throw). */
  idToken?: string | ((audience: string) => Promise<string>);
  /** Makes `publish` fail with this error, writing nothing (a runner file that cannot be written). */
  publishError?: Error;
}

export class FakeRunner implements Runner {
  readonly events: RunnerEvent[] = [];
  readonly inputs: Record<string, string>;
  readonly state: Map<string, string>;
  readonly idTokenAudiences: string[] = [];
  private readonly idToken: FakeRunnerOptions['idToken'];
  private readonly publishError: Error | undefined;

  constructor(options: FakeRunnerOptions = {}) {
    this.inputs = { ...(options.useDefaults === false ? {} : actionDefaults()), ...options.inputs };
    this.state = new Map(Object.entries(options.state ?? {}));
    this.idToken = options.idToken;
    this.publishError = options.publishError;
  }

  getInput(name: string): string {
    return this.inputs[name] ?? '';
  }
  setSecret(value: string): void {
    this.events.push({ kind: 'secret', value });
  }
  exportVariable(name: string, value: string): void {
    this.events.push({ kind: 'variable', name, value });
  }
  setOutput(name: string, value: string): void {
    this.events.push({ kind: 'output', name, value });
  }
  saveState(name: string, value: string): void {
    this.state.set(name, value);
    this.events.push({ kind: 'state', name, value });
  }
  getState(name: string): string {
    return this.state.get(name) ?? '';
  }
  info(message: string): void {
    this.events.push({ kind: 'info', value: message });
  }
  notice(message: string): void {
    this.events.push({ kind: 'notice', value: message });
  }
  warning(message: string): void {
    this.events.push({ kind: 'warning', value: message });
  }
  debug(message: string): void {
    this.events.push({ kind: 'debug', value: message });
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.events.push({ kind: 'group', name, value: name });
    return fn();
  }
  async summary(markdown: string): Promise<void> {
    this.events.push({ kind: 'summary', value: markdown });
  }
  publish({ env, outputs, summary }: Publication): void {
    if (this.publishError) throw this.publishError;
    for (const [name, value] of env) this.events.push({ kind: 'variable', name, value });
    for (const [name, value] of outputs) this.events.push({ kind: 'output', name, value });
    if (summary !== '') this.events.push({ kind: 'summary', value: summary });
  }
  setFailed(message: string): void {
    this.events.push({ kind: 'failed', value: message });
  }
  async getIdToken(audience: string): Promise<string> {
    this.idTokenAudiences.push(audience);
    if (typeof this.idToken === 'function') return this.idToken(audience);
    if (this.idToken === undefined) throw new Error('no OIDC token in this test');
    return this.idToken;
  }

  /** Values passed to setSecret, in order. */
  get secrets(): string[] {
    return this.of('secret').map((e) => e.value);
  }
  /** Exported variables, the last value of each. */
  get variables(): Record<string, string> {
    return Object.fromEntries(this.of('variable').map((e) => [e.name ?? '', e.value]));
  }
  /** Step outputs, the last value of each. */
  get outputs(): Record<string, string> {
    return Object.fromEntries(this.of('output').map((e) => [e.name ?? '', e.value]));
  }
  /** info lines, in order. */
  get infos(): string[] {
    return this.of('info').map((e) => e.value);
  }
  get notices(): string[] {
    return this.of('notice').map((e) => e.value);
  }
  get warnings(): string[] {
    return this.of('warning').map((e) => e.value);
  }
  get debugs(): string[] {
    return this.of('debug').map((e) => e.value);
  }
  get summaries(): string[] {
    return this.of('summary').map((e) => e.value);
  }
  get failures(): string[] {
    return this.of('failed').map((e) => e.value);
  }
  /** Every log line of any level (info, notice, warning, debug, failed). */
  get logLines(): string[] {
    return this.events
      .filter((e) => ['info', 'notice', 'warning', 'debug', 'failed'].includes(e.kind))
      .map((e) => e.value);
  }

  of(kind: RunnerEventKind): RunnerEvent[] {
    return this.events.filter((e) => e.kind === kind);
  }

  /**
   * The visible events (log lines, variables, outputs, summary) holding `secret` that came
   * before `setSecret(secret)`; empty when the secret was masked first. A secret never
   * masked at all makes every event holding it a leak.
   */
  leaksOf(secret: string): RunnerEvent[] {
    const masked = this.events.findIndex((e) => e.kind === 'secret' && e.value === secret);
    const before = masked === -1 ? this.events : this.events.slice(0, masked);
    return before.filter((e) => VISIBLE.includes(e.kind) && e.value.includes(secret));
  }
}

/** A fake runner with the given inputs (and the action.yml defaults for the rest). */
export function fakeRunner(options: FakeRunnerOptions = {}): FakeRunner {
  return new FakeRunner(options);
}
