/**
 * A job as the runner runs it: steps in order, each starting from the environment the steps
 * before it exported through GITHUB_ENV, and the post steps of the action afterwards, in
 * reverse order, each with its own main's state. `set` is a `run:` step that exports
 * variables (`echo NAME=value >> "$GITHUB_ENV"`).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24 } from './nodes.js';
import { baseEnv, runStep, type RunStepOptions, type StepResult } from './runner.js';

const MAIN = 'dist/main/index.js';
const CLEANUP = 'dist/cleanup/index.js';

export class Job {
  /** The job's folder (RUNNER_TEMP is `<dir>/runner-temp`, HOME `<dir>/home`). */
  readonly dir = mkdtempSync(join(tmpdir(), 'aws-connection-job-'));
  /** What the job's `env:` and every GITHUB_ENV so far give a step. */
  readonly env: Record<string, string>;
  private readonly mains: StepResult[] = [];

  constructor(jobEnv: Record<string, string> = {}) {
    this.env = { ...jobEnv };
    mkdirSync(join(this.dir, 'home'), { recursive: true });
  }

  get runnerTemp(): string {
    return join(this.dir, 'runner-temp');
  }

  /** The whole environment of the next step, as a `run:` step sees it. */
  stepEnv(): Record<string, string> {
    return { ...baseEnv(this.dir, this.runnerTemp), ...this.env };
  }

  /** Runs the action's main step; its post step is queued, as the runner does. */
  async main(
    inputs: Record<string, string>,
    opts: Pick<RunStepOptions, 'broken' | 'env'> = {},
  ): Promise<StepResult> {
    const result = await runStep({
      entry: MAIN,
      node: NODE24,
      inputs,
      env: { ...this.env, ...opts.env },
      workDir: this.dir,
      ...(opts.broken && { broken: opts.broken }),
    });
    Object.assign(this.env, result.env);
    this.mains.push(result);
    return result;
  }

  /** A `run:` step exporting variables. */
  set(variables: Record<string, string>): void {
    Object.assign(this.env, variables);
  }

  /** Runs the post step of the latest main step whose post has not run. */
  async post(): Promise<StepResult> {
    const main = this.mains.pop();
    if (!main) throw new Error('no main step left to post');
    const result = await runStep({
      entry: CLEANUP,
      node: NODE24,
      inputs: main.inputs,
      env: this.env,
      state: main.state,
      workDir: this.dir,
    });
    Object.assign(this.env, result.env);
    return result;
  }
}
