/** The post step's undo: the old pair back into every pending target, then the new key deleted. */
import { undo } from '../../../src/rotate/undo.js';
import type { RotationState } from '../../../src/rotate/state.js';
import { targetLabel, type Target } from '../../../src/rotate/targets.js';
import { awsError, fakeSeal, githubError, OLD } from '../../../__fixtures__/rotate-fakes.js';
import { world, type World } from '../../../__fixtures__/rotate-engine.js';

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

describe('undo: what the log says', () => {
  async function killedAfterOne(w: World): Promise<RotationState> {
    const fresh = await w.aws.createAccessKey(OLD, 'ci-bot');
    return {
      newKeyId: fresh.id,
      pending: [targetLabel(w.settings.targets[0] as Target)],
      committed: false,
      finished: false,
    };
  }

  it('each restored target, then the deleted new key, are said', async () => {
    const w = world();
    const state = await killedAfterOne(w);
    expect(await undo(w.settings, state, w.deps)).toEqual([]);
    expect(w.runner.infos).toEqual([
      'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY: restored to the old key …0001.',
      `Deleted the new key …${state.newKeyId.slice(-4)}: the targets hold the old key again.`,
    ]);
  });

  it('a restore stopped halfway is a warning, and is written again', async () => {
    const w = world();
    const state = await killedAfterOne(w);
    w.gh.fail('putSecret', githubError(403, 'forbidden'), {
      when: (c) => c.name === 'AWS_ACCESS_KEY_ID',
    });
    expect(await undo(w.settings, state, w.deps)).toEqual([]);
    expect(w.runner.warnings).toEqual([
      expect.stringMatching(
        /^repo:octo\/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY: .*403.*, after part of the old pair was written; writing it again\.$/,
      ),
    ]);
  });

  it('a new key that cannot be deleted is a warning naming the permission', async () => {
    const w = world();
    const state = await killedAfterOne(w);
    w.aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403));
    const warnings = await undo(w.settings, state, w.deps);
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^deleting the new key …${state.newKeyId.slice(-4)} failed: AccessDenied.*the IAM user may not call iam:DeleteAccessKey.*; the next run retires it$`,
        ),
      ),
    ]);
    expect(w.aws.ids()).toHaveLength(2);
  });
});
