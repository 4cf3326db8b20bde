/** Step 4: writing every target, and the rollback when one fails (including a restore that stops halfway). */
import { RotationContext } from '../../../src/rotate/context.js';
import { targetLabel, type Target } from '../../../src/rotate/targets.js';
import { rollBack } from '../../../src/rotate/write-targets.js';
import { githubError, OLD } from '../../../__fixtures__/rotate-fakes.js';
import { world, type World } from '../../../__fixtures__/rotate-engine.js';

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

describe('group 8c: what the rollback logs, records and says, target by target', () => {
  const at = (scope: string, name?: string) => (c: { scope?: string; name?: string }) =>
    c.scope === scope && (name === undefined || c.name === name);
  const REPO = 'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY';
  const ENV = 'env:octo/app/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY';
  const ORG = 'org:octo CI_AWS_KEY_ID CI_AWS_SECRET';
  const refused = githubError(422, 'Validation Failed');
  const failedWrite = (scope: string, name: string) =>
    `writing ${scope} ${name} failed: HTTP 422: Validation Failed`;
  /** The cause every test here starts from: the organization's first write is refused, nothing of it lands. */
  const CAUSE = failedWrite('org:octo', 'CI_AWS_SECRET');
  const WORKS =
    'each of them holds the complete new pair …0001, so every target still works; the post step retries the restore, and the next run converges from either key';
  const MISMATCHED =
    "MAY HOLD A MISMATCHED PAIR (one key's ID with the other key's secret) and may not work: write the pair of the old or the new key into";
  const halfWritten = (label: string, why: string) =>
    `${label}: the restore stopped with the pair possibly half written (${why}); writing the complete new pair instead.`;

  /** The organization's first write is refused, so the repository and the environment are rolled back. */
  function thirdRefused(inputs: Record<string, string> = {}): World {
    const w = world(inputs);
    w.gh.fail('putSecret', refused, { when: at('org:octo', 'CI_AWS_SECRET') });
    return w;
  }

  /** Restoring the repository, its key ID is refused; rolling it forward, its secret is refused: old secret, new key ID. */
  function repoMismatched(w: World): void {
    w.gh.fail('putSecret', refused, { skip: 1, when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID') });
    w.gh.fail('putSecret', refused, {
      skip: 2,
      when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'),
    });
  }

  it('a restore refused before anything lands: the target keeps the complete new pair, is not rolled forward, and each step is logged', async () => {
    const w = thirdRefused();
    w.gh.fail('putSecret', refused, {
      skip: 1,
      when: at('repo:octo/app', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    const restore = failedWrite('repo:octo/app', 'AWS_SECRET_ACCESS_KEY');
    expect(report.error).toBe(
      `${CAUSE}. ROLLBACK INCOMPLETE: 1 target(s) could not be restored to the old key: ${restore}. Both keys are left Active; ${WORKS}`,
    );
    expect(w.runner.warnings).toEqual([`Rollback incomplete: ${restore}`]);
    expect(w.runner.infos).toEqual(
      expect.arrayContaining([
        `${REPO}: now holds the new key …0001.`,
        `${ENV}: now holds the new key …0001.`,
        `${ENV}: restored to the old key.`,
      ]),
    );
    expect(w.runner.infos).not.toContain(`${REPO}: restored to the old key.`);
    expect(report.targets).toEqual([
      { label: REPO, outcome: 'not restored', note: 'holds the complete new pair' },
      { label: ENV, outcome: 'restored' },
      { label: ORG, outcome: 'unchanged' },
    ]);
    // The new pair is written once, never again: the refused restore changed nothing.
    const repo = w.settings.targets[0] as Target;
    expect(w.gh.writes(repo.scope, repo.secretName)).toBe(1);
    expect(w.gh.writes(repo.scope, repo.idName)).toBe(1);
    w.assertInvariant();
  });

  it('rolling forward, a key ID that already held the new key and may have been rewritten still counts as the new key', async () => {
    const w = thirdRefused({ 'retry-max-attempts': '1' });
    // The restore writes the old secret, then its key ID is refused; rolling forward, the
    // new secret lands and the new key ID gets no answer (5xx).
    w.gh.fail('putSecret', refused, { skip: 1, when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID') });
    w.gh.fail('putSecret', githubError(500, 'Server Error'), {
      skip: 1,
      when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID'),
    });
    const report = await w.run();
    const restore = failedWrite('repo:octo/app', 'AWS_ACCESS_KEY_ID');
    const failed = `${restore} | rolling ${REPO} forward to the new pair: writing repo:octo/app AWS_ACCESS_KEY_ID failed: HTTP 500: Server Error — GitHub did not answer in time or was unavailable; run again`;
    expect(report.error).toBe(
      `${CAUSE}. ROLLBACK INCOMPLETE: 1 target(s) could not be restored to the old key: ${failed}. Both keys are left Active; ${WORKS}`,
    );
    expect(w.runner.warnings).toEqual([
      halfWritten(REPO, restore),
      `Rollback incomplete: ${failed}`,
    ]);
    expect(report.targets).toEqual([
      { label: REPO, outcome: 'not restored', note: 'holds the complete new pair' },
      { label: ENV, outcome: 'restored' },
      { label: ORG, outcome: 'unchanged' },
    ]);
    w.assertInvariant();
  });

  it('two targets whose restore and roll-forward both fail: both named, "them", every failure listed, and no claim that the others hold the new pair', async () => {
    const w = thirdRefused();
    repoMismatched(w);
    w.gh.fail('putSecret', refused, {
      skip: 1,
      when: at('env:octo/app/production', 'AWS_ACCESS_KEY_ID'),
    });
    w.gh.fail('putSecret', refused, {
      skip: 2,
      when: at('env:octo/app/production', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    const repoRestore = failedWrite('repo:octo/app', 'AWS_ACCESS_KEY_ID');
    const envRestore = failedWrite('env:octo/app/production', 'AWS_ACCESS_KEY_ID');
    const failed = [
      repoRestore,
      `rolling ${REPO} forward to the new pair: ${failedWrite('repo:octo/app', 'AWS_SECRET_ACCESS_KEY')}`,
      envRestore,
      `rolling ${ENV} forward to the new pair: ${failedWrite('env:octo/app/production', 'AWS_SECRET_ACCESS_KEY')}`,
    ].join(' | ');
    expect(report.error).toBe(
      `${CAUSE}. ROLLBACK INCOMPLETE: 2 target(s) could not be restored to the old key: ${failed}. Both keys are left Active; ${REPO}, ${ENV} ${MISMATCHED} them by hand`,
    );
    expect(w.runner.warnings).toEqual([
      halfWritten(REPO, repoRestore),
      halfWritten(ENV, envRestore),
      `Rollback incomplete: ${failed}`,
    ]);
    expect(report.targets).toEqual([
      { label: REPO, outcome: 'mismatched', note: 'restore and roll-forward both failed' },
      { label: ENV, outcome: 'mismatched', note: 'restore and roll-forward both failed' },
      { label: ORG, outcome: 'unchanged' },
    ]);
    expect(w.aws.ids().map((id) => w.aws.status(id))).toEqual(['Active', 'Active']);
  });

  it('one target possibly mismatched and another left with the new pair: "it", and the other unrestored target is said to hold the complete new pair', async () => {
    const w = thirdRefused();
    repoMismatched(w);
    w.gh.fail('putSecret', refused, {
      skip: 1,
      when: at('env:octo/app/production', 'AWS_SECRET_ACCESS_KEY'),
    });
    const report = await w.run();
    const repoRestore = failedWrite('repo:octo/app', 'AWS_ACCESS_KEY_ID');
    const failed = [
      repoRestore,
      `rolling ${REPO} forward to the new pair: ${failedWrite('repo:octo/app', 'AWS_SECRET_ACCESS_KEY')}`,
      failedWrite('env:octo/app/production', 'AWS_SECRET_ACCESS_KEY'),
    ].join(' | ');
    expect(report.error).toBe(
      `${CAUSE}. ROLLBACK INCOMPLETE: 2 target(s) could not be restored to the old key: ${failed}. Both keys are left Active; ${REPO} ${MISMATCHED} it by hand; the other unrestored target(s) hold the complete new pair`,
    );
    expect(w.runner.warnings).toEqual([
      halfWritten(REPO, repoRestore),
      `Rollback incomplete: ${failed}`,
    ]);
    expect(report.targets).toEqual([
      { label: REPO, outcome: 'mismatched', note: 'restore and roll-forward both failed' },
      { label: ENV, outcome: 'not restored', note: 'holds the complete new pair' },
      { label: ORG, outcome: 'unchanged' },
    ]);
  });

  it('a pending target that holds the old pair in both secrets is not written, nor its public key fetched', async () => {
    const w = world();
    const ctx = new RotationContext(w.settings, w.deps);
    ctx.state.pending = [REPO];
    await expect(rollBack(ctx, 'the cause')).rejects.toHaveProperty(
      'message',
      'the cause. Rolled back: 1 target(s) restored to the old key, and no new key is left',
    );
    expect(w.gh.calls).toEqual([]);
    expect(w.runner.infos).toEqual([`${REPO}: restored to the old key.`]);
    expect(ctx.report.targets[0]).toEqual({ label: REPO, outcome: 'restored' });
    expect(ctx.state.pending).toEqual([]);
  });

  it('rolling forward with no new pair in hand writes nothing and fails as an internal error', async () => {
    const w = world();
    const ctx = new RotationContext(w.settings, w.deps);
    ctx.state.pending = [REPO];
    Object.assign(ctx.holding(REPO), { secret: 'new', id: 'new' });
    w.gh.fail('putSecret', refused, { when: at('repo:octo/app', 'AWS_ACCESS_KEY_ID') });
    await expect(rollBack(ctx, 'the cause')).rejects.toThrow('ROLLBACK INCOMPLETE');
    expect(w.runner.warnings.at(-1)).toBe(
      `Rollback incomplete: ${failedWrite('repo:octo/app', 'AWS_ACCESS_KEY_ID')} | rolling ${REPO} forward to the new pair: internal: no new key to write`,
    );
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toHaveLength(2);
    expect(ctx.report.targets[0]).toEqual({
      label: REPO,
      outcome: 'mismatched',
      note: 'restore and roll-forward both failed',
    });
  });
});
