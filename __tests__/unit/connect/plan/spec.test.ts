import { InputError } from '../../../../src/shared/errors.js';
import {
  buildSpec,
  checkTransitiveKeys,
  type HopContext,
  type HopSettings,
} from '../../../../src/connect/plan/spec.js';
import { role } from '../../../../__fixtures__/plans.js';
import { ARN, ENV, KEYS, OIDC_ENV, planFor, planRefusal } from '../../../../__fixtures__/inputs.js';

const IDS = { ownerId: '1111', repositoryId: '2222' };
const TAGS = [{ key: 'Team', value: 'infra' }];
const POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** A named connection `app` from the base, with nothing set. */
function connection(overrides: Partial<HopSettings> = {}): HopSettings {
  return {
    kind: { type: 'connection' },
    name: 'app',
    role: role('app'),
    region: 'eu-west-1',
    sessionName: 'GitHubActions',
    tags: [],
    transitiveTagKeys: [],
    policyArns: [],
    ...overrides,
  };
}

/** Hop `position` of a chain, from the hop before it (or the base for the first). */
function chainHop(position: number, overrides: Partial<HopSettings> = {}): HopSettings {
  const hop = connection({
    kind: { type: 'chain', position },
    name: `chain-${position}`,
    role: role(`hop${position}`),
    ...overrides,
  });
  if (position > 1 && !('source' in overrides)) hop.source = `chain-${position - 1}`;
  return hop;
}

function context(overrides: Partial<HopContext> = {}): HopContext {
  return {
    webBase: false,
    temporaryBase: false,
    temporaryReason: 'aws-session-token is set',
    refresh: false,
    chainLength: 3,
    ids: IDS,
    inputOf: (field) => `in(${field})`,
    ...overrides,
  };
}

function refusal(hop: HopSettings, ctx: HopContext = context()): string {
  try {
    buildSpec(hop, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('buildSpec: duration', () => {
  test.each<[string, HopSettings, Partial<HopContext>, number, boolean]>([
    ['default', connection(), {}, 3600, false],
    ['default on temporary credentials', chainHop(1), { temporaryBase: true }, 3600, false],
    ['explicit, from long-term keys', chainHop(1, { duration: 43200 }), {}, 43200, true],
    ['explicit, a connection', connection({ duration: 900 }), {}, 900, true],
    ['explicit, chained at the cap', chainHop(2, { duration: 3600 }), {}, 3600, true],
    ['refresh, the default', connection(), { refresh: true }, 3600, false],
    ['refresh, the least', chainHop(1, { duration: 1800 }), { refresh: true }, 1800, true],
  ])('%s', (_what, hop, ctx, seconds, explicit) => {
    const spec = buildSpec(hop, context(ctx));
    expect([spec.durationSeconds, spec.durationExplicit]).toEqual([seconds, explicit]);
  });

  test.each<[string, HopSettings, Partial<HopContext>, string]>([
    [
      'below the least',
      connection({ duration: 899 }),
      {},
      '899 is below 900, the least STS allows',
    ],
    [
      'a chained hop',
      chainHop(2, { duration: 7200 }),
      {},
      'in(duration): 7200 is above 3600, the limit for a chained role (role 2 of 3 is assumed with temporary credentials)',
    ],
    [
      'the first hop on temporary credentials',
      chainHop(1, { duration: 7200 }),
      { temporaryBase: true },
      'in(duration): 7200 is above 3600, the limit for a role assumed with temporary credentials (aws-session-token is set)',
    ],
    [
      'the first hop on long-term keys',
      chainHop(1, { duration: 43201 }),
      {},
      'in(duration): 43201 is above 43200, the longest session STS grants',
    ],
    [
      'a connection from another',
      connection({ duration: 7200, source: 'hub' }),
      {},
      'in(duration): 7200 is above 3600, the limit for a chained role (its source is "hub")',
    ],
    [
      'a connection on temporary credentials',
      connection({ duration: 7200 }),
      { temporaryBase: true },
      'in(duration): 7200 is above 3600, the limit for a role assumed with temporary credentials',
    ],
    [
      'refresh, a session the CLI would renew after less than 15 minutes of use',
      chainHop(1, { duration: 1799 }),
      { refresh: true },
      'in(duration): 1799 is below 1800, the shortest session refresh accepts: the AWS CLI and SDKs renew credentials that expire within 15 minutes',
    ],
    [
      'refresh, a connection STS alone would allow',
      connection({ duration: 900 }),
      { refresh: true },
      'in(duration): 900 is below 1800',
    ],
  ])('refused: %s', (_what, hop, ctx, message) => {
    expect(refusal(hop, context(ctx))).toContain(message);
  });
});

describe('buildSpec: external ID', () => {
  test.each<[string, HopSettings, Partial<HopContext>, string | undefined, boolean]>([
    ['derived for a chain hop', chainHop(2), {}, 'github:1111:2222:chain:2:hop2', true],
    ['derived for a connection', connection(), {}, 'github:1111:2222:connection:app', true],
    ['given', connection({ externalId: 'given-id' }), {}, 'given-id', false],
    ['none on a web identity', chainHop(1), { webBase: true }, undefined, false],
    [
      'derived on a web base past the first hop',
      chainHop(2),
      { webBase: true },
      'github:1111:2222:chain:2:hop2',
      true,
    ],
  ])('%s', (_what, hop, ctx, externalId, derived) => {
    const spec = buildSpec(hop, context(ctx));
    expect([spec.externalId, spec.externalIdDerived]).toEqual([externalId, derived]);
  });

  test.each<[string, HopSettings, Partial<HopContext>, string]>([
    [
      'a given ID is checked',
      connection({ externalId: 'x' }),
      {},
      'in(external-id): "x" must be 2 to 1224',
    ],
    [
      'no IDs to derive from',
      connection(),
      { ids: undefined },
      'in(external-id): is empty and GITHUB_REPOSITORY_ID',
    ],
    [
      'refresh, a session the CLI would renew after less than 15 minutes of use',
      chainHop(1, { duration: 1799 }),
      { refresh: true },
      'in(duration): 1799 is below 1800, the shortest session refresh accepts: the AWS CLI and SDKs renew credentials that expire within 15 minutes',
    ],
    [
      'refresh, a connection STS alone would allow',
      connection({ duration: 900 }),
      { refresh: true },
      'in(duration): 900 is below 1800',
    ],
  ])('refused: %s', (_what, hop, ctx, message) => {
    expect(refusal(hop, context(ctx))).toContain(message);
  });
});

describe('buildSpec: what the hop carries', () => {
  test('every setting, checked, in the spec', () => {
    const spec = buildSpec(
      chainHop(2, {
        sessionName: 'run-1',
        tags: TAGS,
        transitiveTagKeys: ['Team'],
        sourceIdentity: 'octocat',
        policy: '{ "Version": "2012-10-17" }',
        policyArns: [POLICY_ARN],
      }),
      context(),
    );
    expect(spec).toEqual({
      kind: { type: 'chain', position: 2 },
      name: 'chain-2',
      source: 'chain-1',
      role: role('hop2'),
      externalId: 'github:1111:2222:chain:2:hop2',
      externalIdDerived: true,
      sessionName: 'run-1',
      durationSeconds: 3600,
      durationExplicit: false,
      region: 'eu-west-1',
      tags: TAGS,
      transitiveTagKeys: ['Team'],
      sourceIdentity: 'octocat',
      policy: '{"Version":"2012-10-17"}',
      policyArns: [POLICY_ARN],
    });
  });

  const manyArns = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`);
  const longArns = Array.from(
    { length: 10 },
    (_, i) => `arn:aws:iam::aws:policy/${'x'.repeat(200)}${i}`,
  );
  test.each<[string, HopSettings, string]>([
    ['session name', connection({ sessionName: 'a b' }), 'in(session-name): "a b" must be 2 to 64'],
    ['source identity', connection({ sourceIdentity: 'aws:me' }), 'in(source-identity):'],
    [
      'inline policy',
      connection({ policy: '[]' }),
      'in(policy): "[]" must be a JSON policy document',
    ],
    ['policy ARN', connection({ policyArns: ['nope'] }), 'in(policy-arns): "nope"'],
    [
      'more than 10 ARNs',
      connection({ policyArns: manyArns }),
      'in(policy-arns): has 11 ARNs, more than 10',
    ],
    [
      'policies above 2048 characters, a connection',
      connection({ policyArns: longArns }),
      'in(policy-arns): with the policy comes to 2250 characters, above 2048, the limit for session policies',
    ],
    [
      'policies above 2048 characters, a chain',
      chainHop(1, { policyArns: longArns }),
      'in(policy-arns): with the inline policy comes to 2250 characters, above 2048',
    ],
    [
      'a transitive key that is not a tag',
      connection({ tags: TAGS, transitiveTagKeys: ['Env'] }),
      'in(transitive-tag-keys): transitive tag key "Env" is not one of the tags',
    ],
  ])('refused: %s', (_what, hop, message) => {
    expect(refusal(hop)).toContain(message);
  });
});

describe('checkTransitiveKeys', () => {
  const tags = [
    { key: 'Team', value: 'infra' },
    { key: 'Env', value: 'prod' },
  ];
  test.each([
    [[], []],
    [['Team'], ['Team']],
    [
      ['Team', 'Env'],
      ['Team', 'Env'],
    ],
  ])('%j', (keys, expected) => {
    expect(checkTransitiveKeys('transitive-tag-keys', keys, tags, 'connection')).toEqual(expected);
  });
  test.each<[string[], 'chain' | 'connection', string]>([
    [
      ['Owner'],
      'connection',
      'transitive-tag-keys: transitive tag key "Owner" is not one of the tags',
    ],
    [['Owner'], 'chain', 'transitive-tag-keys: "Owner" is not one of the session tags'],
    [['aws:x'], 'connection', 'must not start with "aws:"'],
    [
      Array.from({ length: 51 }, (_, i) => `k${i}`),
      'connection',
      'has 51 transitive tag keys, more than 50',
    ],
    [Array.from({ length: 51 }, (_, i) => `k${i}`), 'chain', 'has 51 keys, more than 50'],
  ])('refuses %j (%s)', (keys, from, message) => {
    expect(() => checkTransitiveKeys('transitive-tag-keys', keys, tags, from)).toThrow(message);
  });
});

describe('getPlan: tags, source identity and session policies', () => {
  const github = { GITHUB_REPOSITORY: 'octo/app', GITHUB_ACTOR: 'octocat' };

  test('session-tags true: the GitHub context on the first AssumeRole only', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-chain': `${ARN('a')}\n${ARN('b')}`, 'session-tags': 'true' },
      env: { ...ENV, ...github },
    });
    expect(plan.connections[0]?.tags).toEqual([
      { key: 'GitHub', value: 'Actions' },
      { key: 'Repository', value: 'octo/app' },
      { key: 'Actor', value: 'octocat' },
    ]);
    expect(plan.connections[1]?.tags).toEqual([]);
  });

  test('session tags as a YAML map, with transitive keys, on the first AssumeRole after a web identity', async () => {
    const plan = await planFor({
      inputs: {
        'role-chain': `${ARN('a')}\n${ARN('b')}\n${ARN('c')}`,
        'session-tags': 'Team: infra\nCost: 42',
        'transitive-tag-keys': 'Team',
      },
      env: { ...ENV, ...OIDC_ENV },
    });
    expect(plan.connections.map((c) => [c.tags, c.transitiveTagKeys])).toEqual([
      [[], []],
      [
        [
          { key: 'Team', value: 'infra' },
          { key: 'Cost', value: '42' },
        ],
        ['Team'],
      ],
      [[], []],
    ]);
  });

  test('source identity on the first AssumeRole', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-chain': `${ARN('a')}\n${ARN('b')}`, 'source-identity': 'octocat' },
    });
    expect(plan.connections.map((c) => c.sourceIdentity)).toEqual(['octocat', undefined]);
  });

  test('session policies on the last hop only', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    };
    const plan = await planFor({
      inputs: {
        ...KEYS,
        'role-chain': `${ARN('a')}\n${ARN('b')}`,
        'inline-session-policy': JSON.stringify(policy, null, 2),
        'managed-session-policies':
          'arn:aws:iam::aws:policy/ReadOnlyAccess,\narn:aws:iam::123456789012:policy/Deploy',
      },
    });
    expect(plan.connections[0]).not.toHaveProperty('policy');
    expect(plan.connections[0]?.policyArns).toEqual([]);
    expect(plan.connections[1]?.policy).toBe(JSON.stringify(policy));
    expect(plan.connections[1]?.policyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::123456789012:policy/Deploy',
    ]);
  });

  test.each([
    [
      'session tags that are not a map',
      { 'role-to-assume': ARN('a'), 'session-tags': '- a\n- b' },
      {},
      'session-tags: must be a map of tag key to value',
    ],
    [
      'session tags that are not YAML',
      { 'role-to-assume': ARN('a'), 'session-tags': 'a: [' },
      {},
      'session-tags: must be true, false, or a YAML map of tag key to value',
    ],
    [
      'a duplicate tag key',
      { 'role-to-assume': ARN('a'), 'session-tags': 'a: 1\na: 2' },
      {},
      'session-tags: must be true, false, or a YAML map',
    ],
    [
      'a transitive key that is no tag',
      { 'role-to-assume': ARN('a'), 'session-tags': 'Team: x', 'transitive-tag-keys': 'Owner' },
      {},
      'transitive-tag-keys: "Owner" is not one of the session tags',
    ],
    [
      '51 transitive keys',
      {
        'role-to-assume': ARN('a'),
        'transitive-tag-keys': Array.from({ length: 51 }, (_, i) => `k${i}`).join(','),
      },
      {},
      'transitive-tag-keys: has 51 keys, more than 50',
    ],
    [
      'session tags with only a web identity hop',
      { 'role-to-assume': ARN('a'), 'session-tags': 'true' },
      OIDC_ENV,
      'session-tags: needs a role assumed with AssumeRole',
    ],
    [
      'a source identity with only a web identity hop',
      { 'role-to-assume': ARN('a'), 'source-identity': 'me' },
      OIDC_ENV,
      'source-identity: needs a role assumed with AssumeRole',
    ],
    [
      'a bad source identity',
      { 'role-to-assume': ARN('a'), 'source-identity': 'aws:me' },
      {},
      'source-identity: "aws:me" must',
    ],
    [
      'an inline policy that is not JSON',
      { 'role-to-assume': ARN('a'), 'inline-session-policy': '{' },
      {},
      'inline-session-policy: "{" is not valid JSON',
    ],
    [
      '11 managed policies',
      {
        'role-to-assume': ARN('a'),
        'managed-session-policies': Array.from(
          { length: 11 },
          (_, i) => `arn:aws:iam::aws:policy/P${i}`,
        ).join('\n'),
      },
      {},
      'managed-session-policies: has 11 ARNs, more than 10',
    ],
    [
      'policies above 2048 characters together',
      {
        'role-to-assume': ARN('a'),
        'inline-session-policy': JSON.stringify({ Resource: 'x'.repeat(1900) }),
        'managed-session-policies': Array.from(
          { length: 5 },
          (_, i) => `arn:aws:iam::aws:policy/${'P'.repeat(30)}${i}`,
        ).join('\n'),
      },
      {},
      'managed-session-policies: with the inline policy comes to',
    ],
  ])('refuses %s', async (_what, inputs, env, message) => {
    const withKeys = Object.keys(env).length === 0 ? { ...KEYS, ...inputs } : inputs;
    expect((await planRefusal({ inputs: withKeys, env: { ...ENV, ...env } })).message).toContain(
      message,
    );
  });
});
