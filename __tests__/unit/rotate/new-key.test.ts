/** Steps 2 and 3: CreateAccessKey and its orphans, verifying the new key, and deleting it again when that fails. */
import { ACCOUNT, awsError, OLD, USER_ARN } from '../../../__fixtures__/rotate-fakes.js';
import { world } from '../../../__fixtures__/rotate-engine.js';
import { RotationContext } from '../../../src/rotate/context.js';
import { deleteNewKey } from '../../../src/rotate/new-key.js';

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

/*
 * The identity check of the new key: GetCallerIdentity must name the user whose key is
 * rotated. A key of another principal of the same account authenticates just as well, and
 * writing it into the targets would hand the workflows someone else's rights.
 */
const OTHER = `arn:aws:iam::${ACCOUNT}:user/ci/someone-else`;

describe('the new key must belong to the user', () => {
  it('a new key that answers as another principal is deleted, and no target is written', async () => {
    const w = world();
    w.aws.identityOf = (id) => (id === OLD.accessKeyId ? USER_ARN : OTHER);
    const report = await w.run();
    expect(report.rotated).toBe(false);
    expect(report.error).toContain(
      `the new key …0001 failed verification: GetCallerIdentity with it answered ${OTHER}, not ${USER_ARN}; the new key …0001 was deleted`,
    );
    expect(w.aws.ids()).toEqual([OLD.accessKeyId]);
    expect(w.aws.status(OLD.accessKeyId)).toBe('Active');
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
    for (const t of w.settings.targets) expect(w.pair(t)).toEqual(OLD);
  });

  it('one foreign answer among successes is not outvoted: it fails at once', async () => {
    const w = world();
    let calls = 0;
    w.aws.identityOf = (id) => (id !== OLD.accessKeyId && ++calls === 2 ? OTHER : USER_ARN);
    const report = await w.run();
    expect(report.error).toContain(`answered ${OTHER}, not ${USER_ARN}`);
    expect(calls).toBe(2);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('after the old key is deactivated, a foreign answer rolls back to the old key', async () => {
    const w = world();
    let deactivated = false;
    const update = w.aws.updateAccessKey.bind(w.aws);
    w.aws.updateAccessKey = async (signer, user, keyId, status) => {
      await update(signer, user, keyId, status);
      if (keyId === OLD.accessKeyId && status === 'Inactive') deactivated = true;
    };
    w.aws.identityOf = (id) => (id !== OLD.accessKeyId && deactivated ? OTHER : USER_ARN);
    const report = await w.run();
    expect(report.rotated).toBe(false);
    expect(report.error).toMatch(
      new RegExp(`failed verification after the old key was deactivated: .*answered ${OTHER}`),
    );
    expect(w.aws.status(OLD.accessKeyId)).toBe('Active');
    for (const t of w.settings.targets) expect(w.pair(t)).toEqual(OLD);
  });
});

describe('steps 2 and 3: what is said, and the deadlines exactly', () => {
  const isNew = (c: { signer?: string }): boolean => c.signer !== OLD.accessKeyId;
  const refused = awsError('InvalidClientTokenId', 'invalid', 403);

  it('a created key is said; a retried CreateAccessKey is said; IAM access is said', async () => {
    const w = world();
    w.aws.fail('CreateAccessKey', awsError('ServiceUnavailable', 'busy', 503));
    await w.run();
    expect(w.runner.infos).toEqual(
      expect.arrayContaining([
        'CreateAccessKey try 1 failed (busy); retrying.',
        'Created the new key …0001.',
        'The new key may call IAM (ListAccessKeys).',
      ]),
    );
  });

  it('a refusal that is not retryable lists no keys to clean up, and names the permission', async () => {
    const w = world();
    w.aws.fail('CreateAccessKey', awsError('AccessDenied', 'no', 403));
    const report = await w.run();
    expect(report.error).toContain('the IAM user may not call iam:CreateAccessKey');
    // Only the preflight's listing: a refusal created nothing.
    expect(w.aws.calls.filter((c) => c.op === 'ListAccessKeys')).toHaveLength(1);
  });

  it('a failed clean-up is its own failure (not wrapped as CreateAccessKey), naming both permissions', async () => {
    const w = world();
    w.aws.fail('CreateAccessKey', awsError('InternalFailure', 'internal', 500), { after: true });
    w.aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403));
    const report = await w.run();
    expect(report.error).toMatch(/^cleaning up after an unanswered CreateAccessKey failed: /);
    expect(report.error).toContain(
      'the IAM user may not call iam:ListAccessKeys and iam:DeleteAccessKey',
    );
  });

  it('refusals before any success are not "counting again"', async () => {
    const w = world();
    w.aws.fail('GetCallerIdentity', refused, { times: 2, when: isNew });
    expect((await w.run()).rotated).toBe(true);
    expect(w.runner.infos.filter((l) => /counting again/.test(l))).toEqual([]);
  });

  it('successes too slow for the deadline: it fails with no refusal to name, after the last try that fits', async () => {
    const w = world({ 'verify-timeout-seconds': '1', 'verify-interval-seconds': '1' });
    const report = await w.run();
    // Tried at 0 s and at 1 s (the deadline itself); a third try would be past it.
    expect(report.error).toMatch(
      /the new key …0001 failed verification: it was not accepted 3 times in a row within 1 s \(2 tries\); the new key …0001 was deleted/,
    );
  });

  it('GetCallerIdentity denied to the new key names sts:GetCallerIdentity', async () => {
    const w = world();
    w.aws.fail('GetCallerIdentity', awsError('AccessDenied', 'no', 403), { when: isNew });
    expect((await w.run()).error).toContain('the IAM user may not call sts:GetCallerIdentity');
  });

  it('IAM refusing the new key until the deadline: fails, after the last try that fits', async () => {
    // Three successes take two intervals (at 0, 1, 2 s); the deadline is 3 s: ListAccessKeys is
    // tried at 2 s and at 3 s, and not again.
    const w = world({ 'verify-timeout-seconds': '3', 'verify-interval-seconds': '1' });
    w.aws.fail('ListAccessKeys', refused, { times: 1000, when: isNew });
    const report = await w.run();
    expect(report.error).toMatch(
      /failed verification: ListAccessKeys with the new key failed: InvalidClientTokenId/,
    );
    expect(w.aws.calls.filter((c) => c.op === 'ListAccessKeys' && isNew(c))).toHaveLength(2);
  });

  it('a new key that cannot be deleted names iam:DeleteAccessKey', async () => {
    const w = world({ 'verify-timeout-seconds': '5' });
    w.aws.fail('GetCallerIdentity', refused, { times: 1000, when: isNew });
    w.aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403), { times: 100 });
    expect((await w.run()).error).toContain('the IAM user may not call iam:DeleteAccessKey');
  });
});

describe('deleteNewKey', () => {
  it('with no new key recorded: nothing to delete, and says so', async () => {
    const w = world();
    const ctx = new RotationContext(w.settings, w.deps);
    expect(await deleteNewKey(ctx)).toBe('no new key is left');
    expect(w.aws.calls.filter((c) => c.op === 'DeleteAccessKey')).toEqual([]);
  });
});
