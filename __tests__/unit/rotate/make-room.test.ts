/** Step 1, make room: a second key exists; every target is rewritten with the current pair before it is retired. */
import { awsError, githubError, OLD } from '../../../__fixtures__/rotate-fakes.js';
import { world, MUTATING } from '../../../__fixtures__/rotate-engine.js';

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
        expect(w.runner.infos.join('\n')).toContain('second key …0002 (Active, last use unknown)');
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
    expect(report.targets[1]?.note).toBe(
      'a rewrite with the current key stopped halfway; retried, failed again',
    );
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
  });

  it('an Inactive second key that cannot be deleted: the error names the one permission used', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    w.aws.fail(
      'DeleteAccessKey',
      awsError('AccessDenied', 'not authorized to perform: iam:DeleteAccessKey', 403),
    );
    const report = await w.run();
    expect(report.error).toMatch(/retiring the second key …0002 failed: AccessDenied/);
    // Deleting an Inactive key takes no deactivation: the hint names only the delete.
    expect(report.error).toContain('the IAM user may not call iam:DeleteAccessKey;');
  });

  it.each([
    ['Active', new Date('2026-05-30T00:00:00Z'), 'Active, last used 2026-05-30T00:00:00.000Z'],
    ['Active', undefined, 'Active, never used'],
  ] as const)(
    'the log names the second key, its status and its last use (%s)',
    async (status, lastUsed, said) => {
      const w = world();
      w.aws.addKey('AKIASECONDSECOND0002', status, lastUsed ? { lastUsed } : {});
      await w.run();
      expect(w.runner.infos).toContain(
        `The user already has a second key …0002 (${said}). Rewriting every target with the current key before retiring it.`,
      );
      expect(w.runner.infos).toContain('Deleted the second key …0002.');
      // Each target is named as it is rewritten, before the second key goes.
      const rewritten = w.runner.infos.filter((l) => / rewritten with the current key …/.test(l));
      expect(rewritten).toHaveLength(w.settings.targets.length);
    },
  );

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

describe('what the report says of a target that was only made room for', () => {
  it('a rotation that stops after step 1 names every target "unchanged, rewritten with the current key"', async () => {
    const w = world();
    w.aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    w.aws.fail(
      'CreateAccessKey',
      awsError('AccessDenied', 'not authorized to perform: iam:CreateAccessKey', 403),
    );
    const report = await w.run();
    expect(report.error).toMatch(/CreateAccessKey/);
    expect(report.targets.map((t) => [t.outcome, t.note])).toEqual(
      w.settings.targets.map(() => ['unchanged', 'rewritten with the current key']),
    );
  });
});
