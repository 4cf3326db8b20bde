/**
 * The rotation engine with fake ports: every step, and every branch of the rollback table
 * in docs/key-rotation.md. After each case the invariant is checked: every target holds a
 * pair that authenticates with an Active key.
 */
import { rotate, undo, type EngineDeps, type RotationReport } from '../../../src/rotate/engine.js';
import { getSettings, type RotateSettings } from '../../../src/rotate/inputs.js';
import type { RotationState } from '../../../src/rotate/state.js';
import { targetLabel, type Target } from '../../../src/rotate/targets.js';
import { fakeRunner, type FakeRunner } from '../../../__fixtures__/runner.js';
import { instantRetry } from '../../../__fixtures__/retry.js';
import {
  awsError,
  FakeAws,
  fakeSeal,
  FakeGithub,
  githubError,
  OLD,
  USER_ARN,
} from '../../../__fixtures__/rotate-fakes.js';

const TARGETS = [
  'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'env:octo/app/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'org:octo CI_AWS_KEY_ID CI_AWS_SECRET',
];
const NOW = Date.parse('2026-06-01T00:00:00Z');

interface World {
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

function world(inputs: Record<string, string> = {}): World {
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

const MUTATING = ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'];
/** No IAM change and no secret write happened. */
function assertNothingChanged(w: World): void {
  expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
  expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  w.assertAllHold(OLD);
}

describe('rotate: the steps', () => {
  it('rotates: creates, verifies, writes every target, deactivates, verifies again, deletes the old key with the new one', async () => {
    const w = world();
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report.rotated).toBe(true);
    const [id] = w.aws.ids();
    expect(w.aws.ids()).toHaveLength(1);
    expect(id).not.toBe(OLD.accessKeyId);
    w.assertAllHold({ accessKeyId: id ?? '' });
    w.assertInvariant();
    expect(report.oldKey).toBe('deleted');
    expect(report.targets.map((t) => t.outcome)).toEqual(['rotated', 'rotated', 'rotated']);
    // The old key is deactivated and deleted with the new key's signature.
    const newId = id ?? '';
    expect(w.aws.calls.filter((c) => c.op === 'UpdateAccessKey')).toEqual([
      { op: 'UpdateAccessKey', signer: newId, keyId: OLD.accessKeyId, name: 'Inactive' },
    ]);
    expect(w.aws.calls.filter((c) => c.op === 'DeleteAccessKey')).toEqual([
      { op: 'DeleteAccessKey', signer: newId, keyId: OLD.accessKeyId },
    ]);
    // 3 consecutive successes, twice (step 3 and step 7), then ListAccessKeys with the new key.
    expect(
      w.aws.calls.filter((c) => c.op === 'GetCallerIdentity' && c.signer === newId),
    ).toHaveLength(6);
    expect(w.aws.calls.filter((c) => c.op === 'ListAccessKeys' && c.signer === newId)).toHaveLength(
      1,
    );
    // The organization secret keeps its visibility and all 150 selected repositories.
    const org = w.settings.targets[2];
    expect(org && w.gh.sharing(org.scope, org.idName)?.selectedRepositoryIds).toHaveLength(150);
    expect(org && w.gh.sharing(org.scope, org.secretName)?.visibility).toBe('selected');
    // The state never holds a secret, and ends finished and committed.
    expect(JSON.stringify(w.states)).not.toMatch(/Secret/);
    expect(w.lastState()).toEqual({
      newKeyId: newId,
      pending: [],
      committed: true,
      finished: true,
    });
  });

  it('masks the new secret the moment it is created, before any log line', async () => {
    const w = world();
    await w.run();
    const secret = w.pair(w.settings.targets[0] as Target).secretAccessKey;
    expect(w.runner.secrets).toContain(secret);
    expect(w.runner.leaksOf(secret)).toEqual([]);
    expect(w.runner.logLines.join('\n')).not.toContain(secret);
  });

  it('writes the secret key, then the key ID, back to back, with a fresh public key per target', async () => {
    const w = world();
    await w.run();
    const step4 = w.gh.calls.slice(
      w.gh.calls.findIndex(
        (c) => c.op === 'getPublicKey' && c.scope === 'repo:octo/app' && w.gh.calls.indexOf(c) > 8,
      ),
    );
    const ops = step4
      .filter((c) => c.op === 'getPublicKey' || c.op === 'putSecret')
      .map((c) => `${c.op} ${c.scope ?? ''} ${c.name ?? ''}`.trim());
    expect(ops).toEqual([
      'getPublicKey repo:octo/app',
      'putSecret repo:octo/app AWS_SECRET_ACCESS_KEY',
      'putSecret repo:octo/app AWS_ACCESS_KEY_ID',
      'getPublicKey env:octo/app/production',
      'putSecret env:octo/app/production AWS_SECRET_ACCESS_KEY',
      'putSecret env:octo/app/production AWS_ACCESS_KEY_ID',
      'getPublicKey org:octo',
      'putSecret org:octo CI_AWS_SECRET',
      'putSecret org:octo CI_AWS_KEY_ID',
    ]);
  });

  it('waits the grace period between writing and deactivating', async () => {
    const w = world({ 'grace-seconds': '120' });
    await w.run();
    expect(w.slept).toContain(120_000);
  });

  it('delete-old-key: false keeps the old key Inactive', async () => {
    const w = world({ 'delete-old-key': 'false' });
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.aws.status(OLD.accessKeyId)).toBe('Inactive');
    expect(report.oldKey).toBe('inactive');
    w.assertInvariant();
  });
});

describe('group 1: the input key', () => {
  it('a refused input key fails at once, naming the stale-secret case; nothing changed', async () => {
    const w = world();
    w.aws.keys.get(OLD.accessKeyId)!.secret = 'different';
    const report = await w.run();
    expect(report.error).toMatch(
      /InvalidClientTokenId.*the input key was refused.*rotated away; nothing was changed/,
    );
    expect(w.aws.calls.filter((c) => c.op === 'GetCallerIdentity')).toHaveLength(1);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it.each([
    [
      'assumed-role',
      'arn:aws:sts::123456789012:assumed-role/deployer/session',
      /role session \(assumed-role\)/,
    ],
    ['federated-user', 'arn:aws:sts::123456789012:federated-user/bob', /federated user/],
    ['root', 'arn:aws:iam::123456789012:root', /root user/],
  ])('refuses a caller that is not an IAM user: %s', async (_kind, arn, message) => {
    const w = world();
    w.aws.arn = arn;
    const report = await w.run();
    expect(report.error).toMatch(message);
    assertNothingChanged(w);
  });

  it('takes the user name from the last segment of a user ARN with a path', async () => {
    const w = world();
    const report = await w.run();
    expect(report.user).toEqual({ arn: USER_ARN, userName: 'ci-bot', accountId: '123456789012' });
  });

  it('fails when the input key is Inactive (a stale secret), changing nothing', async () => {
    const w = world();
    w.aws.keys.get(OLD.accessKeyId)!.status = 'Inactive';
    const report = await w.run();
    expect(report.error).toMatch(/is Inactive.*stale; nothing was changed/);
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
  });

  it('names the missing IAM action and the policy to attach on AccessDenied', async () => {
    const w = world();
    w.aws.fail(
      'ListAccessKeys',
      awsError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/ci-bot is not authorized to perform: iam:ListAccessKeys',
        403,
      ),
    );
    const report = await w.run();
    expect(report.error).toMatch(
      /may not call iam:ListAccessKeys; attach to the user a policy that allows iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed on arn:aws:iam::123456789012:user\/ci\/ci-bot/,
    );
    assertNothingChanged(w);
  });

  it('retries throttling in the preflight', async () => {
    const w = world();
    w.aws.fail('GetCallerIdentity', awsError('Throttling', 'Rate exceeded', 400), { times: 2 });
    const report = await w.run();
    expect(report.rotated).toBe(true);
  });
});

describe('group 2: a second key exists (step 1, make room)', () => {
  it('Inactive: rewrites every target with the current pair, then deletes it (no deactivation needed)', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report.secondKey).toEqual({
      id: 'AKIASECONDSECOND0002',
      status: 'Inactive',
      outcome: 'deleted',
    });
    expect(
      w.aws.calls.filter((c) => c.op === 'UpdateAccessKey' && c.keyId === 'AKIASECONDSECOND0002'),
    ).toEqual([]);
    expect(w.aws.ids()).toHaveLength(1);
    w.assertInvariant();
    // Each secret written twice: the current pair (step 1), then the new pair (step 4).
    for (const t of w.settings.targets) expect(w.gh.writes(t.scope, t.idName)).toBe(2);
  });

  it('Active and unused: deactivates it, deletes it, then rotates', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Active');
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.aws.calls.filter((c) => c.keyId === 'AKIASECONDSECOND0002').map((c) => c.op)).toEqual([
      'GetAccessKeyLastUsed',
      'UpdateAccessKey',
      'DeleteAccessKey',
    ]);
    expect(w.aws.ids()).toHaveLength(1);
    w.assertInvariant();
  });

  it('Active and used: retired by default (the input key is the truth)', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Active', { lastUsed: new Date('2026-05-30T00:00:00Z') });
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.aws.ids()).toHaveLength(1);
  });

  it('Active and used, second-key: strict: stops before changing anything', async () => {
    const w = world({ 'second-key': 'strict' });
    w.aws.addKey('AKIASECONDSECOND0002', 'Active', { lastUsed: new Date('2026-05-30T00:00:00Z') });
    const report = await w.run();
    expect(report.error).toMatch(
      /second key …0002 is Active and was last used 2026-05-30T00:00:00.000Z.*second-key: strict.*nothing was changed/,
    );
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('second-key: strict stops when the last use cannot be read; retire only warns', async () => {
    for (const policy of ['strict', 'retire']) {
      const w = world({ 'second-key': policy });
      w.aws.addKey('AKIASECONDSECOND0002', 'Active');
      w.aws.fail(
        'GetAccessKeyLastUsed',
        awsError('AccessDenied', 'not authorized to perform: iam:GetAccessKeyLastUsed', 403),
      );
      const report = await w.run();
      expect(w.runner.warnings[0]).toMatch(
        /GetAccessKeyLastUsed of the second key failed: AccessDenied.*iam:GetAccessKeyLastUsed/,
      );
      if (policy === 'strict') {
        expect(report.error).toMatch(/when it was last used is unknown/);
        expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
      } else {
        expect(report.rotated).toBe(true);
      }
    }
  });

  it('second-key: strict still retires an unused or Inactive second key', async () => {
    const w = world({ 'second-key': 'strict' });
    w.aws.addKey('AKIASECONDSECOND0002', 'Active');
    expect((await w.run()).rotated).toBe(true);
  });

  it('a failed rewrite fails the run and touches no key', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Active');
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      when: (c) => c.scope === 'env:octo/app/production',
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /^making room: writing env:octo\/app\/production AWS_SECRET_ACCESS_KEY failed: HTTP 403.*default GITHUB_TOKEN cannot write secrets.*; no key was touched$/,
    );
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId, 'AKIASECONDSECOND0002']);
    w.assertInvariant();
  });

  it('a rewrite that stops between its two writes is written again, complete, and the run goes on', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      when: (c) => c.scope === 'env:octo/app/production' && c.name === 'AWS_ACCESS_KEY_ID',
    });
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report.rotated).toBe(true);
    expect(w.runner.warnings.join('\n')).toMatch(/writing the complete current pair again/);
    w.assertInvariant();
  });

  it('a rewrite that stops halfway twice names the target as possibly mismatched, not unchanged', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      times: 2,
      when: (c) => c.scope === 'env:octo/app/production' && c.name === 'AWS_ACCESS_KEY_ID',
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /^making room: writing env:octo\/app\/production AWS_ACCESS_KEY_ID failed: HTTP 403.*writing the complete current pair again failed too.*env:octo\/app\/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY MAY HOLD A MISMATCHED PAIR.*no key was touched$/,
    );
    expect(report.targets.map((t) => t.outcome)).toEqual(['unchanged', 'mismatched', 'unchanged']);
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
  });

  it('a failed retirement of the second key fails before creating', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Active');
    w.aws.fail(
      'DeleteAccessKey',
      awsError('AccessDenied', 'not authorized to perform: iam:DeleteAccessKey', 403),
    );
    const report = await w.run();
    expect(report.error).toMatch(
      /retiring the second key …0002 failed: AccessDenied.*iam:UpdateAccessKey or iam:DeleteAccessKey.*every target holds the current key/,
    );
    expect(w.aws.calls.filter((c) => c.op === 'CreateAccessKey')).toEqual([]);
    w.assertInvariant();
  });
});

describe('group 3: the GitHub preflight', () => {
  it('a token that may not read secrets (403): the default GITHUB_TOKEN message; nothing changed', async () => {
    const w = world();
    w.gh.fail('getPublicKey', githubError(403, 'Resource not accessible by integration'));
    const report = await w.run();
    expect(report.error).toMatch(
      /reading the public key of repo:octo\/app failed: HTTP 403: Resource not accessible by integration — github-token may not use the secrets of repo:octo\/app; the default GITHUB_TOKEN cannot write secrets: use a GitHub App token or a fine-grained token/,
    );
    assertNothingChanged(w);
  });

  it('a refused token (401)', async () => {
    const w = world();
    w.gh.fail('getPublicKey', githubError(401, 'Bad credentials'));
    expect((await w.run()).error).toMatch(
      /HTTP 401: Bad credentials — github-token was refused: it is invalid or has expired/,
    );
    assertNothingChanged(w);
  });

  it('a missing environment', async () => {
    const w = world();
    w.gh.environments.clear();
    expect((await w.run()).error).toMatch(
      /env:octo\/app\/production: environment production does not exist in octo\/app/,
    );
    assertNothingChanged(w);
  });

  it('a missing organization secret: the rotation never chooses a visibility', async () => {
    const w = world({ targets: 'org:octo NEW_ID NEW_SECRET' });
    w.gh.remove('org:octo', 'NEW_ID');
    expect((await w.run()).error).toMatch(
      /org:octo NEW_ID does not exist: create the organization secret first/,
    );
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('warns about a same-name secret at a lower level that shadows a target', async () => {
    const w = world();
    w.gh.set('repo:octo/app', 'CI_AWS_KEY_ID', 'something else');
    w.gh.environments.add('env:octo/app/staging');
    w.gh.set('env:octo/app/staging', 'AWS_SECRET_ACCESS_KEY', 'something else');
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.runner.warnings).toEqual([
      'repo:octo/app has its own secret CI_AWS_KEY_ID, which wins over org:octo CI_AWS_KEY_ID there and is not rotated: add it to the targets, or delete it.',
      'env:octo/app/staging has its own secret AWS_SECRET_ACCESS_KEY, which wins over repo:octo/app AWS_SECRET_ACCESS_KEY there and is not rotated: add it to the targets, or delete it.',
    ]);
  });

  it('a shadow check that cannot list is only logged', async () => {
    const w = world();
    w.gh.fail('listEnvironments', githubError(403, 'forbidden'), { times: 10 });
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.runner.debugs.join('\n')).toMatch(
      /listing the environments of octo\/app \(shadow check\) failed: HTTP 403/,
    );
  });
});

describe('group 4: CreateAccessKey', () => {
  it('LimitExceeded (another run raced us): fails, changes nothing', async () => {
    const w = world();
    w.aws.fail(
      'CreateAccessKey',
      awsError('LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2', 409),
    );
    const report = await w.run();
    expect(report.error).toMatch(
      /CreateAccessKey failed: LimitExceededException.*another rotation created one just now; nothing was changed, run again/,
    );
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    w.assertAllHold(OLD);
    expect(w.lastState()).toEqual({ newKeyId: '', pending: [], committed: false, finished: true });
  });

  it('a 5xx after the key was created: lists the keys, deletes the one whose secret never came, and tries again', async () => {
    const w = world();
    w.aws.fail('CreateAccessKey', awsError('InternalFailure', 'internal', 500), { after: true });
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report.rotated).toBe(true);
    expect(w.runner.warnings.join('\n')).toMatch(
      /CreateAccessKey got no answer, yet key …0001 exists: its secret never arrived, so it is deleted/,
    );
    expect(w.aws.ids()).toEqual(['AKIANEWNEWNEWNEW0002']);
    w.assertInvariant();
  });

  it('a 5xx that created nothing is simply retried', async () => {
    const w = world();
    w.aws.fail('CreateAccessKey', awsError('ServiceUnavailable', 'busy', 503));
    expect((await w.run()).rotated).toBe(true);
    expect(w.runner.warnings).toEqual([]);
  });

  it('fails with a message when the orphan cannot be deleted', async () => {
    const w = world();
    w.aws.fail('CreateAccessKey', awsError('InternalFailure', 'internal', 500), { after: true });
    w.aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403));
    const report = await w.run();
    expect(report.error).toMatch(
      /cleaning up after an unanswered CreateAccessKey failed: AccessDenied.*the next run retires it/,
    );
    w.assertAllHold(OLD);
    w.assertInvariant();
  });
});

describe('group 5: verifying the new key (step 3)', () => {
  const isNew = (c: { signer?: string }): boolean => c.signer !== OLD.accessKeyId;

  it('refused N times, then accepted: waits and counts consecutive successes', async () => {
    const w = world();
    w.aws.fail(
      'GetCallerIdentity',
      awsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      ),
      { times: 4, when: isNew },
    );
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.runner.infos.join('\n')).toMatch(
      /3 consecutive GetCallerIdentity successes as .* \(7 tries\)/,
    );
  });

  it('never accepted: deletes the new key with the old one and fails; targets untouched', async () => {
    const w = world({ 'verify-timeout-seconds': '5' });
    w.aws.fail('GetCallerIdentity', awsError('InvalidClientTokenId', 'invalid', 403), {
      times: 1000,
      when: isNew,
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /the new key …0001 failed verification: it was not accepted 3 times in a row within 5 s \(\d+ tries; last refusal: invalid\); the new key …0001 was deleted/,
    );
    expect(w.aws.calls.filter((c) => c.op === 'DeleteAccessKey')).toEqual([
      { op: 'DeleteAccessKey', signer: OLD.accessKeyId, keyId: 'AKIANEWNEWNEWNEW0001' },
    ]);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
    expect(w.lastState()).toEqual({ newKeyId: '', pending: [], committed: false, finished: true });
  });

  it('flapping: a refusal after successes starts the count again', async () => {
    const w = world();
    w.aws.fail('GetCallerIdentity', awsError('InvalidClientTokenId', 'invalid', 403), {
      skip: 2,
      times: 1,
      when: isNew,
    });
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.runner.infos.join('\n')).toMatch(/refused after 2 success\(es\); counting again/);
    expect(w.runner.infos.join('\n')).toMatch(/\(6 tries\)/);
  });

  it('STS works but IAM is denied: names iam:ListAccessKeys, deletes the new key', async () => {
    const w = world();
    w.aws.fail(
      'ListAccessKeys',
      awsError('AccessDenied', 'not authorized to perform: iam:ListAccessKeys', 403),
      { when: isNew },
    );
    const report = await w.run();
    expect(report.error).toMatch(
      /failed verification: ListAccessKeys with the new key failed: AccessDenied.*may not call iam:ListAccessKeys; attach.*; the new key …0001 was deleted/,
    );
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  });

  it('an IAM refusal while the key propagates is retried', async () => {
    const w = world();
    w.aws.fail('ListAccessKeys', awsError('InvalidClientTokenId', 'invalid', 403), {
      times: 3,
      when: isNew,
    });
    expect((await w.run()).rotated).toBe(true);
  });

  it('a new key that answers as someone else is a failure', async () => {
    const w = world();
    w.aws.fail('GetCallerIdentity', () => Object.assign(new Error('x'), { name: 'Weird' }), {
      when: isNew,
    });
    expect((await w.run()).error).toMatch(
      /failed verification: GetCallerIdentity with the new key failed: Weird/,
    );
  });
});

describe('group 6: the rollback delete fails', () => {
  it('keeps the new key ID in state for the post step, and says the next run retires it', async () => {
    const w = world({ 'verify-timeout-seconds': '2' });
    w.aws.fail('GetCallerIdentity', awsError('InvalidClientTokenId', 'invalid', 403), {
      times: 1000,
      when: (c) => c.signer !== OLD.accessKeyId,
    });
    w.aws.fail('DeleteAccessKey', awsError('ServiceUnavailable', 'busy', 503), { times: 100 });
    const report = await w.run();
    expect(report.error).toMatch(
      /failed verification: .*; deleting the new key …0001 failed: ServiceUnavailable.*the post step or the next run retires it/,
    );
    expect(w.lastState()).toEqual({
      newKeyId: 'AKIANEWNEWNEWNEW0001',
      pending: [],
      committed: false,
      finished: false,
    });
    w.assertAllHold(OLD);
    w.assertInvariant();
  });
});

describe('group 7: writing one target (step 4)', () => {
  const at = (scope: string, name?: string) => (c: { scope?: string; name?: string }) =>
    c.scope === scope && (name === undefined || c.name === name);

  it('the public-key fetch fails on the first target: nothing written, new key deleted', async () => {
    const w = world({ 'retry-max-attempts': '1' });
    // The first fetch is the preflight's; the second is step 4's.
    w.gh.fail('getPublicKey', githubError(502, 'Bad Gateway'), {
      skip: 1,
      when: at('repo:octo/app'),
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /reading the public key of repo:octo\/app failed: HTTP 502.*Rolled back: 0 target\(s\) restored to the old key, and the new key …0001 was deleted/,
    );
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    w.assertAllHold(OLD);
  });

  it('the first write fails with a definite refusal: the target is not rewritten', async () => {
    const w = world();
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /writing repo:octo\/app AWS_SECRET_ACCESS_KEY failed: HTTP 403.*default GITHUB_TOKEN.*Rolled back: 0 target/,
    );
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toHaveLength(1);
    w.assertAllHold(OLD);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  });

  it('the first write fails ambiguously (5xx, stored anyway): that target is rewritten with the old pair', async () => {
    const w = world({ 'retry-max-attempts': '1' });
    w.gh.fail('putSecret', githubError(500, 'Server Error'), {
      after: true,
      when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    expect(report.error).toMatch(/Rolled back: 1 target\(s\) restored/);
    w.assertAllHold(OLD);
    w.assertInvariant();
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  });

  it('the SECOND write fails: the half-written target is restored, both secrets', async () => {
    const w = world();
    w.gh.fail('putSecret', githubError(422, 'Invalid request. Secret name is too long'), {
      when: at('env:octo/app/production', 'AWS_ACCESS_KEY_ID'),
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /writing env:octo\/app\/production AWS_ACCESS_KEY_ID failed: HTTP 422.*Rolled back: 2 target\(s\) restored/,
    );
    w.assertAllHold(OLD);
    w.assertInvariant();
    expect(report.targets.map((t) => t.outcome)).toEqual(['restored', 'restored', 'unchanged']);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  });

  it('the secret lands, the key ID is refused: the restore rewrites only the secret', async () => {
    const w = world();
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID'),
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /writing repo:octo\/app AWS_ACCESS_KEY_ID failed: HTTP 403.*Rolled back: 1 target\(s\) restored to the old key, and the new key …0001 was deleted/,
    );
    const repo = w.settings.targets[0] as Target;
    expect(w.gh.writes(repo.scope, repo.secretName)).toBe(2);
    expect(w.gh.writes(repo.scope, repo.idName)).toBe(0);
    w.assertAllHold(OLD);
    w.assertInvariant();
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  });

  it('the secret lands, the key ID is refused, and restoring the secret fails: the complete new pair is written instead', async () => {
    const w = world();
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID'),
    });
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      skip: 1,
      when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /ROLLBACK INCOMPLETE: 1 target\(s\) could not be restored.*Both keys are left Active; each of them holds the complete new pair …0001, so every target still works/,
    );
    const repo = w.settings.targets[0] as Target;
    expect(w.pair(repo)).toEqual({
      accessKeyId: 'AKIANEWNEWNEWNEW0001',
      secretAccessKey: w.aws.keys.get('AKIANEWNEWNEWNEW0001')?.secret,
    });
    w.assertInvariant();
    expect(w.aws.ids().map((id) => w.aws.status(id))).toEqual(['Active', 'Active']);
    expect(report.targets[0]).toMatchObject({ outcome: 'not restored' });
    expect(w.lastState()?.pending).toEqual([targetLabel(repo)]);
  });

  it('a 422 naming key_id: fetches the public key again, once, and succeeds', async () => {
    const w = world();
    let rotated = false;
    w.gh.fail(
      'putSecret',
      () => {
        if (!rotated) w.gh.rotateKey('repo:octo/app');
        rotated = true;
        return githubError(422, 'Invalid request.\n\nkey_id kid-1 is not the current public key.');
      },
      { when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'), skip: 0 },
    );
    // The fault replaces the first step-4 write; the real fake then checks the refreshed key id.
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(
      w.gh.calls.filter((c) => c.op === 'getPublicKey' && c.scope === 'repo:octo/app'),
    ).toHaveLength(2 + 1);
    w.assertInvariant();
  });

  it('a second key_id mismatch on the same target is not retried again', async () => {
    const w = world();
    w.gh.fail('putSecret', githubError(422, 'key_id is not the current public key'), {
      times: 2,
      when: at('repo:octo/app'),
    });
    const report = await w.run();
    expect(report.error).toMatch(/HTTP 422: key_id is not the current public key.*Rolled back/);
    w.assertAllHold(OLD);
  });

  it('5xx then success: retried, rotation completes', async () => {
    const w = world();
    w.gh.fail('putSecret', githubError(503, 'Service Unavailable'), {
      times: 2,
      when: at('org:octo'),
    });
    w.gh.fail('putSecret', githubError(429, 'rate limited'), {
      times: 1,
      when: at('env:octo/app/production'),
    });
    w.gh.fail(
      'putSecret',
      githubError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '1' }),
      { times: 1, when: at('repo:octo/app') },
    );
    const report = await w.run();
    expect(report.rotated).toBe(true);
    w.assertInvariant();
  });
});

describe('group 8: failure at target k of n', () => {
  it('target 3 fails: targets 1 and 2 are rolled back, then the new key is deleted', async () => {
    const w = world({ 'retry-max-attempts': '2' });
    w.gh.fail('putSecret', githubError(500, 'Server Error'), {
      times: 2,
      when: (c) => c.scope === 'org:octo',
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /writing org:octo CI_AWS_SECRET failed: HTTP 500.*Rolled back: 3 target\(s\) restored to the old key, and the new key …0001 was deleted/,
    );
    w.assertAllHold(OLD);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    // The states saved along the way name the targets written.
    expect(w.states.map((s) => s.pending.length)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(w.lastState()).toEqual({ newKeyId: '', pending: [], committed: false, finished: true });
  });

  it('a rollback write fails too: deletes nothing, keeps both keys Active, fails loudly', async () => {
    const w = world({ 'retry-max-attempts': '1' });
    // Target 3's first write fails; then the rollback of target 1 fails.
    w.gh.fail('putSecret', githubError(500, 'Server Error'), {
      when: (c) => c.scope === 'org:octo',
    });
    w.gh.fail('putSecret', githubError(502, 'Bad Gateway'), {
      when: (c) => c.scope === 'repo:octo/app',
      skip: 2,
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /ROLLBACK INCOMPLETE: 1 target\(s\) could not be restored to the old key: writing repo:octo\/app AWS_SECRET_ACCESS_KEY failed: HTTP 502.*Both keys are left Active; each of them holds the complete new pair …0001, so every target still works/,
    );
    expect(w.aws.ids()).toHaveLength(2);
    expect(w.aws.ids().map((id) => w.aws.status(id))).toEqual(['Active', 'Active']);
    w.assertInvariant();
    expect(report.targets.map((t) => t.outcome)).toEqual(['not restored', 'restored', 'restored']);
    expect(w.lastState()).toEqual({
      newKeyId: 'AKIANEWNEWNEWNEW0001',
      pending: [targetLabel(w.settings.targets[0] as Target)],
      committed: false,
      finished: false,
    });
  });
});

describe('group 8b: a restore that stops between its two writes', () => {
  const at = (scope: string, name?: string) => (c: { scope?: string; name?: string }) =>
    c.scope === scope && (name === undefined || c.name === name);

  /** Target 1 gets the new pair; target 2's first write is refused; restoring target 1, its key ID write is refused. */
  function halfRestored(): World {
    const w = world();
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      when: at('env:octo/app/production', 'AWS_SECRET_ACCESS_KEY'),
    });
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      skip: 1,
      when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID'),
    });
    return w;
  }

  it('the target gets the complete new pair back: it works, and the error says so', async () => {
    const w = halfRestored();
    const report = await w.run();
    expect(report.error).toMatch(
      /ROLLBACK INCOMPLETE: 1 target\(s\) could not be restored to the old key: writing repo:octo\/app AWS_ACCESS_KEY_ID failed: HTTP 403.*each of them holds the complete new pair …0001, so every target still works/,
    );
    expect(w.runner.warnings.join('\n')).toMatch(/writing the complete new pair instead/);
    const repo = w.settings.targets[0] as Target;
    expect(w.pair(repo).accessKeyId).toBe('AKIANEWNEWNEWNEW0001');
    w.assertInvariant();
    expect(w.aws.ids().map((id) => w.aws.status(id))).toEqual(['Active', 'Active']);
    expect(report.targets.map((t) => t.outcome)).toEqual([
      'not restored',
      'unchanged',
      'unchanged',
    ]);
    expect(w.lastState()).toMatchObject({ pending: [targetLabel(repo)], finished: false });
  });

  it('when writing the new pair fails too, names the target as possibly mismatched and never claims every target works', async () => {
    const w = halfRestored();
    // Rolling forward, the new secret is refused: the target keeps the new key ID with the old secret.
    w.gh.fail('putSecret', githubError(403, 'Resource not accessible by integration'), {
      skip: 2,
      when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /ROLLBACK INCOMPLETE.*repo:octo\/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY MAY HOLD A MISMATCHED PAIR/,
    );
    expect(report.error).not.toMatch(/every target still works/);
    expect(report.targets.map((t) => t.outcome)).toEqual(['mismatched', 'unchanged', 'unchanged']);
    // Nothing is deleted: either key may be what the target's two halves point at.
    expect(w.aws.ids().map((id) => w.aws.status(id))).toEqual(['Active', 'Active']);
  });
});

describe('group 9: retiring the old key (steps 6–8)', () => {
  it('deactivation fails: a warning; the targets hold the new key, the old stays Active', async () => {
    const w = world();
    w.aws.fail(
      'UpdateAccessKey',
      awsError('AccessDenied', 'not authorized to perform: iam:UpdateAccessKey', 403),
    );
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report.rotated).toBe(true);
    expect(report.oldKey).toBe('active');
    expect(w.runner.warnings.join('\n')).toMatch(
      /deactivating the old key …0001 failed: AccessDenied.*iam:UpdateAccessKey.*the targets already hold the verified new key/,
    );
    w.assertInvariant();
    expect(w.aws.ids()).toHaveLength(2);
  });

  it('the delete fails transiently (new key propagating): retried until it works', async () => {
    const w = world();
    w.aws.fail('DeleteAccessKey', awsError('InvalidClientTokenId', 'invalid', 403), { times: 3 });
    const report = await w.run();
    expect(report.oldKey).toBe('deleted');
    expect(w.aws.ids()).toHaveLength(1);
  });

  it('the delete fails permanently: warns and leaves the old key Inactive', async () => {
    const w = world();
    w.aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403), { times: 100 });
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(report.oldKey).toBe('inactive');
    expect(w.aws.status(OLD.accessKeyId)).toBe('Inactive');
    expect(w.runner.warnings.join('\n')).toMatch(
      /deleting the old key …0001 failed: AccessDenied.*left Inactive; the next run deletes it/,
    );
    w.assertInvariant();
  });

  it('NoSuchEntity on delete counts as done', async () => {
    const w = world();
    w.aws.fail('DeleteAccessKey', awsError('NoSuchEntityException', 'gone', 404), { after: true });
    const report = await w.run();
    expect(report.oldKey).toBe('deleted');
    expect(w.runner.warnings).toEqual([]);
  });

  it('verify again fails: reactivates the old key, restores every target, deletes the new key', async () => {
    const w = world({ 'verify-timeout-seconds': '3' });
    w.aws.fail('GetCallerIdentity', awsError('InvalidClientTokenId', 'invalid', 403), {
      skip: 3,
      times: 1000,
      when: (c) => c.signer !== OLD.accessKeyId,
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /failed verification after the old key was deactivated: .*the old key was reactivated\. Rolled back: 3 target\(s\) restored to the old key, and the new key …0001 was deleted/,
    );
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    expect(w.aws.status(OLD.accessKeyId)).toBe('Active');
    w.assertAllHold(OLD);
    w.assertInvariant();
  });

  it('verify again fails and reactivation fails too: says what to do by hand', async () => {
    const w = world({ 'verify-timeout-seconds': '3' });
    w.aws.fail('GetCallerIdentity', awsError('InvalidClientTokenId', 'invalid', 403), {
      skip: 3,
      times: 1000,
      when: (c) => c.signer !== OLD.accessKeyId,
    });
    w.aws.fail('UpdateAccessKey', awsError('AccessDenied', 'no', 403), {
      times: 100,
      when: (c) => c.name === 'Active',
    });
    const report = await w.run();
    expect(report.error).toMatch(
      /Reactivating the old key …0001 failed too.*reactivate the old key in IAM/,
    );
  });
});

describe('group 11: a stale input key', () => {
  it('a deleted input key (a rotation already ran) changes nothing', async () => {
    const w = world();
    w.aws.keys.delete(OLD.accessKeyId);
    w.aws.addKey('AKIACURRENTCURRENT01', 'Active');
    const report = await w.run();
    expect(report.error).toMatch(/InvalidClientTokenId.*rotated away; nothing was changed/);
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });
});

describe('group 12: dry-run and min-age change nothing', () => {
  it('dry-run: full preflight, the plan printed, no change', async () => {
    const w = world({ 'dry-run': 'true' });
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report.rotated).toBe(false);
    expect(report.targets.map((t) => t.outcome)).toEqual(['planned', 'planned', 'planned']);
    expect(w.runner.infos.filter((l) => l.startsWith('Would: '))).toHaveLength(7);
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('min-age: a younger key is skipped, successfully', async () => {
    const w = world({ 'min-age': '30d' });
    w.aws.keys.get(OLD.accessKeyId)!.createdAt = new Date(NOW - 3 * 86_400_000);
    const report = await w.run();
    expect(report).toMatchObject({
      rotated: false,
      skipped: 'the key …0001 is 3d old, younger than min-age 30d',
    });
    expect(report.error).toBeUndefined();
    assertNothingChanged(w);
  });

  it('min-age with a second key left by a failed run: makes room, then skips; the next run is not blocked', async () => {
    const w = world({ 'min-age': '30d' });
    w.aws.keys.get(OLD.accessKeyId)!.createdAt = new Date(NOW - 3 * 86_400_000);
    w.aws.addKey('AKIASECONDSECOND0002', 'Active');
    const report = await w.run();
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({
      rotated: false,
      skipped: 'the key …0001 is 3d old, younger than min-age 30d',
      secondKey: { id: 'AKIASECONDSECOND0002', status: 'Active', outcome: 'deleted' },
    });
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    expect(w.aws.calls.filter((c) => c.op === 'CreateAccessKey')).toEqual([]);
    w.assertAllHold(OLD);
    w.assertInvariant();
  });

  it('min-age: an older key is rotated', async () => {
    const w = world({ 'min-age': '30d' });
    expect((await w.run()).rotated).toBe(true);
  });
});

describe('undo (the post step)', () => {
  /** What a main step killed after writing the first `written` targets leaves: a new key, and state naming those targets. */
  async function killedAfter(w: World, written: number): Promise<RotationState> {
    const fresh = await w.aws.createAccessKey(OLD, 'ci-bot');
    const pair = { accessKeyId: fresh.id, secretAccessKey: fresh.secret };
    const targets = w.settings.targets.slice(0, written);
    for (const t of targets) {
      const key = await w.gh.getPublicKey(t.scope);
      const sharing =
        t.scope.kind === 'org' ? await w.gh.getOrgSecret(t.scope.org, t.idName) : undefined;
      await w.gh.putSecret(
        t.scope,
        t.secretName,
        { encryptedValue: await fakeSeal(pair.secretAccessKey, key.key), keyId: key.keyId },
        sharing,
      );
      await w.gh.putSecret(
        t.scope,
        t.idName,
        { encryptedValue: await fakeSeal(pair.accessKeyId, key.key), keyId: key.keyId },
        sharing,
      );
    }
    return {
      newKeyId: fresh.id,
      pending: targets.map(targetLabel),
      committed: false,
      finished: false,
    };
  }

  it('restores the pending targets with the old pair and deletes the new key', async () => {
    const w = world();
    const state = await killedAfter(w, 3);
    expect(w.pair(w.settings.targets[2] as Target).accessKeyId).toBe(state.newKeyId);
    const warnings = await undo(w.settings, state, w.deps);
    expect(warnings).toEqual([]);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    w.assertAllHold(OLD);
    w.assertInvariant();
    // The organization secret is written back with the sharing it has.
    const org = w.settings.targets[2] as Target;
    expect(w.gh.sharing(org.scope, org.idName)?.selectedRepositoryIds).toHaveLength(150);
  });

  it('with nothing written, only deletes the new key', async () => {
    const w = world();
    const state = await killedAfter(w, 0);
    expect(await undo(w.settings, state, w.deps)).toEqual([]);
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('keeps the new key when a restore fails (both keys Active: every target works)', async () => {
    const w = world();
    const state = await killedAfter(w, 1);
    w.gh.fail('putSecret', githubError(403, 'forbidden'), { times: 10 });
    const warnings = await undo(w.settings, state, w.deps);
    expect(warnings.join('\n')).toMatch(
      /could not restore the old key.*HTTP 403[\s\S]*is kept, since a target may still hold it/,
    );
    expect(w.aws.ids()).toHaveLength(2);
    w.assertInvariant();
  });

  it('a restore that stops between its two writes writes the complete old pair once more', async () => {
    const w = world();
    const state = await killedAfter(w, 1);
    w.gh.fail('putSecret', githubError(403, 'forbidden'), {
      when: (c) => c.scope === 'repo:octo/app' && c.name === 'AWS_ACCESS_KEY_ID',
    });
    expect(await undo(w.settings, state, w.deps)).toEqual([]);
    w.assertAllHold(OLD);
    w.assertInvariant();
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
  });

  it('a restore that stops halfway twice names the target as possibly mismatched', async () => {
    const w = world();
    const state = await killedAfter(w, 1);
    w.gh.fail('putSecret', githubError(403, 'forbidden'), {
      times: 2,
      when: (c) => c.scope === 'repo:octo/app' && c.name === 'AWS_ACCESS_KEY_ID',
    });
    const warnings = await undo(w.settings, state, w.deps);
    expect(warnings.join('\n')).toMatch(
      /repo:octo\/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY MAY HOLD A MISMATCHED PAIR[\s\S]*is kept/,
    );
    expect(w.aws.ids()).toHaveLength(2);
  });

  it('a new key already gone counts as deleted', async () => {
    const w = world();
    const state = await killedAfter(w, 0);
    w.aws.keys.delete(state.newKeyId);
    expect(await undo(w.settings, state, w.deps)).toEqual([]);
  });

  it('warns about a pending target that is no longer among the inputs', async () => {
    const w = world();
    const warnings = await undo(
      w.settings,
      { newKeyId: 'AKIAX', pending: ['repo:gone/away A B'], committed: false, finished: false },
      w.deps,
    );
    expect(warnings[0]).toMatch(/is not among the targets any more/);
  });
});
