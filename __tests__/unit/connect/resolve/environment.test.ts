import {
  existingAreValid,
  unsetCredentials,
  withRoleAccount,
  type Identity,
} from '../../../../src/connect/resolve/environment.js';
import { chainPlan, hop, plan, STATIC_BASE } from '../../../../__fixtures__/plans.js';
import { instantRetry } from '../../../../__fixtures__/retry.js';
import { awsError, fakeSts } from '../../../../__fixtures__/sts.js';

const KEYS = {
  AWS_ACCESS_KEY_ID: 'ASIAEARLIERSTEPKEY01',
  AWS_SECRET_ACCESS_KEY: 'earlierStepSecretKey0123456789abcdefghij',
};

describe('unsetCredentials', () => {
  test('removes the three credential variables and names those that were there', () => {
    const env: NodeJS.ProcessEnv = { ...KEYS, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'p' };
    const lines: string[] = [];
    unsetCredentials((m) => lines.push(m), env);
    expect(env).toEqual({ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'p' });
    expect(lines).toEqual([
      'unset-current-credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY of the environment are not used by this step.',
    ]);
  });

  test('says so when there were none', () => {
    const lines: string[] = [];
    unsetCredentials((m) => lines.push(m), {});
    expect(lines).toEqual([
      'unset-current-credentials: the environment held no credential variables.',
    ]);
  });
});

describe('existingAreValid', () => {
  test('a key ID without its secret is no credentials: no call', async () => {
    const sts = fakeSts();
    const known = new Map<string, Identity>();
    const valid = await existingAreValid(
      plan(),
      { AWS_ACCESS_KEY_ID: KEYS.AWS_ACCESS_KEY_ID },
      sts,
      known,
      () => undefined,
      () => undefined,
    );
    expect(valid).toBe(false);
    expect(sts.calls).toEqual([]);
  });

  test('a throttled check is not retried: the step goes on', async () => {
    const sts = fakeSts().fail('getCallerIdentity', awsError('Throttling', 'slow down', 400));
    const valid = await existingAreValid(
      plan(),
      KEYS,
      sts,
      new Map(),
      () => undefined,
      () => undefined,
    );
    expect(valid).toBe(false);
    expect(sts.calls).toHaveLength(1);
  });
});

describe('withRoleAccount', () => {
  const named = (): ReturnType<typeof chainPlan> => {
    const first = hop(1);
    return {
      ...chainPlan(1, {
        connections: [
          {
            ...first,
            region: 'us-gov-west-1',
            role: { ...first.role, arn: 'team/deployer', accountId: '' },
          },
        ],
      }),
      roleName: 'team/deployer',
    };
  };

  test('an identity the step already has is used: no call', async () => {
    const sts = fakeSts();
    const known = new Map<string, Identity>([
      [
        STATIC_BASE.kind === 'credentials' ? STATIC_BASE.credentials.accessKeyId : '',
        { arn: 'arn:aws-us-gov:iam::777788889999:user/ci', accountId: '777788889999' },
      ],
    ]);
    const lines: string[] = [];
    const completed = await withRoleAccount(named(), STATIC_BASE, {
      sts,
      retry: instantRetry(),
      known,
      info: (m) => lines.push(m),
    });
    expect(sts.calls).toEqual([]);
    expect(completed.connections[0]?.role.arn).toBe(
      'arn:aws-us-gov:iam::777788889999:role/team/deployer',
    );
    expect(completed.roleName).toBeUndefined();
    expect(lines).toEqual([
      'role-to-assume: team/deployer is arn:aws-us-gov:iam::777788889999:role/team/deployer, in the account of the base credentials (arn:aws-us-gov:iam::777788889999:user/ci).',
    ]);
  });

  test('throttling is retried; the identity is then kept', async () => {
    const sts = fakeSts({
      baseIdentity: { arn: 'arn:aws-us-gov:iam::777788889999:user/ci', accountId: '777788889999' },
    }).fail('getCallerIdentity', awsError('Throttling', 'slow down', 400));
    const known = new Map<string, Identity>();
    await withRoleAccount(named(), STATIC_BASE, {
      sts,
      retry: instantRetry(),
      known,
      info: () => undefined,
    });
    expect(sts.callsOf('getCallerIdentity')).toHaveLength(2);
    expect(known.size).toBe(1);
  });
});
