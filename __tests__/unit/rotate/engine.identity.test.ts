/**
 * The identity check of the new key: GetCallerIdentity must name the user whose key is
 * rotated. A key of another principal of the same account authenticates just as well, and
 * writing it into the targets would hand the workflows someone else's rights.
 */
import { engineWorld } from '../../../__fixtures__/rotate-engine.js';
import { ACCOUNT, OLD, USER_ARN } from '../../../__fixtures__/rotate-fakes.js';

const OTHER = `arn:aws:iam::${ACCOUNT}:user/ci/someone-else`;

describe('the new key must belong to the user', () => {
  it('a new key that answers as another principal is deleted, and no target is written', async () => {
    const w = engineWorld();
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
    const w = engineWorld();
    let calls = 0;
    w.aws.identityOf = (id) => (id !== OLD.accessKeyId && ++calls === 2 ? OTHER : USER_ARN);
    const report = await w.run();
    expect(report.error).toContain(`answered ${OTHER}, not ${USER_ARN}`);
    expect(calls).toBe(2);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('after the old key is deactivated, a foreign answer rolls back to the old key', async () => {
    const w = engineWorld();
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
