/**
 * A rotation engine over in-memory fakes, for the step modules' unit tests: three targets
 * (repository, environment, organization) holding the old pair, a fake clock, and the
 * invariant check (every target holds a pair that authenticates with an Active key).
 */
import type { EngineDeps, RotationReport } from '../src/rotate/context.js';
import { rotate } from '../src/rotate/engine.js';
import { getSettings, type RotateSettings } from '../src/rotate/inputs.js';
import type { RotationState } from '../src/rotate/state.js';
import { targetLabel, type Target } from '../src/rotate/targets.js';
import { fakeRunner, type FakeRunner } from './runner.js';
import { instantRetry } from './retry.js';
import { FakeAws, fakeSeal, FakeGithub, OLD } from './rotate-fakes.js';

/** Three targets, one of each scope. */
export const TARGETS = [
  'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'env:octo/app/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'org:octo CI_AWS_KEY_ID CI_AWS_SECRET',
];
/** The fake clock's start. */
export const NOW = Date.parse('2026-06-01T00:00:00Z');

/** A rotation over fake AWS and GitHub, with a clock that sleeping advances. */
export interface World {
  aws: FakeAws;
  gh: FakeGithub;
  runner: FakeRunner;
  settings: RotateSettings;
  deps: EngineDeps;
  states: RotationState[];
  slept: number[];
  run(): Promise<RotationReport>;
  /** The pair a target holds. */
  pair(t: Target): { accessKeyId: string; secretAccessKey: string };
  /** Every target holds a pair that works, with an Active key. */
  assertInvariant(): void;
  /** Every target holds exactly `c`. */
  assertAllHold(c: { accessKeyId: string }): void;
  lastState(): RotationState | undefined;
}

/** The user holds only the old key, which every target holds; `inputs` override the step's inputs. */
export function world(inputs: Record<string, string> = {}): World {
  const aws = new FakeAws();
  const gh = new FakeGithub();
  gh.environments.add('env:octo/app/production');
  const runner = fakeRunner({ useDefaults: false });
  const all: Record<string, string> = {
    'aws-access-key-id': OLD.accessKeyId,
    'aws-secret-access-key': OLD.secretAccessKey,
    'aws-region': 'eu-west-1',
    'github-token': 'ghs_token',
    targets: TARGETS.join('\n'),
    'verify-interval-seconds': '1',
    'verify-timeout-seconds': '30',
    ...inputs,
  };
  const settings = getSettings((n) => all[n] ?? '', {});
  for (const t of settings.targets) {
    const sharing =
      t.scope.kind === 'org'
        ? {
            visibility: 'selected' as const,
            selectedRepositoryIds: Array.from({ length: 150 }, (_, i) => i + 1),
          }
        : undefined;
    gh.set(t.scope, t.idName, OLD.accessKeyId, sharing);
    gh.set(t.scope, t.secretName, OLD.secretAccessKey, sharing);
  }
  let clock = NOW;
  const slept: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    slept.push(ms);
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
  const pair = (t: Target): { accessKeyId: string; secretAccessKey: string } => ({
    accessKeyId: gh.get(t.scope, t.idName) ?? '',
    secretAccessKey: gh.get(t.scope, t.secretName) ?? '',
  });
  return {
    aws,
    gh,
    runner,
    settings,
    deps,
    states,
    slept,
    run: () => rotate(settings, deps),
    pair,
    assertInvariant() {
      for (const t of settings.targets) {
        const p = pair(t);
        expect({
          target: targetLabel(t),
          works: aws.works(p),
          status: aws.status(p.accessKeyId),
        }).toEqual({ target: targetLabel(t), works: true, status: 'Active' });
      }
    },
    assertAllHold(c) {
      for (const t of settings.targets)
        expect({ target: targetLabel(t), id: pair(t).accessKeyId }).toEqual({
          target: targetLabel(t),
          id: c.accessKeyId,
        });
    },
    lastState: () => states.at(-1),
  };
}

/** The IAM calls that change something. */
export const MUTATING = ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'];
/** No IAM change and no secret write happened. */
export function assertNothingChanged(w: World): void {
  expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
  expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  w.assertAllHold(OLD);
}
