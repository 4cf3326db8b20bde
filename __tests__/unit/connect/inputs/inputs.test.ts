import {
  DEFAULT_CONNECTIONS_FILE,
  DEFAULT_FILE_NOTICE,
  getPlan,
  Input,
} from '../../../../src/connect/inputs/inputs.js';
import { actionDefaults } from '../../../../__fixtures__/runner.js';
import {
  ARN,
  ENV,
  KEYS,
  OIDC_ENV,
  planFor,
  planRefusal,
  TOKEN,
} from '../../../../__fixtures__/inputs.js';

/** getPlan as a whole: the region, no role, the step's other inputs, named connections. */

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
    expect((await planRefusal({ inputs: { ...KEYS, ...inputs } })).message).toBe(message);
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
    expect((await planRefusal({ inputs })).message).toContain(message);
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
      'connection: "prod" needs connections (the connections input, or a file named by connections-file)',
    ],
  ])('refuses %s: %j', async (name, value, message) => {
    expect(
      (await planRefusal({ inputs: { ...KEYS, 'role-to-assume': ARN('a'), [name]: value } }))
        .message,
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
    [
      'the default file, named',
      { 'connections-file': DEFAULT_CONNECTIONS_FILE },
      { [DEFAULT_CONNECTIONS_FILE]: yaml },
    ],
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
    const err = await planRefusal({
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
    expect((await planRefusal({ inputs: { ...KEYS, ...inputs } })).message).toContain(message);
  });

  test('a missing connections file', async () => {
    expect(
      (await planRefusal({ inputs: { ...KEYS, 'connections-file': 'nope.yml' } })).message,
    ).toBe('connections-file: "nope.yml" does not exist');
  });

  test('errors in the default file name connections-file', async () => {
    const err = await planRefusal({
      inputs: { ...KEYS, 'connections-file': DEFAULT_CONNECTIONS_FILE },
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
  test('the default connections file is never read implicitly, with a role or without', async () => {
    const files = { [DEFAULT_CONNECTIONS_FILE]: `hub:\n  role-arn: ${ARN('hub')}\n` };
    const plan = await planFor({ inputs: { ...KEYS, 'role-to-assume': ARN('deployer') }, files });
    expect(plan.named).toBe(false);
    expect(plan.connections.map((c) => c.role.name)).toEqual(['deployer']);
    const chain = await planFor({ inputs: { ...KEYS, 'role-chain': ARN('a') }, files });
    expect(chain.named).toBe(false);
    // With no role of its own either: the workspace never chooses the role.
    const unnamed = await planFor({ inputs: KEYS, files });
    expect(unnamed.named).toBe(false);
    expect(unnamed.connections).toEqual([]);
    expect(unnamed.notices).toEqual([DEFAULT_FILE_NOTICE]);
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

describe('getPlan: aws-profile', () => {
  test('a profile name: the environment is off unless asked for (as configure-aws-credentials reads it)', async () => {
    const plan = await planFor({
      inputs: { ...KEYS, 'role-to-assume': ARN('a'), 'aws-profile': 'MyProfile1' },
    });
    expect(plan).toMatchObject({
      awsProfile: 'MyProfile1',
      outputEnvCredentials: false,
      overwriteAwsProfile: false,
    });
    const both = await planFor({
      inputs: {
        ...KEYS,
        'role-to-assume': ARN('a'),
        'aws-profile': 'dev',
        'output-env-credentials': 'true',
        'overwrite-aws-profile': 'true',
      },
    });
    expect(both).toMatchObject({
      awsProfile: 'dev',
      outputEnvCredentials: true,
      overwriteAwsProfile: true,
    });
    // Without it, the environment is on by default.
    expect((await planFor({ inputs: KEYS })).outputEnvCredentials).toBe(true);
  });

  test.each([
    ['my profile', 'whitespace'],
    ['a[b]', 'brackets'],
    ['a/b', 'slashes'],
    ['a\\b', 'slashes'],
    ['a#b', '#'],
    ['x'.repeat(129), '128'],
  ])('refuses %j (%s) before any call, naming the rule', async (name) => {
    expect(
      (await planRefusal({ inputs: { ...KEYS, 'role-to-assume': ARN('a'), 'aws-profile': name } }))
        .message,
    ).toMatch(
      /^aws-profile: ".*" (\(\d+ characters\) )?must be 1 to 128 characters without whitespace, brackets, slashes, # or ;$/,
    );
  });

  test('refused with connections, whose names are the profiles', async () => {
    expect(
      (
        await planRefusal({
          inputs: { ...KEYS, connections: `app:\n  role-arn: ${ARN('a')}\n`, 'aws-profile': 'p' },
        })
      ).message,
    ).toBe(
      'aws-profile: cannot be combined with connections: each connection is already a profile of its name',
    );
  });
});
