import { decide, formatAge, planLines, shortKey, userFromArn } from '../../../src/rotate/plan.js';
import type { AccessKey } from '../../../src/rotate/ports.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const CURRENT: AccessKey = {
  id: 'AKIACURRENTKEY000001',
  status: 'Active',
  createdAt: new Date('2026-01-01T00:00:00Z'),
};
const OTHER: AccessKey = {
  id: 'AKIAOTHERKEY00000002',
  status: 'Active',
  createdAt: new Date('2025-01-01T00:00:00Z'),
};
const base = { currentId: CURRENT.id, secondKey: 'retire' as const, now: NOW };

describe('userFromArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/ci-bot', 'ci-bot'],
    ['arn:aws:iam::123456789012:user/ci/deploy/ci-bot', 'ci-bot'],
    ['arn:aws-cn:iam::123456789012:user/x', 'x'],
  ])('%s is user %s', (arn, name) => {
    expect(userFromArn(arn)).toEqual({ arn, userName: name, accountId: '123456789012' });
  });

  it.each([
    ['arn:aws:sts::123456789012:assumed-role/r/s', /assumed-role/],
    ['arn:aws:sts::123456789012:federated-user/bob', /federated user/],
    ['arn:aws:iam::123456789012:root', /root user/],
    ['arn:aws:iam::123456789012:role/x', /not an IAM user/],
    ['nonsense', /not an IAM user/],
  ])('refuses %s', (arn, message) => {
    expect(() => userFromArn(arn)).toThrow(message);
  });
});

describe('decide', () => {
  it('rotates a lone Active key', () => {
    expect(decide({ ...base, keys: [CURRENT] })).toEqual({ kind: 'rotate', current: CURRENT });
  });

  it('makes room for a second key', () => {
    expect(decide({ ...base, keys: [OTHER, CURRENT] })).toEqual({
      kind: 'rotate',
      current: CURRENT,
      other: OTHER,
    });
  });

  it('refuses a key not in the list, and an Inactive one', () => {
    expect(() => decide({ ...base, keys: [OTHER] })).toThrow(
      /the input key …0001 is not among the user's access keys \(…0002\)/,
    );
    expect(() => decide({ ...base, keys: [] })).toThrow(/\(none\)/);
    expect(() => decide({ ...base, keys: [{ ...CURRENT, status: 'Inactive' }] })).toThrow(
      /is Inactive/,
    );
  });

  it('skips a key younger than min-age', () => {
    expect(decide({ ...base, keys: [CURRENT], minAgeMs: 200 * 86_400_000 })).toEqual({
      kind: 'skip',
      reason: 'the key …0001 is 151d old, younger than min-age 200d',
    });
    expect(decide({ ...base, keys: [CURRENT], minAgeMs: 100 * 86_400_000 }).kind).toBe('rotate');
  });

  it('min-age with a second key: makes room first, then skips (a failed run never blocks the next)', () => {
    const young = { ...base, keys: [CURRENT, OTHER], minAgeMs: 200 * 86_400_000 };
    const d = decide(young);
    expect(d).toEqual({
      kind: 'rotate',
      current: CURRENT,
      other: OTHER,
      skipAfterRoom: 'the key …0001 is 151d old, younger than min-age 200d',
    });
    expect(
      planLines(d, userFromArn('arn:aws:iam::123456789012:user/ci-bot'), {
        targets: ['repo:o/r A B'],
        graceSeconds: 0,
        deleteOldKey: true,
        verifySuccesses: 3,
      }),
    ).toEqual([
      'Make room: rewrite 1 target(s) with the current key …0001, then deactivate and delete the second key …0002 (Active).',
      'Then skip: the key …0001 is 151d old, younger than min-age 200d.',
    ]);
    // second-key: strict still stops before making room.
    expect(() =>
      decide({ ...young, secondKey: 'strict', otherLastUsed: { date: new Date(NOW) } }),
    ).toThrow(/second-key: strict/);
  });

  it('with strict, stops on an Active used second key only', () => {
    const strict = { ...base, secondKey: 'strict' as const };
    const used = { date: new Date('2026-05-01T00:00:00Z'), service: 's3' };
    expect(() => decide({ ...strict, keys: [CURRENT, OTHER], otherLastUsed: used })).toThrow(
      /second key …0002 is Active and was last used 2026-05-01T00:00:00.000Z \(s3\)/,
    );
    expect(decide({ ...strict, keys: [CURRENT, OTHER], otherLastUsed: {} }).kind).toBe('rotate');
    expect(() => decide({ ...strict, keys: [CURRENT, OTHER] })).toThrow(
      /second key …0002 is Active and when it was last used is unknown \(GetAccessKeyLastUsed failed\): with second-key: strict/,
    );
    expect(
      decide({ ...strict, keys: [CURRENT, { ...OTHER, status: 'Inactive' }], otherLastUsed: used })
        .kind,
    ).toBe('rotate');
    expect(decide({ ...base, keys: [CURRENT, OTHER], otherLastUsed: used }).kind).toBe('rotate');
  });
});

describe('planLines', () => {
  const user = {
    arn: 'arn:aws:iam::123456789012:user/ci-bot',
    userName: 'ci-bot',
    accountId: '123456789012',
  };
  const o = { targets: ['repo:o/r A B'], graceSeconds: 0, deleteOldKey: true, verifySuccesses: 3 };

  it('lists the steps', () => {
    expect(
      planLines(
        { kind: 'rotate', current: CURRENT, other: { ...OTHER, status: 'Inactive' } },
        user,
        { ...o, graceSeconds: 30, deleteOldKey: false },
      ),
    ).toEqual([
      'Make room: rewrite 1 target(s) with the current key …0001, then deactivate and delete the second key …0002 (Inactive).',
      'Create a new access key for ci-bot and verify it (3 consecutive GetCallerIdentity successes, then ListAccessKeys).',
      'Write the new pair to repo:o/r A B.',
      'Wait 30 s for jobs that started with the old key.',
      'Deactivate the old key …0001 and verify the new key again.',
      'Keep the old key …0001 Inactive (delete-old-key: false).',
    ]);
    expect(planLines({ kind: 'skip', reason: 'young' }, user, o)).toEqual(['Skip: young.']);
  });
});

describe('formatAge and shortKey', () => {
  it.each([
    [5000, '5s'],
    [61_000, '1m'],
    [7_200_000, '2h'],
    [90_000_000, '1d'],
    [-5, '0s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
  it('shows the last four characters', () => {
    expect(shortKey('AKIAABCDEFGH1234')).toBe('…1234');
  });
});
