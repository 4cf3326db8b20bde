import { InputError } from '../../../../src/shared/errors.js';
import {
  chainSpecs,
  type ChainBase,
  type ChainSettings,
} from '../../../../src/connect/plan/chain.js';
import {
  ARN,
  ENV,
  KEYS,
  OIDC_ENV,
  planFor,
  planRefusal,
  TOKEN,
} from '../../../../__fixtures__/inputs.js';

const TAGS = [{ key: 'Team', value: 'infra' }];
const POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

function settings(overrides: Partial<ChainSettings> = {}): ChainSettings {
  return {
    region: 'eu-west-1',
    roleToAssume: '',
    roleChain: `${ARN('hub')}\n${ARN('spoke')}\n${ARN('app')}`,
    sessionName: 'GitHubActions',
    duration: '',
    externalIds: '',
    sessionTags: [],
    transitiveTagKeys: [],
    inlineSessionPolicy: '',
    managedSessionPolicies: '',
    ...overrides,
  };
}

const KEY_BASE: ChainBase = {
  webBase: false,
  temporaryBase: false,
  refreshFromKeys: false,
  refresh: false,
  ids: { ownerId: '1111', repositoryId: '2222' },
};
const WEB_BASE: ChainBase = { ...KEY_BASE, webBase: true };

function refusal(s: ChainSettings, base: ChainBase = KEY_BASE): string {
  try {
    chainSpecs(s, base);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('chainSpecs', () => {
  test('no role, no hop', () => {
    expect(chainSpecs(settings({ roleChain: '' }), KEY_BASE)).toEqual([]);
  });

  test('one role is a chain of one', () => {
    const [hop, ...rest] = chainSpecs(
      settings({ roleChain: '', roleToAssume: ARN('app') }),
      KEY_BASE,
    );
    expect(rest).toEqual([]);
    expect([hop?.kind, hop?.name, hop?.source]).toEqual([
      { type: 'chain', position: 1 },
      'chain-1',
      undefined,
    ]);
  });

  test('each hop from the one before, with its position', () => {
    const hops = chainSpecs(settings(), KEY_BASE);
    expect(hops.map((h) => [h.kind, h.name, h.source, h.externalId])).toEqual([
      [{ type: 'chain', position: 1 }, 'chain-1', undefined, 'github:1111:2222:chain:1:hub'],
      [{ type: 'chain', position: 2 }, 'chain-2', 'chain-1', 'github:1111:2222:chain:2:spoke'],
      [{ type: 'chain', position: 3 }, 'chain-3', 'chain-2', 'github:1111:2222:chain:3:app'],
    ]);
  });

  test.each<[string, ChainBase, number]>([
    ['keys: the first hop', KEY_BASE, 0],
    ['a web identity: the second hop', WEB_BASE, 1],
  ])('tags and source identity go to the first AssumeRole (%s)', (_what, base, index) => {
    const hops = chainSpecs(
      settings({ sessionTags: TAGS, transitiveTagKeys: ['Team'], sourceIdentity: 'octocat' }),
      base,
    );
    expect(hops.map((h) => h.tags.length > 0)).toEqual([0, 1, 2].map((i) => i === index));
    expect(hops.map((h) => h.transitiveTagKeys.length > 0)).toEqual(
      [0, 1, 2].map((i) => i === index),
    );
    expect(hops.map((h) => h.sourceIdentity)).toEqual(
      [0, 1, 2].map((i) => (i === index ? 'octocat' : undefined)),
    );
  });

  test('session policies go to the last hop', () => {
    const hops = chainSpecs(
      settings({
        inlineSessionPolicy: '{"Version":"2012-10-17"}',
        managedSessionPolicies: POLICY_ARN,
      }),
      KEY_BASE,
    );
    expect(hops.map((h) => [h.policy, h.policyArns])).toEqual([
      [undefined, []],
      [undefined, []],
      ['{"Version":"2012-10-17"}', [POLICY_ARN]],
    ]);
  });

  test.each<[string, string, ChainBase, (string | undefined)[]]>([
    ['one for all', 'shared-id', KEY_BASE, ['shared-id', 'shared-id', 'shared-id']],
    ['one a line', 'id-1\nid-2\nid-3', KEY_BASE, ['id-1', 'id-2', 'id-3']],
    ['none for a web identity hop', 'id-2\nid-3', WEB_BASE, [undefined, 'id-2', 'id-3']],
  ])('external IDs: %s', (_what, externalIds, base, expected) => {
    expect(chainSpecs(settings({ externalIds }), base).map((h) => h.externalId)).toEqual(expected);
  });

  test('a given duration applies to every hop', () => {
    const hops = chainSpecs(settings({ duration: '900' }), KEY_BASE);
    expect(hops.map((h) => [h.durationSeconds, h.durationExplicit])).toEqual([
      [900, true],
      [900, true],
      [900, true],
    ]);
  });

  test.each<[string, Partial<ChainSettings>, ChainBase, string]>([
    [
      'more than 20 roles',
      { roleChain: Array.from({ length: 21 }, (_, i) => ARN(`r${i}`)).join('\n') },
      KEY_BASE,
      'role-chain: has 21 roles, more than 20',
    ],
    ['a bad ARN', { roleChain: 'nope' }, KEY_BASE, 'role-chain: "nope"'],
    [
      'a bad ARN in role-to-assume',
      { roleChain: '', roleToAssume: 'no pe' },
      KEY_BASE,
      'role-to-assume: "no pe" is neither an IAM role ARN',
    ],
    [
      'a duration that is no number',
      { duration: '1h' },
      KEY_BASE,
      'role-duration-seconds: "1h" is not a whole number of seconds',
    ],
    [
      'a chained duration above the cap',
      { duration: '7200' },
      KEY_BASE,
      'role-duration-seconds: 7200 is above 3600, the limit for a chained role (role 2 of 3 is assumed with temporary credentials)',
    ],
    [
      'external IDs that do not match the hops',
      { externalIds: 'a-1\nb-2' },
      KEY_BASE,
      'role-external-id: has 2 lines for 3 AssumeRole hops',
    ],
    [
      'an external ID for a lone web identity hop',
      { roleChain: ARN('app'), externalIds: 'an-id' },
      WEB_BASE,
      'role-external-id: is set, but the only role is assumed with a web identity',
    ],
  ])('refused: %s', (_what, overrides, base, message) => {
    expect(refusal(settings(overrides), base)).toContain(message);
  });

  test.each<[string, ChainBase, string]>([
    ['aws-session-token is set', { ...KEY_BASE, temporaryBase: true }, 'aws-session-token is set'],
    [
      'refresh from keys',
      { ...KEY_BASE, temporaryBase: true, refreshFromKeys: true },
      'refresh re-assumes it from session credentials',
    ],
  ])('the first hop on temporary credentials: %s', (_what, base, why) => {
    const s = settings({ roleChain: '', roleToAssume: ARN('app'), duration: '7200' });
    expect(refusal(s, base)).toBe(
      `role-duration-seconds: 7200 is above 3600, the limit for a role assumed with temporary credentials (${why})`,
    );
  });
});

describe('getPlan: a role chain', () => {
  test('one role from static keys', async () => {
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('deployer') } });
    expect(plan.named).toBe(false);
    expect(plan.primary).toBe('chain-1');
    expect(plan.connections).toEqual([
      {
        kind: { type: 'chain', position: 1 },
        name: 'chain-1',
        role: {
          arn: ARN('deployer'),
          partition: 'aws',
          accountId: '123456789012',
          name: 'deployer',
        },
        externalId: 'github:1111:2222:chain:1:deployer',
        externalIdDerived: true,
        sessionName: 'GitHubActions',
        durationSeconds: 3600,
        durationExplicit: false,
        region: 'eu-west-1',
        tags: [],
        transitiveTagKeys: [],
        policyArns: [],
      },
    ]);
  });

  test('three roles: each sourced from the one before, with its own external ID', async () => {
    const plan = await planFor({
      inputs: {
        ...KEYS,
        'role-chain': `${ARN('hub', '111111111111')}\n# the spoke\n${ARN('spoke', '222222222222')}\n\n${ARN('deployer', '333333333333')}\n`,
        'role-session-name': 'ci-run',
      },
    });
    expect(plan.primary).toBe('chain-3');
    expect(
      plan.connections.map((c) => [c.name, c.source, c.role.arn, c.externalId, c.sessionName]),
    ).toEqual([
      ['chain-1', undefined, ARN('hub', '111111111111'), 'github:1111:2222:chain:1:hub', 'ci-run'],
      [
        'chain-2',
        'chain-1',
        ARN('spoke', '222222222222'),
        'github:1111:2222:chain:2:spoke',
        'ci-run',
      ],
      [
        'chain-3',
        'chain-2',
        ARN('deployer', '333333333333'),
        'github:1111:2222:chain:3:deployer',
        'ci-run',
      ],
    ]);
  });

  test('a web identity base: the first hop takes no external ID, the next ones do', async () => {
    const plan = await planFor({
      inputs: { 'role-chain': `${ARN('hub')}\n${ARN('deployer')}` },
      env: { ...ENV, ...OIDC_ENV },
    });
    expect(plan.connections.map((c) => [c.externalId, c.externalIdDerived])).toEqual([
      [undefined, false],
      ['github:1111:2222:chain:2:deployer', true],
    ]);
  });

  test.each([
    ['one ID for every hop', 'shared-id', ['shared-id', 'shared-id']],
    ['one a line', 'first-id\nsecond-id', ['first-id', 'second-id']],
  ])('explicit external IDs: %s', async (_what, ids, expected) => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-chain': `${ARN('a')}\n${ARN('b')}`, 'role-external-id': ids },
    });
    expect(plan.connections.map((c) => c.externalId)).toEqual(expected);
    expect(plan.connections.every((c) => !c.externalIdDerived)).toBe(true);
  });

  test('explicit external IDs skip the web identity hop', async () => {
    const plan = await planFor({
      inputs: {
        'role-chain': `${ARN('a')}\n${ARN('b')}\n${ARN('c')}`,
        'role-external-id': 'id-b\nid-c',
      },
      env: { ...ENV, ...OIDC_ENV },
    });
    expect(plan.connections.map((c) => c.externalId)).toEqual([undefined, 'id-b', 'id-c']);
  });

  test.each([
    [
      { 'role-chain': `${ARN('a')}\n${ARN('b')}`, 'role-external-id': 'x1\nx2\nx3' },
      {},
      'role-external-id: has 3 lines for 2 AssumeRole hops: give one for all, or one a line for each',
    ],
    [
      { 'role-to-assume': ARN('a'), 'role-external-id': 'x1' },
      OIDC_ENV,
      'role-external-id: is set, but the only role is assumed with a web identity, which takes no external ID',
    ],
    [
      { 'role-to-assume': ARN('a'), 'role-external-id': 'has space' },
      {},
      'role-external-id: "has space" must be 2 to 1224 characters',
    ],
  ])('refuses external IDs %j', async (inputs, env, message) => {
    const withKeys =
      'role-external-id' in inputs && Object.keys(env).length === 0
        ? { ...KEYS, ...inputs }
        : inputs;
    expect((await planRefusal({ inputs: withKeys, env: { ...ENV, ...env } })).message).toContain(
      message,
    );
  });

  test('refuses to derive an external ID without the repository IDs', async () => {
    const err = await planRefusal({ inputs: { ...KEYS, 'role-to-assume': ARN('a') }, env: {} });
    expect(err.input).toBe('role-external-id');
    expect(err.message).toContain('GITHUB_REPOSITORY_ID / GITHUB_REPOSITORY_OWNER_ID are not set');
  });

  test('an explicit external ID needs no repository IDs', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-to-assume': ARN('a'), 'role-external-id': 'given' },
      env: {},
    });
    expect(plan.connections[0]?.externalId).toBe('given');
  });

  test.each([
    [
      'static long-term keys: up to 43200',
      { ...KEYS, 'role-to-assume': ARN('a'), 'role-duration-seconds': '43200' },
      {},
      [43200],
    ],
    [
      'a web identity: up to 43200',
      { 'role-to-assume': ARN('a'), 'role-duration-seconds': '43200' },
      OIDC_ENV,
      [43200],
    ],
    [
      'a chain at 3600',
      { ...KEYS, 'role-chain': `${ARN('a')}\n${ARN('b')}`, 'role-duration-seconds': '3600' },
      {},
      [3600, 3600],
    ],
    ['default 3600', { ...KEYS, 'role-chain': `${ARN('a')}\n${ARN('b')}` }, {}, [3600, 3600]],
  ])('durations: %s', async (_what, inputs, env, durations) => {
    const plan = await planFor({ inputs, env: { ...ENV, ...env } });
    expect(plan.connections.map((c) => c.durationSeconds)).toEqual(durations);
    expect(
      plan.connections.every((c) => c.durationExplicit === 'role-duration-seconds' in inputs),
    ).toBe(true);
  });

  test.each([
    [
      'a chained hop above 3600',
      {
        ...KEYS,
        'role-chain': `${ARN('a')}\n${ARN('b')}\n${ARN('c')}`,
        'role-duration-seconds': '7200',
      },
      'role-duration-seconds: 7200 is above 3600, the limit for a chained role (role 2 of 3 is assumed with temporary credentials)',
    ],
    [
      'temporary base keys above 3600',
      {
        ...KEYS,
        'aws-session-token': TOKEN,
        'role-to-assume': ARN('a'),
        'role-duration-seconds': '7200',
      },
      'role-duration-seconds: 7200 is above 3600, the limit for a role assumed with temporary credentials (aws-session-token is set)',
    ],
    [
      'above 43200',
      { ...KEYS, 'role-to-assume': ARN('a'), 'role-duration-seconds': '43201' },
      'role-duration-seconds: 43201 is above 43200, the longest session STS grants',
    ],
    [
      'below 900',
      { ...KEYS, 'role-to-assume': ARN('a'), 'role-duration-seconds': '60' },
      'role-duration-seconds: 60 is below 900, the least STS allows',
    ],
  ])('refuses %s', async (_what, inputs, message) => {
    expect((await planRefusal({ inputs })).message).toBe(message);
  });

  test.each([
    [
      'role-chain and role-to-assume',
      { 'role-chain': ARN('a'), 'role-to-assume': ARN('b') },
      'role-chain: cannot be combined with role-to-assume (a single role is a chain of one)',
    ],
    [
      'a bad ARN in the chain',
      { 'role-chain': `${ARN('a')}\narn:aws:iam::1:role/b` },
      'role-chain: "arn:aws:iam::1:role/b" is not an IAM role ARN',
    ],
    [
      'a role in another partition',
      { 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/a' },
      'role-to-assume: "arn:aws-cn:iam::123456789012:role/a" is in partition aws-cn',
    ],
    [
      '21 roles',
      { 'role-chain': Array.from({ length: 21 }, (_, i) => ARN(`r${i}`)).join('\n') },
      'role-chain: has 21 roles, more than 20',
    ],
    [
      'a bad session name',
      { 'role-to-assume': ARN('a'), 'role-session-name': 'has space' },
      'role-session-name: "has space" must be 2 to 64 characters',
    ],
  ])('refuses %s', async (_what, inputs, message) => {
    expect((await planRefusal({ inputs: { ...KEYS, ...inputs } })).message).toContain(message);
  });

  test('accepts 20 roles', async () => {
    const plan = await planFor({
      inputs: {
        ...KEYS,
        'role-chain': Array.from({ length: 20 }, (_, i) => ARN(`r${i}`)).join('\n'),
      },
    });
    expect(plan.connections).toHaveLength(20);
    expect(plan.primary).toBe('chain-20');
  });
});
