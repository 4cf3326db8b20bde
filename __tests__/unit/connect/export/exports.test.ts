import { InputError } from '../../../../src/shared/errors.js';
import {
  checkAllowedAccounts,
  connectionsOutput,
  describeLaterSteps,
  longTermKeyWarning,
  overriddenRegionWarning,
  planExports,
} from '../../../../src/connect/export/exports.js';
import type { ConnectionResult, Plan } from '../../../../src/connect/model.js';
import type { LaterSteps } from '../../../../src/connect/export/environment.js';
import type { Resolution } from '../../../../src/connect/resolve/resolve.js';
import {
  chainPlan,
  laterSteps,
  plan,
  result,
  session,
  spec,
} from '../../../../__fixtures__/plans.js';

const EXPIRY = new Date('2030-01-01T01:00:00.000Z');

/** A resolved chain of `n`: hop i lands in account `accounts[i]`. */
function chain(
  n: number,
  accounts: string[] = [],
  overrides: Partial<Plan> = {},
): { plan: Plan; resolution: Resolution } {
  const p = chainPlan(n, overrides);
  const connections = p.connections.map((s, i) => result(s, accounts[i] ?? s.role.accountId));
  const last = connections.at(-1);
  if (last) last.session.credentials.expiration = EXPIRY;
  return { plan: p, resolution: last ? { connections, primary: last.session } : { connections } };
}

function named(primary?: string): { plan: Plan; resolution: Resolution } {
  const hub = spec('hub', { region: 'eu-west-1' });
  const app = spec('app', { source: 'hub', region: 'us-east-1' });
  const p = plan({ named: true, connections: [hub, app] });
  if (primary !== undefined) p.primary = primary;
  const connections: ConnectionResult[] = [result(hub), result(app)];
  const r: Resolution = { connections };
  const found = connections.find((c) => c.spec.name === primary);
  if (found) r.primary = found.session;
  return { plan: p, resolution: r };
}

describe('checkAllowedAccounts', () => {
  test.each([
    ['no list: anything goes', chain(2, ['111111111111', '999999999999']), [], undefined],
    [
      'the last hop is in the list',
      chain(2, ['111111111111', '222222222222']),
      ['222222222222'],
      undefined,
    ],
    [
      'only the last hop of a chain counts',
      chain(2, ['999999999999', '222222222222']),
      ['222222222222'],
      undefined,
    ],
    [
      'the last hop is elsewhere',
      chain(3, ['111111111111', '222222222222', '333333333333']),
      ['111111111111', '222222222222'],
      'allowed-account-ids: role 3 of 3 resolved to account "333333333333", which is not in the list (111111111111, 222222222222)',
    ],
  ])('%s', (_what, { plan: p, resolution }, allowed, message) => {
    p.allowedAccountIds = allowed;
    const call = (): void => checkAllowedAccounts(p, resolution);
    if (message === undefined) expect(call).not.toThrow();
    else {
      expect(call).toThrow(InputError);
      expect(call).toThrow(message);
    }
  });

  // The bad account first, last, and on a connection that is not the primary one: checking
  // only the last connection, or only the primary, must not pass.
  test.each([
    ['hub', 'hub'],
    ['hub', 'app'],
    ['hub', undefined],
    ['app', 'hub'],
    ['app', undefined],
  ])('every named connection counts: %s elsewhere (primary %s)', (bad, primary) => {
    const { plan: p, resolution } = named(primary);
    const other = resolution.connections.find((c) => c.spec.name === bad);
    if (other) other.session.accountId = '999999999999';
    p.allowedAccountIds = ['123456789012'];
    expect(() => checkAllowedAccounts(p, resolution)).toThrow(
      `allowed-account-ids: connection "${bad}" resolved to account "999999999999", which is not in the list (123456789012)`,
    );
  });

  test('named connections all in the list pass', () => {
    const { plan: p, resolution } = named('app');
    p.allowedAccountIds = ['123456789012'];
    expect(() => checkAllowedAccounts(p, resolution)).not.toThrow();
  });

  test('the base credentials alone', () => {
    const p = plan({ allowedAccountIds: ['123456789012'] });
    expect(() =>
      checkAllowedAccounts(p, { connections: [], primary: session('base', '123456789012') }),
    ).not.toThrow();
    expect(() =>
      checkAllowedAccounts(p, { connections: [], primary: session('base', '444444444444') }),
    ).toThrow(
      'allowed-account-ids: the base credentials resolved to account "444444444444", which is not in the list (123456789012)',
    );
  });
});

describe('longTermKeyWarning', () => {
  const WARNING =
    'session-credentials is false: the long-term access key is exported as it is. Prefer session credentials or a role.';
  const keys = { kind: 'static', accessKeyId: 'AKIAX', secretAccessKey: 's' } as const;

  test.each<[string, Partial<Plan>, string | undefined]>([
    ['static keys, no role, session-credentials false', { sessionCredentials: false }, WARNING],
    ['session-credentials true', { sessionCredentials: true }, undefined],
    [
      'temporary keys',
      { sessionCredentials: false, base: { ...keys, sessionToken: 't' } },
      undefined,
    ],
    ['a role', { sessionCredentials: false, connections: [spec('chain-1')] }, undefined],
    [
      'another base',
      { sessionCredentials: false, base: { kind: 'oidc', audience: 'sts.amazonaws.com' } },
      undefined,
    ],
  ])('%s', (_, over, expected) => {
    expect(longTermKeyWarning(plan({ base: keys, ...over }))).toBe(expected);
  });
});

const NOTHING_BEFORE = { dir: '/t/aws-connection-x', before: {}, carried: {} };
const around = (before: Record<string, string> = {}, carried = {}) => ({
  dir: '/t/aws-connection-x',
  before,
  carried,
});
const valuesOf = (e: { variables: { name: string; value: string }[] }): Record<string, string> =>
  Object.fromEntries(e.variables.map((v) => [v.name, v.value]));

describe('planExports', () => {
  test('a chain: the last hop as AWS_* variables, then the region, and the outputs', () => {
    const { plan: p, resolution } = chain(3);
    const last = resolution.primary;
    const e = planExports(p, resolution, NOTHING_BEFORE);
    expect(e.variables).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', value: last?.credentials.accessKeyId, previous: null },
      { name: 'AWS_SECRET_ACCESS_KEY', value: last?.credentials.secretAccessKey, previous: null },
      { name: 'AWS_SESSION_TOKEN', value: last?.credentials.sessionToken, previous: null },
      { name: 'AWS_CREDENTIAL_EXPIRATION', value: '2030-01-01T01:00:00.000Z', previous: null },
      { name: 'AWS_REGION', value: 'eu-west-1', previous: null },
      { name: 'AWS_DEFAULT_REGION', value: 'eu-west-1', previous: null },
    ]);
    expect(Object.fromEntries(e.outputs)).toEqual({
      'aws-account-id': '123456789012',
      'authenticated-arn': last?.arn,
      expiration: '2030-01-01T01:00:00.000Z',
      'external-id': 'github:1111:2222:chain:3:hop3',
      connections: JSON.stringify(connectionsOutput(p, resolution.connections)),
    });
    expect(e.files).toEqual([]);
    expect(e.laterSteps.plain).toEqual({
      identity: last?.arn,
      region: 'eu-west-1',
      from: 'variables',
    });
  });

  test('output-credentials adds the keys as outputs', () => {
    const { plan: p, resolution } = chain(1, [], { outputCredentials: true });
    const c = resolution.primary?.credentials;
    const outputs = Object.fromEntries(planExports(p, resolution, NOTHING_BEFORE).outputs);
    expect(outputs).toMatchObject({
      'aws-access-key-id': c?.accessKeyId,
      'aws-secret-access-key': c?.secretAccessKey,
      'aws-session-token': c?.sessionToken,
    });
  });

  test('output-env-credentials false: nothing is exported, not even the region (as in the peer)', () => {
    const { plan: p, resolution } = chain(1, [], {
      outputEnvCredentials: false,
      outputCredentials: true,
    });
    const e = planExports(p, resolution, NOTHING_BEFORE);
    expect(e.variables.map((v) => v.name)).toEqual([]);
    expect(e.files).toEqual([]);
    expect(e.laterSteps.plain.from).toBe('nothing');
  });

  test('a long-term key (no token) leaves no token variable and has no token output', () => {
    const p = plan({ outputCredentials: true, sessionCredentials: false });
    const primary = {
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
      arn: '',
      accountId: '',
    };
    const e = planExports(p, { connections: [], primary }, NOTHING_BEFORE);
    expect(valuesOf(e)).not.toHaveProperty('AWS_SESSION_TOKEN');
    // One an earlier step left would not fit these keys: it is blanked.
    const after = planExports(p, { connections: [], primary }, around({ AWS_SESSION_TOKEN: 't' }));
    expect(valuesOf(after)['AWS_SESSION_TOKEN']).toBe('');
    expect(e.outputs.map(([n]) => n)).not.toContain('aws-session-token');
    expect(e.outputs.map(([n]) => n)).not.toContain('connections');
    expect(Object.fromEntries(e.outputs)).toMatchObject({ expiration: '', 'external-id': '' });
  });

  test('named connections: the hub only feeds app, so only app is a profile', () => {
    const { plan: p, resolution } = named('app');
    const e = planExports(p, resolution, NOTHING_BEFORE);
    expect(e.files.map((f) => f.name)).toEqual(['config', 'credentials']);
    expect(e.files[0]?.content).toBe(
      '[default]\nregion = us-east-1\n\n[profile app]\nregion = us-east-1\n',
    );
    expect(e.files[1]?.content).not.toContain('[hub]');
    expect(e.files[1]?.content).toContain('[app]\naws_access_key_id = ASIAAPPKEY');
    // The default profile mirrors the AWS_* variables.
    expect(e.files[1]?.content).toMatch(/^\[default\]\naws_access_key_id = ASIAAPPKEY/);
    expect(valuesOf(e)).toMatchObject({
      AWS_ACCESS_KEY_ID: resolution.primary?.credentials.accessKeyId,
      AWS_CONFIG_FILE: '/t/aws-connection-x/config',
      AWS_SHARED_CREDENTIALS_FILE: '/t/aws-connection-x/credentials',
      AWS_SDK_LOAD_CONFIG: '1',
      // The primary's own region, the one its profile has too.
      AWS_REGION: 'us-east-1',
    });
    expect(e.laterSteps.profiles.map((x) => x.name)).toEqual(['app']);
  });

  test('export: true makes a hub a profile too', () => {
    const { plan: p, resolution } = named();
    const hub = p.connections.find((c) => c.name === 'hub');
    if (hub) hub.export = true;
    const e = planExports(p, resolution, NOTHING_BEFORE);
    expect(e.laterSteps.profiles.map((x) => x.name)).toEqual(['hub', 'app']);
  });

  test('named connections with no primary and their own regions: no AWS_* credentials, the region in the default profile', () => {
    const { plan: p, resolution } = named();
    const hub = p.connections.find((c) => c.name === 'hub');
    if (hub) hub.export = true;
    const e = planExports(p, resolution, NOTHING_BEFORE);
    const names = e.variables.map((v) => v.name);
    expect(names).not.toContain('AWS_ACCESS_KEY_ID');
    // Set, they would win over each profile's own region in every tool.
    expect(names).not.toContain('AWS_REGION');
    expect(names).not.toContain('AWS_DEFAULT_REGION');
    expect(e.files[0]?.content).toMatch(/^\[default\]\nregion = eu-west-1\n/);
    expect(e.laterSteps).toMatchObject({
      plain: { region: 'eu-west-1', from: 'nothing' },
      regionInProfiles: true,
      profiles: [
        { name: 'hub', region: 'eu-west-1' },
        { name: 'app', region: 'us-east-1' },
      ],
    });
    expect(e.outputs.map(([n]) => n)).toEqual(['connections']);
  });

  test('an earlier AWS_REGION cannot be unset: it is set to the step region, and the log says which profiles lose theirs', () => {
    const { plan: p, resolution } = named();
    const e = planExports(p, resolution, around({ AWS_REGION: 'sa-east-1' }));
    expect(valuesOf(e)).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(e.laterSteps.profiles).toEqual([
      expect.objectContaining({ name: 'app', region: 'eu-west-1', ownRegion: 'us-east-1' }),
    ]);
    expect(overriddenRegionWarning(e.laterSteps)).toContain('profile app (us-east-1)');
  });

  test("an earlier AWS_PROFILE is pointed at the step's default profile, never emptied", () => {
    const { plan: p, resolution } = chain(1);
    const e = planExports(p, resolution, around({ AWS_PROFILE: 'old', AWS_DEFAULT_PROFILE: '' }));
    expect(valuesOf(e)).toMatchObject({ AWS_PROFILE: 'default', AWS_DEFAULT_PROFILE: 'default' });
    expect(e.files.map((f) => f.name)).toEqual(['config', 'credentials']);
    expect(e.laterSteps.repointed).toEqual(['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);
    // Never set where no step set it: an empty one breaks the CLI, any one the JS SDK's keys.
    expect(valuesOf(planExports(p, resolution, NOTHING_BEFORE))).not.toHaveProperty('AWS_PROFILE');
  });

  test("earlier profiles are carried into the step's files, except its own names and default", () => {
    const { plan: p, resolution } = named('app');
    const e = planExports(
      p,
      resolution,
      around(
        {},
        {
          config:
            '[default]\nregion = ap-south-1\n[profile app]\nregion = x\n[profile old]\nregion = us-east-1\n',
          credentials: '[default]\naws_access_key_id = OLD\n[old]\naws_access_key_id = OLDKEY\n',
        },
      ),
    );
    const [config, credentials] = e.files.map((f) => f.content);
    expect(config).toContain('[profile old]\nregion = us-east-1');
    expect(config).not.toContain('ap-south-1');
    expect(config?.match(/\[profile app\]/g)).toHaveLength(1);
    expect(credentials).toContain('[old]\naws_access_key_id = OLDKEY');
    expect(credentials).not.toContain('= OLD\n');
    expect(e.laterSteps.carried).toEqual([{ name: 'old', region: 'us-east-1' }]);
  });

  test('refresh profiles replace fixed keys: the default profile renews as the primary', () => {
    const { plan: p, resolution } = chain(2, [], { refresh: true, outputCredentials: true });
    const plan = { name: 'refresh.json', content: '{}' };
    const e = planExports(
      p,
      resolution,
      around({ AWS_ACCESS_KEY_ID: 'AKIAOLD', AWS_ROLE_ARN: 'arn:aws:iam::1:role/x' }),
      {
        files: [plan],
        profiles: [
          { name: 'aws-connection', connection: 'chain-2', region: 'eu-west-1', command: 'renew' },
        ],
        primary: 'aws-connection',
        renewal: { from: 'OIDC' },
      },
    );
    expect(e.files.map((f) => f.name)).toEqual(['refresh.json', 'config', 'credentials']);
    expect(e.files[1]?.content).toBe(
      '[default]\nregion = eu-west-1\ncredential_process = renew\n\n[profile aws-connection]\nregion = eu-west-1\ncredential_process = renew\n',
    );
    expect(e.files[2]?.content).toBe('');
    const variables = valuesOf(e);
    expect(variables).not.toHaveProperty('AWS_PROFILE');
    // Keys would win over the profile; a web identity would in botocore.
    expect(variables['AWS_ACCESS_KEY_ID']).toBe('');
    expect(variables['AWS_ROLE_ARN']).toBe('');
    const secrets = Object.values(resolution.primary?.credentials ?? {}).map(String);
    expect(e.variables.filter((v) => secrets.includes(v.value))).toEqual([]);
    expect(e.outputs.map(([n]) => n)).not.toContain('aws-secret-access-key');
    expect(e.laterSteps.plain).toMatchObject({ from: 'profile', region: 'eu-west-1' });
  });
});

describe('planExports: aws-profile', () => {
  test('the primary as the named profile; with the environment off, plain steps get nothing and no AWS_REGION', () => {
    const { plan: p, resolution } = chain(1, [], {
      awsProfile: 'dev',
      outputEnvCredentials: false,
    });
    const e = planExports(p, resolution, NOTHING_BEFORE);
    const [config, credentials] = e.files.map((f) => f.content);
    expect(config).toBe('[default]\nregion = eu-west-1\n\n[profile dev]\nregion = eu-west-1\n');
    expect(credentials).toMatch(/^\[dev\]\naws_access_key_id = /);
    const names = e.variables.map((v) => v.name);
    expect(names).not.toContain('AWS_ACCESS_KEY_ID');
    // configure-aws-credentials exports the region only with the environment, too.
    expect(names).not.toContain('AWS_REGION');
    expect(e.laterSteps.plain.from).toBe('nothing');
    expect(e.laterSteps.profiles).toEqual([
      expect.objectContaining({
        name: 'dev',
        identity: resolution.primary?.arn,
        region: 'eu-west-1',
      }),
    ]);
  });

  test('with output-env-credentials true: the keys, the default profile and the named one agree, and AWS_PROFILE stays unset', () => {
    const { plan: p, resolution } = chain(1, [], { awsProfile: 'dev', outputEnvCredentials: true });
    const e = planExports(p, resolution, NOTHING_BEFORE);
    const values = valuesOf(e);
    expect(values['AWS_ACCESS_KEY_ID']).toBe(resolution.primary?.credentials.accessKeyId);
    expect(values).not.toHaveProperty('AWS_PROFILE');
    expect(e.files[1]?.content).toMatch(/^\[default\]\naws_access_key_id = /);
    expect(e.files[1]?.content).toContain('[dev]\naws_access_key_id = ');
  });
});

describe('describeLaterSteps', () => {
  test('one line for plain steps and one per profile, then what was set and cleared', () => {
    const { plan: p, resolution } = named('app');
    const e = planExports(p, resolution, around({ AWS_ROLE_ARN: 'r' }));
    expect(describeLaterSteps(e.laterSteps)).toEqual([
      'Later steps get:',
      `  naming no profile: ${resolution.primary?.arn ?? ''} in us-east-1 (AWS_* variables)`,
      `  --profile app: ${resolution.primary?.arn ?? ''} in us-east-1`,
      expect.stringMatching(/^Set: AWS_ACCESS_KEY_ID, .*AWS_CONFIG_FILE/),
      'Cleared (an earlier step set them): AWS_ROLE_ARN.',
    ]);
  });
});

describe('connectionsOutput', () => {
  const { plan: p, resolution } = named('app');
  const [hub, app] = resolution.connections;

  test('no secret; says which connections are profiles', () => {
    const out = connectionsOutput(p, resolution.connections);
    expect(out).toEqual({
      hub: {
        'role-arn': hub?.spec.role.arn,
        'aws-account-id': '123456789012',
        'authenticated-arn': hub?.session.arn,
        'external-id': hub?.spec.externalId,
        expiration: '',
        region: 'eu-west-1',
        exported: 'false',
      },
      app: {
        'role-arn': app?.spec.role.arn,
        'aws-account-id': '123456789012',
        'authenticated-arn': app?.session.arn,
        'external-id': app?.spec.externalId,
        expiration: '',
        region: 'us-east-1',
        exported: 'true',
      },
    });
    expect(JSON.stringify(out)).not.toMatch(/secret-of|token-of/);
  });
});

describe('checkAllowedAccounts: the base credentials beside named connections', () => {
  test('with connections, primary base credentials in another account are refused by name', () => {
    const { plan: p, resolution } = named();
    p.allowedAccountIds = ['123456789012'];
    resolution.primary = session('base', '444444444444');
    expect(() => checkAllowedAccounts(p, resolution)).toThrow(
      'allowed-account-ids: the base credentials resolved to account "444444444444", which is not in the list (123456789012)',
    );
  });
});

describe('planExports: what each later step gets, exactly', () => {
  test('a chain on a clean runner: variables only, no files', () => {
    const { plan: p, resolution } = chain(1);
    const e = planExports(p, resolution, NOTHING_BEFORE);
    expect(e.files).toEqual([]);
    expect(e.laterSteps.set).toEqual(e.variables.map((v) => v.name));
    expect(e.laterSteps.cleared).toEqual([]);
    expect(e.laterSteps.repointed).toEqual([]);
  });

  test('set, cleared and repointed each hold their own variables and no other', () => {
    const { plan: p, resolution } = chain(1);
    const e = planExports(
      p,
      resolution,
      around({
        AWS_PROFILE: 'old',
        AWS_REGION: 'sa-east-1',
        AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
      }),
    );
    const values = valuesOf(e);
    expect(e.laterSteps.set).toEqual(e.variables.filter((v) => v.value !== '').map((v) => v.name));
    expect(e.laterSteps.set).toContain('AWS_REGION');
    expect(e.laterSteps.cleared).toEqual(['AWS_ROLE_ARN']);
    expect(values['AWS_ROLE_ARN']).toBe('');
    // AWS_REGION had a value before too: it is set, not repointed.
    expect(e.laterSteps.repointed).toEqual(['AWS_PROFILE']);
  });

  test('a chain beside an earlier profile with a region of its own: the step region goes into its own default profile', () => {
    const { plan: p, resolution } = chain(1);
    const e = planExports(
      p,
      resolution,
      around({}, { config: '[profile old]\nregion = us-east-1\n', credentials: '' }),
    );
    expect(e.files.map((f) => f.name)).toEqual(['config', 'credentials']);
    expect(e.files[0]?.content).toMatch(/^\[default\]\nregion = eu-west-1\n/);
    expect(valuesOf(e)).not.toHaveProperty('AWS_REGION');
  });

  test('environment off and no profile: plain steps get nothing, with no identity at all', () => {
    const { plan: p, resolution } = chain(1, [], { outputEnvCredentials: false });
    const e = planExports(p, resolution, NOTHING_BEFORE);
    expect(e.laterSteps.plain).toStrictEqual({ region: 'eu-west-1', from: 'nothing' });
  });

  const refreshOf = (
    profiles: { name: string; connection: string; region: string; command: string }[],
    primary: string,
  ) => ({
    files: [{ name: 'refresh.json', content: '{}' }],
    profiles,
    primary,
    renewal: { from: 'OIDC' as const },
  });

  test('refresh: the default profile renews as the primary, wherever it stands in the list', () => {
    const { plan: p, resolution } = named('app');
    const e = planExports(
      p,
      resolution,
      NOTHING_BEFORE,
      refreshOf(
        [
          { name: 'hub', connection: 'hub', region: 'eu-west-1', command: 'renew hub' },
          { name: 'app', connection: 'app', region: 'us-east-1', command: 'renew app' },
        ],
        'app',
      ),
    );
    expect(e.files[1]?.content).toMatch(
      /^\[default\]\nregion = us-east-1\ncredential_process = renew app\n/,
    );
    expect(e.laterSteps.plain).toStrictEqual({
      identity: resolution.primary?.arn,
      region: 'us-east-1',
      from: 'profile',
    });
    // The summary says where renewals start from.
    expect(e.summary).toContain('**Refresh on:** `credential_process` renews the profiles from');
  });

  test('refresh with no profile of its own still writes the step files', () => {
    const { plan: p, resolution } = chain(1, [], { refresh: true });
    const e = planExports(p, resolution, NOTHING_BEFORE, refreshOf([], 'aws-connection'));
    expect(e.files.map((f) => f.name)).toEqual(['refresh.json', 'config', 'credentials']);
  });

  test('a refresh profile of no resolved connection names no identity', () => {
    const { plan: p, resolution } = chain(1, [], { refresh: true });
    const e = planExports(
      p,
      resolution,
      NOTHING_BEFORE,
      refreshOf([{ name: 'x', connection: 'nowhere', region: 'eu-west-1', command: 'renew' }], 'x'),
    );
    expect(e.laterSteps.profiles[0]?.identity).toBe('');
    expect(e.laterSteps.plain).toStrictEqual({ region: 'eu-west-1', from: 'profile' });
  });
});

describe('describeLaterSteps: every line', () => {
  const later = laterSteps;

  test('nothing for plain steps, nothing set: two lines, and no empty lists', () => {
    expect(describeLaterSteps(later())).toEqual([
      'Later steps get:',
      '  naming no profile: no credentials in eu-west-1',
    ]);
    expect(
      describeLaterSteps(later({ plain: { identity: '', region: 'eu-west-1', from: 'nothing' } })),
    ).toEqual(['Later steps get:', '  naming no profile: no credentials in eu-west-1']);
  });

  test('the default profile, a carried profile, each list, one repointed and the region note', () => {
    expect(
      describeLaterSteps(
        later({
          plain: { identity: 'arn:x', region: 'eu-west-1', from: 'profile' },
          profiles: [{ name: 'app', identity: '', region: 'us-east-1', ownRegion: 'us-east-1' }],
          carried: [{ name: 'old', region: 'ap-south-1' }],
          set: ['AWS_CONFIG_FILE'],
          cleared: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'],
          repointed: ['AWS_PROFILE'],
          regionInProfiles: true,
        }),
      ),
    ).toEqual([
      'Later steps get:',
      '  naming no profile: arn:x in eu-west-1 (the default profile)',
      '  --profile app: no credentials in us-east-1',
      '  --profile old: as an earlier step left it, in ap-south-1',
      'Set: AWS_CONFIG_FILE.',
      'Cleared (an earlier step set them): AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE.',
      'AWS_PROFILE (set by an earlier step, which no step can unset) now names the default profile.',
      "AWS_REGION and AWS_DEFAULT_REGION are not set: they would win over each profile's own region.",
    ]);
  });

  test('two repointed: "name", not "names"', () => {
    expect(
      describeLaterSteps(later({ repointed: ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] })),
    ).toContain(
      'AWS_PROFILE and AWS_DEFAULT_PROFILE (set by an earlier step, which no step can unset) now name the default profile.',
    );
  });
});

describe('overriddenRegionWarning: exactly the profiles that lose their region', () => {
  const profile = (name: string, region: string, ownRegion: string) => ({
    name,
    identity: 'arn:x',
    region,
    ownRegion,
  });
  const later = (profiles: LaterSteps['profiles']): LaterSteps =>
    laterSteps({ plain: { region: 'sa-east-1', from: 'variables' }, profiles });

  test('none: no warning', () => {
    expect(
      overriddenRegionWarning(later([profile('a', 'eu-west-1', 'eu-west-1')])),
    ).toBeUndefined();
    expect(overriddenRegionWarning(later([]))).toBeUndefined();
  });

  test('one, beside one that keeps its own', () => {
    expect(
      overriddenRegionWarning(
        later([profile('a', 'sa-east-1', 'eu-west-1'), profile('b', 'sa-east-1', 'sa-east-1')]),
      ),
    ).toBe(
      "An earlier step set AWS_REGION or AWS_DEFAULT_REGION, which no step can unset and which every tool takes over a profile's region: profile a (eu-west-1) resolves in sa-east-1 unless a step passes --region.",
    );
  });

  test('two', () => {
    expect(
      overriddenRegionWarning(
        later([profile('a', 'sa-east-1', 'eu-west-1'), profile('b', 'sa-east-1', 'us-east-1')]),
      ),
    ).toMatch(/: profile a \(eu-west-1\), profile b \(us-east-1\) resolve in sa-east-1 unless/);
  });
});

describe('connectionsOutput: a connection without an external ID', () => {
  test('says so with an empty text', () => {
    const c = result(spec('plain'));
    delete c.spec.externalId;
    expect(connectionsOutput(plan({ named: true }), [c])['plain']?.['external-id']).toBe('');
  });
});
