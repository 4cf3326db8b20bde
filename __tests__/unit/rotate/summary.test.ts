import type { RotationReport } from '../../../src/rotate/context.js';
import { outputsOf, renderSummary } from '../../../src/rotate/summary.js';

const user = {
  arn: 'arn:aws:iam::123456789012:user/ci-bot',
  userName: 'ci-bot',
  accountId: '123456789012',
};
const base: RotationReport = {
  oldKeyId: 'AKIAOLD0000000000001',
  rotated: false,
  dryRun: false,
  plan: [],
  targets: [{ label: 'repo:o/r A B', outcome: 'unchanged' }],
};

describe('outputsOf', () => {
  it('gives the new key ID only for a completed rotation', () => {
    expect(outputsOf({ ...base, rotated: true, newKeyId: 'AKIANEW0000000000002' })).toEqual([
      ['new-access-key-id', 'AKIANEW0000000000002'],
      ['old-access-key-id', 'AKIAOLD0000000000001'],
      ['rotated', 'true'],
    ]);
    expect(outputsOf({ ...base, newKeyId: 'AKIANEW0000000000002', error: 'x' })).toEqual([
      ['new-access-key-id', ''],
      ['old-access-key-id', 'AKIAOLD0000000000001'],
      ['rotated', 'false'],
    ]);
  });
});

describe('renderSummary', () => {
  it('shows a rotation', () => {
    expect(
      renderSummary({
        ...base,
        user,
        rotated: true,
        newKeyId: 'AKIANEW0000000000002',
        oldKey: 'deleted',
        targets: [{ label: 'repo:o/r A B', outcome: 'rotated' }],
      }),
    ).toBe(
      [
        '### AWS access key rotation: rotated',
        '',
        'IAM user: `arn:aws:iam::123456789012:user/ci-bot`',
        '',
        '- Old key: `…0001` (deleted)',
        '- New key: `…0002`',
        '',
        '| Target | Result |',
        '| --- | --- |',
        '| `repo:o/r A B` | holds the new key |',
        '',
      ].join('\n'),
    );
  });

  it('shows a failure with per-target results, escaping table characters', () => {
    const text = renderSummary({
      ...base,
      user,
      error: 'a | b',
      secondKey: { id: 'AKIASEC0000000000003', status: 'Inactive', outcome: 'deleted' },
      targets: [
        { label: 'repo:o/r A B', outcome: 'not restored', note: 'may hold the new key' },
        { label: 'org:o C D', outcome: 'restored' },
      ],
    });
    expect(text).toMatch(/rotation: failed/);
    expect(text).toContain('- Second key `…0003` (Inactive): deleted');
    expect(text).toContain(
      '| `repo:o/r A B` | **restore failed: holds the new key** (may hold the new key) |',
    );
    expect(text).toContain('| `org:o C D` | restored to the old key |');
    expect(text).toContain('**Error:** a \\| b');
  });

  it('shows a dry run with its plan, and a skip', () => {
    expect(
      renderSummary({
        ...base,
        dryRun: true,
        plan: ['one', 'two'],
        targets: [{ label: 't', outcome: 'planned' }],
      }),
    ).toMatch(
      /dry run, nothing changed[\s\S]*would get the new key[\s\S]*Plan:\n\n1\. one\n1\. two/,
    );
    expect(renderSummary({ ...base, skipped: 'young' })).toMatch(
      /rotation: skipped[\s\S]*- Skipped: young/,
    );
  });
});
