/** The rotation engine with fake ports: the steps in order, a stale input key, dry-run and min-age. */
import type { Target } from '../../../src/rotate/targets.js';
import { OLD } from '../../../__fixtures__/rotate-fakes.js';
import { world, assertNothingChanged, MUTATING, NOW } from '../../../__fixtures__/rotate-engine.js';

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

describe('what the log shows of each step', () => {
  const groups = (w: ReturnType<typeof world>): string[] =>
    w.runner.of('group').map((e) => e.value);

  it('a rotation with a grace period: one group per step, in order, and the wait said', async () => {
    const w = world({ 'grace-seconds': '7' });
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    expect((await w.run()).rotated).toBe(true);
    expect(groups(w)).toEqual([
      'Preflight (changes nothing)',
      'Step 1: make room for the new key',
      'Step 2: create the new key',
      'Step 3: verify the new key',
      'Step 4: write the new pair to every target',
      'Step 5: grace period',
      'Steps 6–8: retire the old key',
    ]);
    expect(w.runner.infos).toContain(
      'Waiting 7 s so that jobs that started with the old key can finish.',
    );
    expect(w.slept).toContain(7000);
    expect(w.runner.infos.filter((l) => l.startsWith('Plan: ')).length).toBeGreaterThan(0);
  });

  it('no grace period: no step 5 and no wait', async () => {
    const w = world({ 'grace-seconds': '0' });
    expect((await w.run()).rotated).toBe(true);
    expect(groups(w)).not.toContain('Step 5: grace period');
    expect(w.runner.infos.filter((l) => l.startsWith('Waiting '))).toEqual([]);
  });

  it('dry run: says so, and prefixes the plan with "Would: " (never "Plan: ")', async () => {
    const w = world({ 'dry-run': 'true' });
    await w.run();
    expect(w.runner.infos).toContain('Dry run: nothing was changed.');
    expect(w.runner.infos.filter((l) => l.startsWith('Plan: '))).toEqual([]);
    expect(groups(w)).toEqual(['Preflight (changes nothing)']);
  });

  it('dry run with a second key and min-age: each target would be rewritten, none is planned', async () => {
    const w = world({ 'dry-run': 'true', 'min-age': '30d' });
    w.aws.keys.get(OLD.accessKeyId)!.createdAt = new Date(NOW - 3 * 86_400_000);
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    const report = await w.run();
    expect(report.targets.map((t) => [t.outcome, t.note])).toEqual(
      report.targets.map(() => [
        'unchanged',
        'would be rewritten with the current key; min-age then skips',
      ]),
    );
  });

  it('min-age after making room: the skip is said', async () => {
    const w = world({ 'min-age': '30d' });
    w.aws.keys.get(OLD.accessKeyId)!.createdAt = new Date(NOW - 3 * 86_400_000);
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    await w.run();
    expect(w.runner.infos).toContain(
      'Skipping the rotation: the key …0001 is 3d old, younger than min-age 30d.',
    );
  });
});
