/** src/connect/mask.ts: what the main step masks, and when masking is on. */
import { chainPlan, session, spec } from '../../../__fixtures__/plans.js';
import { fakeRunner } from '../../../__fixtures__/runner.js';
import {
  accountIds,
  accountMask,
  maskInputs,
  wantsAccountMasked,
} from '../../../src/connect/mask.js';

describe('accountIds', () => {
  test.each<[string, string[]]>([
    ['User: arn:aws:iam::111122223333:user/ci is not authorized', ['111122223333']],
    ['arn:aws:iam::111111111111:role/a then arn:aws:iam::111111111111:role/b', ['111111111111']],
    ['1111222233334 is thirteen digits, 11112222333 eleven', []],
    ['two: 111111111111 and 222222222222', ['111111111111', '222222222222']],
  ])('%s', (text, ids) => {
    expect(accountIds(text)).toEqual(ids);
  });
});

describe('wantsAccountMasked', () => {
  test.each<[string, boolean]>([
    ['true', true],
    ['True', true],
    [' TRUE ', true],
    ['false', false],
    ['yes', false],
    ['', false],
  ])('mask-aws-account-id %j: %s', (value, expected) => {
    const runner = fakeRunner({ inputs: { 'mask-aws-account-id': value } });
    expect(wantsAccountMasked(runner)).toBe(expected);
  });
});

describe('maskInputs', () => {
  test('the key inputs first, each trimmed; empty ones are not masked', () => {
    const runner = fakeRunner({
      inputs: { 'aws-access-key-id': ' AKIAEXAMPLE ', 'aws-secret-access-key': 'secret' },
    });
    maskInputs(runner, {});
    expect(runner.secrets).toEqual(['AKIAEXAMPLE', 'secret']);
  });

  test('a password in the proxy input or the proxy variables', () => {
    const runner = fakeRunner({ inputs: { 'http-proxy': 'http://u:input-pass@proxy:3128' } });
    maskInputs(runner, { HTTPS_PROXY: 'http://u:env-pass@proxy:3128' });
    expect(runner.secrets).toEqual(expect.arrayContaining(['input-pass', 'env-pass']));
  });

  test('a proxy variable with blanks around it: the password is masked all the same', () => {
    // The step refuses such a value, but the variable stays in the job's environment for
    // every later tool, some more lenient: its password must not show in their lines either.
    const runner = fakeRunner();
    maskInputs(runner, { HTTPS_PROXY: ' http://u:env-pass@proxy:3128 ' });
    expect(runner.secrets).toEqual(expect.arrayContaining(['env-pass']));
  });

  test('account IDs in role inputs only with mask-aws-account-id', () => {
    const inputs = {
      'role-to-assume': 'arn:aws:iam::111111111111:role/a',
      'role-chain': 'arn:aws:iam::222222222222:role/b',
      connections: 'x:\n  role-arn: arn:aws:iam::333333333333:role/c\n',
    };
    const off = fakeRunner({ inputs });
    maskInputs(off, {});
    expect(off.secrets).toEqual([]);
    const on = fakeRunner({ inputs: { ...inputs, 'mask-aws-account-id': 'true' } });
    maskInputs(on, {});
    expect(on.secrets).toEqual(['111111111111', '222222222222', '333333333333']);
  });
});

describe('accountMask', () => {
  const p = chainPlan(2, {
    connections: [spec('chain-1'), spec('chain-2', { source: 'chain-1' })].map((s, i) => ({
      ...s,
      role: { ...s.role, accountId: `${i + 1}`.repeat(12) },
    })),
  });
  const resolution = {
    connections: p.connections.map((s) => ({ spec: s, session: session(s.name, '999999999999') })),
    primary: session('base', '888888888888'),
  };

  test('enabled: the plan, each line, the resolution', () => {
    const runner = fakeRunner();
    const mask = accountMask(runner, true);
    mask.ofPlan(p);
    expect(runner.secrets).toEqual(['111111111111', '222222222222']);
    mask.inText('assumed as arn:aws:sts::444444444444:assumed-role/x/y');
    expect(runner.secrets.at(-1)).toBe('444444444444');
    mask.ofResolution(resolution);
    expect(runner.secrets.slice(3)).toEqual(['999999999999', '999999999999', '888888888888']);
  });

  test('a base identity that was not asked for (empty account) is not masked', () => {
    const runner = fakeRunner();
    accountMask(runner, true).ofResolution({
      connections: [],
      primary: { ...session('base'), accountId: '' },
    });
    expect(runner.secrets).toEqual([]);
  });

  test('a role name, whose account is not known yet, masks nothing', () => {
    const runner = fakeRunner();
    const first = spec('chain-1');
    const named = chainPlan(1, {
      connections: [{ ...first, role: { ...first.role, accountId: '' } }],
    });
    accountMask(runner, true).ofPlan(named);
    expect(runner.secrets).toEqual([]);
  });

  test('disabled: nothing at all', () => {
    const runner = fakeRunner();
    const mask = accountMask(runner, false);
    mask.ofPlan(p);
    mask.inText('arn:aws:iam::111122223333:user/ci');
    mask.ofResolution(resolution);
    expect(runner.secrets).toEqual([]);
  });
});
