/**
 * The rotation engine over fake ports, for unit tests: three targets holding the old pair, a
 * clock that moves only when the engine sleeps, and every saved state kept.
 */
import { rotate, type EngineDeps, type RotationReport } from '../src/rotate/engine.js';
import { getSettings, type RotateSettings } from '../src/rotate/inputs.js';
import type { RotationState } from '../src/rotate/state.js';
import type { Target } from '../src/rotate/targets.js';
import { fakeRunner, type FakeRunner } from './runner.js';
import { instantRetry } from './retry.js';
import { FakeAws, fakeSeal, FakeGithub, OLD } from './rotate-fakes.js';

export const ENGINE_TARGETS = [
  'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'env:octo/app/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'org:octo CI_AWS_KEY_ID CI_AWS_SECRET',
];

export interface EngineWorld {
  aws: FakeAws;
  gh: FakeGithub;
  runner: FakeRunner;
  settings: RotateSettings;
  deps: EngineDeps;
  states: RotationState[];
  run(): Promise<RotationReport>;
  /** The pair a target holds. */
  pair(t: Target): { accessKeyId: string; secretAccessKey: string };
}

/** A world whose inputs are the defaults of the engine tests, overridden by `inputs`. */
export function engineWorld(inputs: Record<string, string> = {}): EngineWorld {
  const aws = new FakeAws();
  const gh = new FakeGithub();
  gh.environments.add('env:octo/app/production');
  const runner = fakeRunner({ useDefaults: false });
  const all: Record<string, string> = {
    'aws-access-key-id': OLD.accessKeyId,
    'aws-secret-access-key': OLD.secretAccessKey,
    'aws-region': 'eu-west-1',
    'github-token': 'ghs_token',
    targets: ENGINE_TARGETS.join('\n'),
    'verify-interval-seconds': '1',
    'verify-timeout-seconds': '30',
    ...inputs,
  };
  const settings = getSettings((n) => all[n] ?? '', {});
  for (const t of settings.targets) {
    const sharing =
      t.scope.kind === 'org'
        ? { visibility: 'selected' as const, selectedRepositoryIds: [1, 2, 3] }
        : undefined;
    gh.set(t.scope, t.idName, OLD.accessKeyId, sharing);
    gh.set(t.scope, t.secretName, OLD.secretAccessKey, sharing);
  }
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const sleep = async (ms: number): Promise<void> => {
    clock += ms;
  };
  const states: RotationState[] = [];
  const deps: EngineDeps = {
    iam: aws,
    identity: aws,
    secrets: gh,
    seal: fakeSeal,
    retry: instantRetry({ maxAttempts: settings.retryMaxAttempts, now: () => clock, sleep }),
    log: runner,
    mask: (v) => runner.setSecret(v),
    save: (s) => states.push(structuredClone(s)),
    sleep,
    now: () => clock,
  };
  return {
    aws,
    gh,
    runner,
    settings,
    deps,
    states,
    run: () => rotate(settings, deps),
    pair: (t) => ({
      accessKeyId: gh.get(t.scope, t.idName) ?? '',
      secretAccessKey: gh.get(t.scope, t.secretName) ?? '',
    }),
  };
}
