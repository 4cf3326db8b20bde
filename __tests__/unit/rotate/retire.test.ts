/** Steps 6–8: retiring the old key, and undoing the rotation when the new key fails step 7. */
import { awsError, OLD } from '../../../__fixtures__/rotate-fakes.js';
import { world } from '../../../__fixtures__/rotate-engine.js';

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

describe('retiring the old key: what is said and recorded', () => {
  it('a rotation: the deactivation and the delete are each said', async () => {
    const w = world();
    await w.run();
    expect(w.runner.infos).toContain('Deactivated the old key …0001.');
    expect(w.runner.infos).toContain('Deleted the old key …0001, signed with the new key.');
  });

  it('delete-old-key false: kept Inactive, and said', async () => {
    const w = world({ 'delete-old-key': 'false' });
    expect((await w.run()).oldKey).toBe('inactive');
    expect(w.runner.infos).toContain('Kept the old key …0001 Inactive (delete-old-key: false).');
  });

  it('a refused deactivation or delete names the permission the user lacks', async () => {
    const refusedUpdate = world();
    refusedUpdate.aws.fail('UpdateAccessKey', awsError('AccessDenied', 'no', 403));
    await refusedUpdate.run();
    expect(refusedUpdate.runner.warnings.join('\n')).toContain(
      'the IAM user may not call iam:UpdateAccessKey',
    );
    const refusedDelete = world();
    refusedDelete.aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403), { times: 100 });
    await refusedDelete.run();
    expect(refusedDelete.runner.warnings.join('\n')).toContain(
      'the IAM user may not call iam:DeleteAccessKey',
    );
  });

  const failingVerification = (w: ReturnType<typeof world>): void =>
    w.aws.fail('GetCallerIdentity', awsError('InvalidClientTokenId', 'invalid', 403), {
      skip: 3,
      times: 1000,
      when: (c) => c.signer !== OLD.accessKeyId,
    });

  it('verify again fails: reactivated once, recorded as uncommitted with every target pending, then rolled back', async () => {
    const w = world({ 'verify-timeout-seconds': '3' });
    failingVerification(w);
    const report = await w.run();
    expect(report.error).not.toMatch(/Reactivating/);
    expect(w.runner.infos.filter((l) => l === 'Reactivated the old key …0001.')).toHaveLength(1);
    const labels = report.targets.map((t) => t.label);
    const committedAt = w.states.findIndex((x) => x.committed);
    const reactivated = w.states.find(
      (s, i) => i > committedAt && s.pending.length === labels.length,
    );
    expect(reactivated).toMatchObject({ committed: false, pending: labels });
  });

  it('verify again fails and reactivation fails with either key: both reasons, in order', async () => {
    const w = world({ 'verify-timeout-seconds': '3' });
    failingVerification(w);
    w.aws.fail('UpdateAccessKey', awsError('AccessDenied', 'refused to the new key', 403), {
      times: 100,
      when: (c) => c.name === 'Active' && c.signer !== OLD.accessKeyId,
    });
    w.aws.fail('UpdateAccessKey', awsError('AccessDenied', 'refused to the old key', 403), {
      times: 100,
      when: (c) => c.name === 'Active' && c.signer === OLD.accessKeyId,
    });
    const report = await w.run();
    expect(report.error).toContain(
      'Reactivating the old key …0001 failed too (refused to the new key | refused to the old key): the targets hold the new key; reactivate the old key in IAM',
    );
  });
});
