/**
 * The account masking of the main step's failure line (`mask-aws-account-id`): an STS error
 * names the caller (`User: arn:aws:sts::<account>:assumed-role/…`), an account that appears in
 * no input, so only the masking in `run` stands between it and the log.
 */
import { run } from '../../../src/connect/main.js';
import { REPO_ENV } from '../../../__fixtures__/plans.js';
import { instantRetry } from '../../../__fixtures__/retry.js';
import { fakeRunner, type FakeRunner } from '../../../__fixtures__/runner.js';
import { awsError, fakeSts, type FakeSts } from '../../../__fixtures__/sts.js';

const ROLE = 'arn:aws:iam::111111111111:role/deployer';
const CALLER = '444455556666';
const KEYS = {
  'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
  'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const DENIED = awsError(
  'AccessDenied',
  `User: arn:aws:sts::${CALLER}:assumed-role/ci/GitHubActions is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
  403,
);

async function failWith(
  inputs: Record<string, string>,
  sts: FakeSts = fakeSts().fail(ROLE, DENIED),
): Promise<FakeRunner> {
  const runner = fakeRunner({ inputs: { 'aws-region': 'eu-west-1', ...KEYS, ...inputs } });
  await run({ runner, env: { ...REPO_ENV }, sts, retry: instantRetry() });
  return runner;
}

describe('mask-aws-account-id and the failure line', () => {
  test.each(['true', 'True', 'TRUE', ' true '])(
    '%j: an account named only by an STS error is masked before the line is printed',
    async (flag) => {
      const runner = await failWith({ 'role-to-assume': ROLE, 'mask-aws-account-id': flag });
      expect(runner.failures).toHaveLength(1);
      expect(runner.failures[0]).toContain(`arn:aws:sts::${CALLER}:assumed-role/ci`);
      expect(runner.secrets.filter((s) => s === CALLER)).toEqual([CALLER]);
      expect(runner.leaksOf(CALLER)).toEqual([]);
      expect(runner.events.at(-1)?.kind).toBe('failed');
    },
  );

  test.each(['false', 'False', ''])('%j: the failure line is printed as it is', async (flag) => {
    const runner = await failWith({ 'role-to-assume': ROLE, 'mask-aws-account-id': flag });
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).toContain(CALLER);
    expect(runner.secrets.filter((s) => /^\d{12}$/.test(s))).toEqual([]);
  });

  test('only whole 12-digit numbers are taken for accounts', async () => {
    const sts = fakeSts().fail(
      ROLE,
      awsError('AccessDenied', `request 1234567890123 for ${CALLER} (12345678901) denied`, 403),
    );
    const runner = await failWith({ 'role-to-assume': ROLE, 'mask-aws-account-id': 'true' }, sts);
    expect(runner.secrets).toContain(CALLER);
    expect(runner.secrets).not.toContain('123456789012');
    expect(runner.secrets).not.toContain('234567890123');
    expect(runner.secrets).not.toContain('12345678901');
  });

  test('a validation failure is masked too: the lenient read works before validation', async () => {
    const runner = await failWith({
      'role-to-assume': `arn:aws:iam::${CALLER}:role/deployer`,
      'role-duration-seconds': 'soon',
      'mask-aws-account-id': 'True',
    });
    expect(runner.failures).toHaveLength(1);
    expect(runner.secrets).toContain(CALLER);
    expect(runner.leaksOf(CALLER)).toEqual([]);
  });

  test.each([
    ['role-to-assume', `arn:aws:iam::${CALLER}:role/deployer`],
    ['role-chain', `${ROLE}\narn:aws:iam::${CALLER}:role/next`],
    ['connections', `app:\n  role-arn: arn:aws:iam::${CALLER}:role/app\n`],
  ])('the accounts of %s are masked before validation can quote them', async (input, value) => {
    const runner = await failWith({
      [input]: value,
      'aws-region': 'not a region',
      'mask-aws-account-id': 'true',
    });
    expect(runner.failures).toHaveLength(1);
    const masked = runner.events.findIndex((e) => e.kind === 'secret' && e.value === CALLER);
    expect(masked).toBeGreaterThanOrEqual(0);
    expect(masked).toBeLessThan(runner.events.findIndex((e) => e.kind === 'failed'));
  });
});
