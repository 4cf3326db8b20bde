/** Step 4: writing every target, and the rollback when one fails (including a restore that stops halfway). */
import { targetLabel, type Target } from '../../../src/rotate/targets.js';
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
