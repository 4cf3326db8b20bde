import { InputError } from '../../../../src/shared/errors.js';
import {
  DEFAULT_CONNECTIONS_FILE,
  getPlan,
  Input,
  type ReadFile,
} from '../../../../src/connect/inputs/inputs.js';
import type { Plan } from '../../../../src/connect/model.js';
import { actionDefaults } from '../../../../__fixtures__/runner.js';
import { REPO_ENV } from '../../../../__fixtures__/plans.js';

const ARN = (name: string, account = '123456789012'): string =>
  `arn:aws:iam::${account}:role/${name}`;
const KEYS = {
  'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
  'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const TOKEN = 'FwoGZXIvYXdzEJr//////////wEaDH+token=';
const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token',
};
const ENV = { ...REPO_ENV };

interface Case {
  inputs: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  files?: Record<string, string>;
}

/** The plan for `inputs` (with the action.yml defaults, as the runner passes them). */
function planFor({ inputs, env = ENV, files = {} }: Case): Promise<Plan> {
  const all: Record<string, string> = { ...actionDefaults(), 'aws-region': 'eu-west-1', ...inputs };
  const readFile: ReadFile = (path) => files[path];
  return getPlan((name) => all[name] ?? '', env, readFile);
}

/** The InputError that `inputs` is refused with. */
async function refusal(c: Case): Promise<InputError> {
  const err: unknown = await planFor(c).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('getPlan: region', () => {
  test.each([
    ['the input', { 'aws-region': 'us-east-2' }, { AWS_REGION: 'eu-west-1' }, 'us-east-2'],
    [
      'AWS_REGION',
      { 'aws-region': '' },
      { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      'eu-central-1',
    ],
    [
      'AWS_DEFAULT_REGION',
      { 'aws-region': '' },
      { AWS_DEFAULT_REGION: 'ap-south-1' },
      'ap-south-1',
    ],
    ['the input, trimmed', { 'aws-region': '  sa-east-1\n' }, {}, 'sa-east-1'],
  ])('from %s', async (_from, inputs, env, region) => {
    const plan = await planFor({ inputs: { ...KEYS, ...inputs }, env: { ...ENV, ...env } });
    expect(plan.region).toBe(region);
  });
  test.each([
    ['missing', { 'aws-region': '' }, 'aws-region: is required (or set AWS_REGION)'],
    [
      'not a region',
      { 'aws-region': 'Ireland' },
      'aws-region: "Ireland" is not an AWS region (expected a name such as eu-west-1)',
    ],
    [
      'two lines',
      { 'aws-region': 'eu-west-1\nus-east-1' },
      'aws-region: "eu-west-1\\nus-east-1" must be a single line',
    ],
  ])('refused when %s', async (_what, inputs, message) => {
    expect((await refusal({ inputs: { ...KEYS, ...inputs } })).message).toBe(message);
  });
});

describe('getPlan: base credentials', () => {
  test.each([
    [
      'static keys',
      KEYS,
      {},
      {
        kind: 'static',
        ...{
          accessKeyId: KEYS['aws-access-key-id'],
          secretAccessKey: KEYS['aws-secret-access-key'],
        },
      },
    ],
    [
      'static keys with a session token',
      { ...KEYS, 'aws-session-token': TOKEN },
      {},
      {
        kind: 'static',
        accessKeyId: KEYS['aws-access-key-id'],
        secretAccessKey: KEYS['aws-secret-access-key'],
        sessionToken: TOKEN,
      },
    ],
    [
      'a token file',
      { 'web-identity-token-file': '/tmp/token', 'role-to-assume': ARN('r') },
      {},
      { kind: 'web-identity-file', path: '/tmp/token' },
    ],
    [
      'OIDC with a role',
      { 'role-to-assume': ARN('r') },
      OIDC_ENV,
      { kind: 'oidc', audience: 'sts.amazonaws.com' },
    ],
    [
      'OIDC with a custom audience',
      { 'role-to-assume': ARN('r'), audience: 'my-aud' },
      OIDC_ENV,
      { kind: 'oidc', audience: 'my-aud' },
    ],
    [
      'OIDC with a multi-line role chain',
      { 'role-chain': `${ARN('a')}\n${ARN('b')}` },
      OIDC_ENV,
      { kind: 'oidc', audience: 'sts.amazonaws.com' },
    ],
    [
      'OIDC with multi-line connections',
      { connections: `app:\n  role-arn: ${ARN('a')}\n` },
      OIDC_ENV,
      { kind: 'oidc', audience: 'sts.amazonaws.com' },
    ],
    [
      'OIDC with the connections file',
      { 'connections-file': 'conn.yml' },
      OIDC_ENV,
      { kind: 'oidc', audience: 'sts.amazonaws.com' },
    ],
    [
      'the default chain with a multi-line role chain',
      { 'role-chain': `${ARN('a')}\n${ARN('b')}` },
      {},
      { kind: 'default-chain' },
    ],
    [
      'the default chain without a role, even where OIDC could be used',
      {},
      OIDC_ENV,
      { kind: 'default-chain' },
    ],
    [
      'the default chain when only the request URL is set',
      { 'role-to-assume': ARN('r') },
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x/' },
      { kind: 'default-chain' },
    ],
  ])('%s', async (_what, inputs, env, base) => {
    const plan = await planFor({
      inputs,
      env: { ...ENV, ...env },
      files: { 'conn.yml': `app:\n  role-arn: ${ARN('a')}\n` },
    });
    expect(plan.base).toEqual(base);
  });

  test.each([
    [
      'a key without its secret',
      { 'aws-access-key-id': KEYS['aws-access-key-id'] },
      'aws-secret-access-key: is required with aws-access-key-id',
    ],
    [
      'a secret without its key',
      { 'aws-secret-access-key': KEYS['aws-secret-access-key'] },
      'aws-access-key-id: is required with aws-secret-access-key',
    ],
    [
      'a token without keys',
      { 'aws-session-token': TOKEN },
      'aws-session-token: needs aws-access-key-id and aws-secret-access-key',
    ],
    [
      'keys and a token file',
      { ...KEYS, 'web-identity-token-file': '/tmp/t', 'role-to-assume': ARN('r') },
      'web-identity-token-file: cannot be combined with aws-access-key-id: choose one source of base credentials',
    ],
    [
      'a malformed key ID',
      { ...KEYS, 'aws-access-key-id': 'akia-lower' },
      'aws-access-key-id: the value (10 characters) is not an access key ID',
    ],
    [
      'a malformed secret',
      { ...KEYS, 'aws-secret-access-key': 'short' },
      'aws-secret-access-key: the value (5 characters) is not a secret access key',
    ],
    [
      'a malformed token',
      { ...KEYS, 'aws-session-token': 'bad token' },
      'aws-session-token: the value (9 characters) is not a session token',
    ],
    [
      'an audience with a space',
      { 'role-to-assume': ARN('r'), audience: 'a b' },
      'audience: "a b" must be 1 to 256 printable characters without spaces',
    ],
  ])('refuses %s', async (_what, inputs, message) => {
    expect((await refusal({ inputs })).message).toContain(message);
  });

  test('never shows a secret in an error', async () => {
    const secret = 'not/a+valid secret value';
    const err = await refusal({ inputs: { ...KEYS, 'aws-secret-access-key': secret } });
    expect(err.message).not.toContain(secret);
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
    expect((await refusal({ inputs: withKeys, env: { ...ENV, ...env } })).message).toContain(
      message,
    );
  });

  test('refuses to derive an external ID without the repository IDs', async () => {
    const err = await refusal({ inputs: { ...KEYS, 'role-to-assume': ARN('a') }, env: {} });
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
    expect((await refusal({ inputs })).message).toBe(message);
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
    expect((await refusal({ inputs: { ...KEYS, ...inputs } })).message).toContain(message);
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
    expect((await refusal({ inputs: withKeys, env: { ...ENV, ...env } })).message).toContain(
      message,
    );
  });
});

describe('getPlan: no role', () => {
  test('static keys alone: GetSessionToken for 3600 s by default', async () => {
    const plan = await planFor({ inputs: KEYS });
    expect(plan).toMatchObject({
      connections: [],
      sessionCredentials: true,
      sessionDurationSeconds: 3600,
    });
    expect(plan.primary).toBeUndefined();
  });
  test.each([
    ['7200', 7200],
    ['129600', 129600],
  ])('role-duration-seconds %s sets the GetSessionToken length', async (value, seconds) => {
    expect(
      (await planFor({ inputs: { ...KEYS, 'role-duration-seconds': value } }))
        .sessionDurationSeconds,
    ).toBe(seconds);
  });
  test('session-credentials false', async () => {
    expect(
      (await planFor({ inputs: { ...KEYS, 'session-credentials': 'false' } })).sessionCredentials,
    ).toBe(false);
  });
  test.each([
    [
      'a GetSessionToken length above 36 h',
      { ...KEYS, 'role-duration-seconds': '129601' },
      'role-duration-seconds: 129601 is above 129600, the longest GetSessionToken session',
    ],
    [
      'a duration with a session token and no role',
      { ...KEYS, 'aws-session-token': TOKEN, 'role-duration-seconds': '900' },
      'role-duration-seconds: has no effect: aws-session-token is given and no role',
    ],
    [
      'an external ID',
      { ...KEYS, 'role-external-id': 'x1' },
      'role-external-id: needs a role (role-to-assume, role-chain or connections)',
    ],
    ['session tags', { ...KEYS, 'session-tags': 'true' }, 'session-tags: needs a role'],
    [
      'transitive keys',
      { ...KEYS, 'transitive-tag-keys': 'a' },
      'transitive-tag-keys: "a" is not one of the session tags',
    ],
    ['a source identity', { ...KEYS, 'source-identity': 'me' }, 'source-identity: needs a role'],
    [
      'an inline policy',
      { ...KEYS, 'inline-session-policy': '{}' },
      'inline-session-policy: needs a role',
    ],
    [
      'managed policies',
      { ...KEYS, 'managed-session-policies': 'arn:aws:iam::aws:policy/X' },
      'managed-session-policies: needs a role',
    ],
    [
      'a token file',
      { 'web-identity-token-file': '/tmp/t' },
      'web-identity-token-file: needs a role',
    ],
    [
      'refresh',
      { ...KEYS, refresh: 'true' },
      'refresh: needs a role (role-to-assume, role-chain or connections)',
    ],
  ])('refuses %s', async (_what, inputs, message) => {
    expect((await refusal({ inputs })).message).toContain(message);
  });
});

describe('getPlan: the other inputs', () => {
  test('the defaults of action.yml', async () => {
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('a') } });
    expect(plan).toMatchObject({
      allowedAccountIds: [],
      outputCredentials: false,
      outputEnvCredentials: true,
      maskAccountId: false,
      retryMaxAttempts: 4,
      refresh: false,
      refreshWindowSeconds: 21600,
    });
    expect(plan).not.toHaveProperty('stsEndpoint');
    expect(plan).not.toHaveProperty('proxy');
  });

  test('every input read with no default given (as a runner that passes no defaults)', async () => {
    const inputs: Record<string, string> = {
      'aws-region': 'eu-west-1',
      ...KEYS,
      'role-to-assume': ARN('a'),
    };
    const plan = await getPlan(
      (name) => inputs[name] ?? '',
      ENV,
      () => undefined,
    );
    expect(plan).toMatchObject({
      outputEnvCredentials: true,
      retryMaxAttempts: 4,
      refreshWindowSeconds: 21600,
      sessionCredentials: true,
    });
    expect(plan.connections[0]?.sessionName).toBe('GitHubActions');
  });

  test.each([
    [
      'allowed-account-ids',
      '111111111111, 222222222222',
      { allowedAccountIds: ['111111111111', '222222222222'] },
    ],
    ['output-credentials', 'true', { outputCredentials: true }],
    ['mask-aws-account-id', 'TRUE', { maskAccountId: true }],
    ['retry-max-attempts', '10', { retryMaxAttempts: 10 }],
    ['retry-max-attempts', '', { retryMaxAttempts: 4 }],
    ['refresh-window', '90m', { refreshWindowSeconds: 5400 }],
    ['refresh-window', '36h', { refreshWindowSeconds: 129600 }],
    ['refresh-window', '900', { refreshWindowSeconds: 900 }],
    ['refresh-window', '1000s', { refreshWindowSeconds: 1000 }],
    ['refresh', 'true', { refresh: true }],
    ['sts-endpoint', 'http://127.0.0.1:5000', { stsEndpoint: 'http://127.0.0.1:5000/' }],
    ['http-proxy', 'http://proxy:3128', { proxy: 'http://proxy:3128' }],
  ])('%s: %j', async (name, value, expected) => {
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('a'), [name]: value } });
    expect(plan).toMatchObject(expected);
  });

  test('the endpoint and proxy from the environment, NO_PROXY applied to the endpoint', async () => {
    const env = {
      ...ENV,
      AWS_ENDPOINT_URL_STS: 'http://sts.local:5000',
      HTTP_PROXY: 'http://proxy:3128',
      NO_PROXY: 'other.local',
    };
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('a') }, env });
    expect(plan).toMatchObject({
      stsEndpoint: 'http://sts.local:5000/',
      proxy: 'http://proxy:3128',
    });
    const bypassed = await planFor({
      inputs: { ...KEYS, 'role-to-assume': ARN('a') },
      env: { ...env, NO_PROXY: 'sts.local' },
    });
    expect(bypassed).not.toHaveProperty('proxy');
  });

  test('the proxy is chosen for the regional endpoint when none is set', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-to-assume': ARN('a') },
      env: { ...ENV, HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://q:2' },
    });
    expect(plan.proxy).toBe('http://p:1');
  });

  test.each([
    [
      'allowed-account-ids',
      '12345',
      'allowed-account-ids: "12345" is not a 12-digit AWS account ID',
    ],
    ['output-credentials', 'yes', 'output-credentials: "yes" is not a boolean (use true or false)'],
    ['session-credentials', '1', 'session-credentials: "1" is not a boolean'],
    ['retry-max-attempts', '0', 'retry-max-attempts: 0 is outside 1 to 10'],
    ['refresh-window', '10m', 'refresh-window: "10m" is outside 15m to 36h'],
    ['refresh-window', '37h', 'refresh-window: "37h" is outside 15m to 36h'],
    ['refresh-window', 'six hours', 'refresh-window: "six hours" is not a duration'],
    ['sts-endpoint', 'sts.amazonaws.com', 'sts-endpoint: "sts.amazonaws.com" is not a URL'],
    [
      'output-env-credentials',
      'false',
      'output-env-credentials: is false and output-credentials is false: the credentials would go nowhere',
    ],
    [
      'connection',
      'prod',
      'connection: "prod" needs connections (the connections input or .github/aws-connections.yml)',
    ],
  ])('refuses %s: %j', async (name, value, message) => {
    expect(
      (await refusal({ inputs: { ...KEYS, 'role-to-assume': ARN('a'), [name]: value } })).message,
    ).toContain(message);
  });
});

describe('getPlan: named connections', () => {
  const yaml = [
    'hub:',
    `  role-arn: ${ARN('hub', '111111111111')}`,
    'deploy:',
    '  source: hub',
    `  role-arn: ${ARN('deploy', '222222222222')}`,
    '',
  ].join('\n');

  test.each([
    ['the connections input', { connections: yaml }, {}],
    ['the connections file', { 'connections-file': 'aws.yml' }, { 'aws.yml': yaml }],
    ['the default file', {}, { [DEFAULT_CONNECTIONS_FILE]: yaml }],
  ])('from %s', async (_from, inputs, files) => {
    const plan = await planFor({ inputs: { ...KEYS, ...inputs, connection: 'deploy' }, files });
    expect(plan.named).toBe(true);
    expect(plan.primary).toBe('deploy');
    expect(plan.connections.map((c) => [c.name, c.source, c.externalId])).toEqual([
      ['hub', undefined, 'github:1111:2222:connection:hub'],
      ['deploy', 'hub', 'github:1111:2222:connection:deploy'],
    ]);
  });

  test('no primary among several connections without `connection`; the variables may then be off', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, connections: yaml, 'output-env-credentials': 'false' },
    });
    expect(plan.primary).toBeUndefined();
    expect(plan.outputEnvCredentials).toBe(false);
  });

  test('the step session name is the default for each connection', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, connections: yaml, 'role-session-name': 'nightly' },
    });
    expect(plan.connections.map((c) => c.sessionName)).toEqual(['nightly', 'nightly']);
  });

  test('temporary base keys cap a connection on the base at 3600', async () => {
    const err = await refusal({
      inputs: {
        ...KEYS,
        'aws-session-token': TOKEN,
        connections: `a:\n  role-arn: ${ARN('a')}\n  duration: 7200\n`,
      },
    });
    expect(err.message).toContain('7200 is above 3600');
  });

  test('a web identity base: connections on it take no external ID', async () => {
    const plan = await planFor({ inputs: { connections: yaml }, env: { ...ENV, ...OIDC_ENV } });
    expect(plan.connections.map((c) => c.externalId)).toEqual([
      undefined,
      'github:1111:2222:connection:deploy',
    ]);
  });

  test.each([
    [
      'role-to-assume',
      { connections: yaml, 'role-to-assume': ARN('x') },
      'connections: cannot be combined with role-to-assume',
    ],
    [
      'role-chain',
      { connections: yaml, 'role-chain': ARN('x') },
      'connections: cannot be combined with role-chain',
    ],
    [
      'connections-file',
      { connections: yaml, 'connections-file': 'x.yml' },
      'connections-file: cannot be combined with connections',
    ],
    [
      'role-external-id',
      { connections: yaml, 'role-external-id': 'x1' },
      'role-external-id: cannot be combined with connections: set it on each connection instead',
    ],
    [
      'role-duration-seconds',
      { connections: yaml, 'role-duration-seconds': '900' },
      'role-duration-seconds: cannot be combined with connections',
    ],
    [
      'session-tags',
      { connections: yaml, 'session-tags': 'true' },
      'session-tags: cannot be combined with connections',
    ],
    [
      'source-identity',
      { connections: yaml, 'source-identity': 'me' },
      'source-identity: cannot be combined with connections',
    ],
    [
      'inline-session-policy',
      { connections: yaml, 'inline-session-policy': '{}' },
      'inline-session-policy: cannot be combined with connections',
    ],
    [
      'an unknown connection',
      { connections: yaml, connection: 'nope' },
      'connection: "nope" is not one of the connections (hub, deploy)',
    ],
  ])('refuses %s', async (_what, inputs, message) => {
    expect((await refusal({ inputs: { ...KEYS, ...inputs } })).message).toContain(message);
  });

  test('a missing connections file', async () => {
    expect((await refusal({ inputs: { ...KEYS, 'connections-file': 'nope.yml' } })).message).toBe(
      'connections-file: "nope.yml" does not exist',
    );
  });

  test('errors in the default file name connections-file', async () => {
    const err = await refusal({
      inputs: KEYS,
      files: { [DEFAULT_CONNECTIONS_FILE]: 'a:\n  role: x\n' },
    });
    expect(err.input).toBe('connections-file');
  });

  test('session-tags at its default (false) is fine with connections', async () => {
    expect(actionDefaults()[Input.SessionTags]).toBe('false');
    await expect(planFor({ inputs: { ...KEYS, connections: yaml } })).resolves.toMatchObject({
      named: true,
    });
  });
});

describe('found in review', () => {
  test('the default connections file leaves a step with its own role alone', async () => {
    const files = { [DEFAULT_CONNECTIONS_FILE]: `hub:\n  role-arn: ${ARN('hub')}\n` };
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('deployer') }, files });
    expect(plan.named).toBe(false);
    expect(plan.connections.map((c) => c.role.name)).toEqual(['deployer']);
    const chain = await planFor({ inputs: { ...KEYS, 'role-chain': ARN('a') }, files });
    expect(chain.named).toBe(false);
    // With no role of its own, the step uses the file.
    expect((await planFor({ inputs: KEYS, files })).named).toBe(true);
  });

  test('session tag values are kept as written (no YAML number conversion)', async () => {
    const plan = await planFor({
      inputs: {
        ...KEYS,
        'role-to-assume': ARN('r'),
        'session-tags': 'CostCenter: 0042\nVersion: 1.10\nHex: 0x1F\nTeam:',
      },
    });
    expect(plan.connections[0]?.tags).toEqual([
      { key: 'CostCenter', value: '0042' },
      { key: 'Version', value: '1.10' },
      { key: 'Hex', value: '0x1F' },
      { key: 'Team', value: '' },
    ]);
  });

  test('connection tag values are kept as written too', async () => {
    const plan = await planFor({
      inputs: {
        ...KEYS,
        connections: `a:\n  role-arn: ${ARN('a')}\n  duration: 900\n  tags:\n    CostCenter: 0042\n`,
      },
    });
    expect(plan.connections[0]?.tags).toEqual([{ key: 'CostCenter', value: '0042' }]);
    expect(plan.connections[0]?.durationSeconds).toBe(900);
  });
});
