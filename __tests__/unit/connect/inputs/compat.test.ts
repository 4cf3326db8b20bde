/**
 * The inputs that configure-aws-credentials v6 has and this action takes with the same
 * meaning, or with the nearest safe one and a line that says so: each rule through getPlan,
 * from the inputs as the runner passes them.
 */
import { sessionTagsOf } from '../../../../src/connect/inputs/rules.js';
import { parseActionTimeout, readInputs } from '../../../../src/connect/inputs/read.js';
import { actionDefaults } from '../../../../__fixtures__/runner.js';
import { ARN, ENV, KEYS, OIDC_ENV, planFor, planRefusal } from '../../../../__fixtures__/inputs.js';

const ENV_KEYS = {
  AWS_ACCESS_KEY_ID: 'ASIAENVIRONMENTKEY01',
  AWS_SECRET_ACCESS_KEY: 'envSecretKeyOfAnEarlierStep0123456789abc',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr//////////wEaDHenvironment=',
};
const GITHUB_TAGS = ['GitHub', 'Repository', 'Workflow', 'Action', 'Actor', 'Commit', 'Branch'];
const TAG_ENV = {
  ...ENV,
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_WORKFLOW: 'ci',
  GITHUB_ACTION: 'aws',
  GITHUB_ACTOR: 'octocat',
  GITHUB_SHA: 'abc',
  GITHUB_REF: 'refs/heads/main',
};

describe('role-chaining', () => {
  test('starts from the keys of the environment, even where the job may request an OIDC token', async () => {
    const plan = await planFor({
      inputs: { 'role-to-assume': ARN('next'), 'role-chaining': 'true' },
      env: { ...ENV, ...OIDC_ENV, ...ENV_KEYS },
    });
    expect(plan.base).toEqual({
      kind: 'static',
      from: 'environment',
      accessKeyId: ENV_KEYS.AWS_ACCESS_KEY_ID,
      secretAccessKey: ENV_KEYS.AWS_SECRET_ACCESS_KEY,
      sessionToken: ENV_KEYS.AWS_SESSION_TOKEN,
    });
    // The hop still carries its derived external ID, and is capped as a chained role.
    expect(plan.connections[0]?.externalId).toBe('github:1111:2222:chain:1:next');
  });

  test('a session from the environment caps the role at 3600 s, and says why', async () => {
    const err = await planRefusal({
      inputs: {
        'role-to-assume': ARN('next'),
        'role-chaining': 'true',
        'role-duration-seconds': '7200',
      },
      env: { ...ENV, ...ENV_KEYS },
    });
    expect(err.message).toBe(
      'role-duration-seconds: 7200 is above 3600, the limit for a role assumed with temporary credentials (role-chaining starts from AWS_SESSION_TOKEN of the environment)',
    );
  });

  test('with AWS_PROFILE and no keys, the default provider chain reads that profile', async () => {
    const plan = await planFor({
      inputs: { 'role-to-assume': ARN('next'), 'role-chaining': 'true' },
      env: { ...ENV, ...OIDC_ENV, AWS_PROFILE: 'first' },
    });
    expect(plan.base).toEqual({ kind: 'default-chain' });
  });

  test.each<[string, Record<string, string>, NodeJS.ProcessEnv, string]>([
    [
      'no keys in the environment',
      { 'role-to-assume': ARN('next') },
      { ...ENV, ...OIDC_ENV },
      'role-chaining: is true, but the environment holds no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (nor AWS_PROFILE) for it to start from: an earlier step must export them',
    ],
    [
      'no role',
      {},
      { ...ENV, ...ENV_KEYS },
      'role-chaining: needs a role to assume (role-to-assume, role-chain or connections)',
    ],
    [
      'unset-current-credentials',
      { 'role-to-assume': ARN('next'), 'unset-current-credentials': 'true' },
      { ...ENV, ...ENV_KEYS },
      'unset-current-credentials: cannot be combined with role-chaining, which starts from the credentials it would unset',
    ],
  ])('refused: %s', async (_what, inputs, env, message) => {
    const err = await planRefusal({ inputs: { 'role-chaining': 'true', ...inputs }, env });
    expect(err.message).toContain(message);
  });

  test.each<[string, Record<string, string>, string, string]>([
    ['keys', KEYS, 'static', 'aws-access-key-id'],
    [
      'a token file',
      { 'web-identity-token-file': 'token' },
      'web-identity-file',
      'web-identity-token-file',
    ],
  ])(
    '%s given as inputs are the base, as in the peer, and the log says so',
    async (_w, inputs, kind, input) => {
      const plan = await planFor({
        inputs: { ...inputs, 'role-to-assume': ARN('next'), 'role-chaining': 'true' },
        env: { ...ENV, ...OIDC_ENV, ...ENV_KEYS },
      });
      expect(plan.base.kind).toBe(kind);
      expect(plan.base).not.toHaveProperty('from');
      expect(plan.notices).toEqual([
        `role-chaining: has no effect beside ${input}: credentials given as inputs are the base, as in configure-aws-credentials`,
      ]);
    },
  );

  test('a malformed key of the environment is refused without being shown', async () => {
    const err = await planRefusal({
      inputs: { 'role-to-assume': ARN('next'), 'role-chaining': 'true' },
      env: { ...ENV, ...ENV_KEYS, AWS_SECRET_ACCESS_KEY: 'not a secret!' },
    });
    expect(err.message).toBe(
      'AWS_SECRET_ACCESS_KEY: the value (13 characters) is not a secret access key: 16 to 128 characters of letters, digits and /+=',
    );
  });
});

describe('force-skip-oidc', () => {
  test('with the token variables and a role, the base is the default chain, not OIDC', async () => {
    const inputs = { 'role-to-assume': ARN('r') };
    const env = { ...ENV, ...OIDC_ENV };
    expect((await planFor({ inputs, env })).base.kind).toBe('oidc');
    expect(
      (await planFor({ inputs: { ...inputs, 'force-skip-oidc': 'true' }, env })).base.kind,
    ).toBe('default-chain');
  });
});

describe('a role name in role-to-assume', () => {
  test.each([
    ['my-github-actions-role', 'my-github-actions-role'],
    ['service-role/deployer', 'deployer'],
    ['a/b/c', 'c'],
  ])('%s is kept for the base account, its external ID derived from %s', async (given, name) => {
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': given } });
    expect(plan.roleName).toBe(given);
    expect(plan.connections[0]?.role).toEqual({
      arn: given,
      partition: 'aws',
      accountId: '',
      name,
    });
    expect(plan.connections[0]?.externalId).toBe(`github:1111:2222:chain:1:${name}`);
  });

  test.each([
    ['OIDC', {}, { ...ENV, ...OIDC_ENV }],
    ['a token file', { 'web-identity-token-file': 'token' }, ENV],
  ])(
    'refused on %s: a web identity has no account before its first role',
    async (_w, extra, env) => {
      const err = await planRefusal({ inputs: { 'role-to-assume': 'deployer', ...extra }, env });
      expect(err.message).toBe(
        'role-to-assume: "deployer" is a role name, which is completed with the account of the base keys; a web identity has no account before its first role: give the role\'s ARN',
      );
    },
  );

  test.each(['deploy er', '/leading', 'trailing/', 'a:b'])('refused: %j', async (value) => {
    const err = await planRefusal({ inputs: { ...KEYS, 'role-to-assume': value } });
    expect(err.message).toContain('is neither an IAM role ARN');
  });

  test('role-chain takes ARNs only', async () => {
    const err = await planRefusal({ inputs: { ...KEYS, 'role-chain': 'deployer' } });
    expect(err.message).toContain('is not an IAM role ARN');
  });
});

describe('session tags: custom-tags, transitive-tag-keys, role-skip-session-tagging', () => {
  const tagPlan = (inputs: Record<string, string>) =>
    planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('r'), ...inputs }, env: TAG_ENV });

  test('no tag input: untagged', async () => {
    expect((await tagPlan({})).connections[0]?.tags).toEqual([]);
  });

  test('transitive-tag-keys alone turns on the GitHub context tags, and says so', async () => {
    const plan = await tagPlan({ 'transitive-tag-keys': 'Repository\nWorkflow' });
    expect(plan.connections[0]?.tags.map((t) => t.key)).toEqual(GITHUB_TAGS);
    expect(plan.connections[0]?.transitiveTagKeys).toEqual(['Repository', 'Workflow']);
    expect(plan.notices).toEqual([
      'transitive-tag-keys turned on session tags: the GitHub context tags (GitHub, Repository, Workflow, Action, Actor, Commit, Branch) go on the first AssumeRole, whose trust policy must allow sts:TagSession',
    ]);
  });

  test('custom-tags: the GitHub context tags, then the custom ones', async () => {
    const plan = await tagPlan({ 'custom-tags': '{"Environment": "Production", "Count": 3}' });
    expect(plan.connections[0]?.tags.slice(-2)).toEqual([
      { key: 'Environment', value: 'Production' },
      { key: 'Count', value: '3' },
    ]);
    expect(plan.connections[0]?.tags.map((t) => t.key).slice(0, 7)).toEqual(GITHUB_TAGS);
  });

  test('custom-tags with session-tags: true adds to them, without a notice', async () => {
    const plan = await tagPlan({ 'session-tags': 'true', 'custom-tags': '{"Team": "Platform"}' });
    expect(plan.connections[0]?.tags.map((t) => t.key)).toEqual([...GITHUB_TAGS, 'Team']);
    expect(plan.notices).toEqual([]);
  });

  test('role-skip-session-tagging: false alone has no effect, and says so', async () => {
    const plan = await tagPlan({ 'role-skip-session-tagging': 'false' });
    expect(plan.connections[0]?.tags).toEqual([]);
    expect(plan.notices).toEqual([
      'role-skip-session-tagging: false has no effect: sessions are untagged here unless session-tags, custom-tags or transitive-tag-keys asks for tags',
    ]);
  });

  test('role-skip-session-tagging: true alone leaves the session untagged', async () => {
    const plan = await tagPlan({ 'role-skip-session-tagging': 'true' });
    expect(plan.connections[0]?.tags).toEqual([]);
    expect(plan.notices).toEqual([]);
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'skip beside session-tags',
      { 'role-skip-session-tagging': 'true', 'session-tags': 'true' },
      'role-skip-session-tagging: is true, but session-tags asks for session tags: remove one of them',
    ],
    [
      'skip beside custom-tags',
      { 'role-skip-session-tagging': 'true', 'custom-tags': '{"a":"b"}' },
      'role-skip-session-tagging: is true, but custom-tags asks for session tags: remove one of them',
    ],
    [
      'custom-tags beside a session-tags map',
      { 'session-tags': 'Team: x', 'custom-tags': '{"a":"b"}' },
      'custom-tags: cannot be combined with session-tags as a map: put every tag in one of them',
    ],
    [
      'a custom tag named as a context tag',
      { 'custom-tags': '{"repository": "x"}' },
      'custom-tags: tag key "repository" is one of the GitHub context tags this step sets (Repository)',
    ],
    [
      'custom-tags not JSON',
      { 'custom-tags': 'Team: x' },
      'custom-tags: is not valid JSON (write a JSON object, such as {"Team": "Platform"})',
    ],
    [
      'custom-tags an array',
      { 'custom-tags': '["a"]' },
      'custom-tags: must be a map of tag key to value',
    ],
    [
      'a custom tag with an object value',
      { 'custom-tags': '{"a": {"b": 1}}' },
      'custom-tags: tag "a" must have a text value',
    ],
    [
      'more than 50 tags in all',
      {
        'custom-tags': JSON.stringify(
          Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`k${i}`, 'v'])),
        ),
      },
      'custom-tags: with the 7 GitHub context tags comes to 51 tags, more than 50',
    ],
    [
      'a transitive key that names no tag',
      { 'transitive-tag-keys': 'Nope' },
      'transitive-tag-keys: "Nope" is not one of the session tags',
    ],
    [
      'custom-tags beside connections',
      {
        'role-to-assume': '',
        connections: `a:\n  role-arn: ${ARN('a')}`,
        'custom-tags': '{"a":"b"}',
      },
      'custom-tags: cannot be combined with connections: set it on each connection instead',
    ],
  ])('refused: %s', async (_what, inputs, message) => {
    const err = await planRefusal({
      inputs: { ...KEYS, 'role-to-assume': ARN('r'), ...inputs },
      env: TAG_ENV,
    });
    expect(err.message).toBe(message);
  });

  test('tags asked for on a lone web-identity hop name the input that asked', async () => {
    const err = await planRefusal({
      inputs: { 'role-to-assume': ARN('r'), 'custom-tags': '{"a":"b"}' },
      env: { ...TAG_ENV, ...OIDC_ENV },
    });
    expect(err.message).toBe(
      'custom-tags: needs a role assumed with AssumeRole (a web-identity hop takes its tags from the token)',
    );
  });

  test('sessionTagsOf reads nothing but the inputs and the GitHub context', async () => {
    const all: Record<string, string> = {
      ...actionDefaults(),
      'aws-region': 'eu-west-1',
      'custom-tags': '{"a":"b"}',
    };
    const inputs = await readInputs(
      (n) => all[n] ?? '',
      TAG_ENV,
      () => undefined,
    );
    expect(sessionTagsOf(inputs, {}).tags).toEqual([
      { key: 'GitHub', value: 'Actions' },
      { key: 'a', value: 'b' },
    ]);
  });
});

describe('retries: disable-retry', () => {
  test('one try per call', async () => {
    const plan = await planFor({ inputs: { ...KEYS, 'disable-retry': 'true' } });
    expect(plan.retryMaxAttempts).toBe(1);
    expect(plan.notices).toEqual([]);
  });

  test('wins over retry-max-attempts, and says so', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'disable-retry': 'true', 'retry-max-attempts': '7' },
    });
    expect(plan.retryMaxAttempts).toBe(1);
    expect(plan.notices).toEqual([
      'disable-retry: true wins over retry-max-attempts: 7: one try per STS call',
    ]);
  });

  test('false leaves retry-max-attempts', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'disable-retry': 'false', 'retry-max-attempts': '7' },
    });
    expect(plan.retryMaxAttempts).toBe(7);
  });
});

describe('special-characters-workaround, unset-current-credentials, use-existing-credentials', () => {
  test('the workaround applies to a role', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-to-assume': ARN('r'), 'special-characters-workaround': 'true' },
    });
    expect(plan.specialCharactersWorkaround).toBe(true);
  });

  test('without a role it has no effect, and says so', async () => {
    const plan = await planFor({ inputs: { ...KEYS, 'special-characters-workaround': 'true' } });
    expect(plan.specialCharactersWorkaround).toBe(false);
    expect(plan.notices).toEqual([
      'special-characters-workaround: has no effect without a role: as in configure-aws-credentials, only an assumed role is asked for new keys',
    ]);
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'the workaround with refresh',
      { 'special-characters-workaround': 'true', refresh: 'true' },
      'special-characters-workaround: cannot be combined with refresh, whose renewals export the keys STS returns',
    ],
    [
      'unset with use-existing',
      { 'unset-current-credentials': 'true', 'use-existing-credentials': 'true' },
      'unset-current-credentials: cannot be combined with use-existing-credentials, which checks the credentials it would unset',
    ],
    [
      'a switch that is not a boolean',
      { 'use-existing-credentials': 'yes' },
      'use-existing-credentials: "yes" is not a boolean (use true or false)',
    ],
  ])('refused: %s', async (_what, inputs, message) => {
    const err = await planRefusal({ inputs: { ...KEYS, 'role-to-assume': ARN('r'), ...inputs } });
    expect(err.message).toBe(message);
  });

  test('the switches reach the plan', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'unset-current-credentials': 'true' },
    });
    expect(plan.unsetCurrentCredentials).toBe(true);
    expect(plan.useExistingCredentials).toBe(false);
    const other = await planFor({ inputs: { ...KEYS, 'use-existing-credentials': 'true' } });
    expect(other.useExistingCredentials).toBe(true);
  });
});

describe('action-timeout-s', () => {
  test.each([
    ['', 0],
    ['0', 0],
    ['30', 30],
    ['21600', 21600],
  ])('%j is %d seconds', (value, seconds) => {
    expect(parseActionTimeout(value)).toBe(seconds);
  });

  test.each([
    ['21601', 'action-timeout-s: 21601 is outside 0 to 21600'],
    ['1.5', 'action-timeout-s: "1.5" is not a whole number'],
    ['-1', 'action-timeout-s: "-1" is not a whole number'],
  ])('%j is refused before any call', async (value, message) => {
    const err = await planRefusal({ inputs: { ...KEYS, 'action-timeout-s': value } });
    expect(err.message).toBe(message);
  });
});
