/**
 * The runner port: everything the action says to the GitHub runner. The entry points pass
 * the `@actions/core` adapter; tests pass a recording fake.
 */
import * as core from '@actions/core';

export interface Runner {
  getInput(name: string): string;
  /** Masks a value in every later line of the log. */
  setSecret(value: string): void;
  exportVariable(name: string, value: string): void;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  setFailed(message: string): void;
  /** A GitHub OIDC token for `audience`. */
  getIdToken(audience: string): Promise<string>;
}

/** Masks a secret, line by line too: the runner masks per line of a multi-line value. */
export function mask(runner: Pick<Runner, 'setSecret'>, value: string): void {
  if (value === '') return;
  runner.setSecret(value);
  const lines = value.split(/\r?\n/).filter((l) => l.trim().length >= 4);
  if (lines.length > 1) for (const line of lines) runner.setSecret(line);
}

/** The real runner, through `@actions/core`. */
export const coreRunner: Runner = {
  getInput: (name) => core.getInput(name),
  setSecret: (value) => core.setSecret(value),
  exportVariable: (name, value) => core.exportVariable(name, value),
  setOutput: (name, value) => core.setOutput(name, value),
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  group: (name, fn) => core.group(name, fn),
  summary: async (markdown) => {
    if (!process.env['GITHUB_STEP_SUMMARY']) return;
    await core.summary.addRaw(markdown, true).write();
  },
  setFailed: (message) => core.setFailed(message),
  getIdToken: (audience) => core.getIDToken(audience),
};
