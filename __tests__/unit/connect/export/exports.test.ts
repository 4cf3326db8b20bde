import { InputError } from '../../../../src/shared/errors.js';
import {
  checkAllowedAccounts,
  connectionsOutput,
  CREDENTIAL_VARIABLES,
  longTermKeyWarning,
  planExports,
  renderConfig,
  renderCredentials,
} from '../../../../src/connect/export/exports.js';
import type { ConnectionResult, Plan } from '../../../../src/connect/model.js';
import type { Resolution } from '../../../../src/connect/resolve/resolve.js';
import { chainPlan, plan, result, session, spec } from '../../../../__fixtures__/plans.js';

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

describe('planExports', () => {
  test('a chain: region, then the last hop as AWS_* variables, and the outputs', () => {
    const { plan: p, resolution } = chain(3);
    const last = resolution.primary;
    const e = planExports(p, resolution);
    expect(e.variables).toEqual([
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
      ['AWS_ACCESS_KEY_ID', last?.credentials.accessKeyId],
      ['AWS_SECRET_ACCESS_KEY', last?.credentials.secretAccessKey],
      ['AWS_SESSION_TOKEN', last?.credentials.sessionToken],
    ]);
    expect(Object.fromEntries(e.outputs)).toEqual({
      'aws-account-id': '123456789012',
      'authenticated-arn': last?.arn,
      expiration: '2030-01-01T01:00:00.000Z',
      'external-id': 'github:1111:2222:chain:3:hop3',
      connections: JSON.stringify(connectionsOutput(resolution.connections)),
    });
    expect(e.files).toEqual([]);
    expect(e.fileVariables).toEqual([]);
  });

  test('output-credentials adds the keys as outputs', () => {
    const { plan: p, resolution } = chain(1, [], { outputCredentials: true });
    const c = resolution.primary?.credentials;
    const outputs = Object.fromEntries(planExports(p, resolution).outputs);
    expect(outputs).toMatchObject({
      'aws-access-key-id': c?.accessKeyId,
      'aws-secret-access-key': c?.secretAccessKey,
      'aws-session-token': c?.sessionToken,
    });
  });

  test('output-env-credentials false: only the region is exported', () => {
    const { plan: p, resolution } = chain(1, [], {
      outputEnvCredentials: false,
      outputCredentials: true,
    });
    expect(planExports(p, resolution).variables.map(([n]) => n)).toEqual([
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ]);
  });

  test('a long-term key (no token) blanks AWS_SESSION_TOKEN and has no token output', () => {
    const p = plan({ outputCredentials: true, sessionCredentials: false });
    const primary = {
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
      arn: '',
      accountId: '',
    };
    const e = planExports(p, { connections: [], primary });
    expect(e.variables).toContainEqual(['AWS_SESSION_TOKEN', '']);
    expect(e.outputs.map(([n]) => n)).not.toContain('aws-session-token');
    expect(e.outputs.map(([n]) => n)).not.toContain('connections');
    expect(Object.fromEntries(e.outputs)).toMatchObject({ expiration: '', 'external-id': '' });
  });

  test('named connections: profile files, file variables, and the primary as variables', () => {
    const { plan: p, resolution } = named('app');
    const e = planExports(p, resolution);
    expect(e.files.map((f) => f.name)).toEqual(['config', 'credentials']);
    expect(e.files[0]?.content).toBe(renderConfig(resolution.connections));
    expect(e.files[1]?.content).toBe(renderCredentials(resolution.connections));
    expect(e.fileVariables).toEqual([
      ['AWS_CONFIG_FILE', 'config'],
      ['AWS_SHARED_CREDENTIALS_FILE', 'credentials'],
    ]);
    expect(Object.fromEntries(e.variables)).toMatchObject({
      AWS_ACCESS_KEY_ID: resolution.primary?.credentials.accessKeyId,
    });
  });

  test('named connections with no primary: no AWS_* credentials, no primary outputs', () => {
    const { plan: p, resolution } = named();
    const e = planExports(p, resolution);
    expect(e.variables.map(([n]) => n)).toEqual(['AWS_REGION', 'AWS_DEFAULT_REGION']);
    expect(e.outputs.map(([n]) => n)).toEqual(['connections']);
  });

  test('refresh profiles replace fixed keys, which are blanked', () => {
    const { plan: p, resolution } = chain(2, [], { refresh: true, outputCredentials: true });
    const profile = { name: 'config', content: '[profile chain-2]\ncredential_process = x\n' };
    const e = planExports(p, resolution, {
      files: [profile],
      profile: 'aws-connection',
      renewal: { from: 'OIDC' },
    });
    expect(e.files).toEqual([profile]);
    expect(e.fileVariables).toEqual([['AWS_CONFIG_FILE', 'config']]);
    expect(e.variables.slice(0, 2)).toEqual([
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ]);
    const variables = Object.fromEntries(e.variables);
    expect(variables['AWS_PROFILE']).toMatch(/\S/);
    expect(variables['AWS_PROFILE']).toBe('aws-connection');
    for (const name of CREDENTIAL_VARIABLES) expect(variables[name]).toBe('');
    const secrets = Object.values(resolution.primary?.credentials ?? {}).map(String);
    expect(e.variables.filter(([, v]) => secrets.includes(v))).toEqual([]);
    expect(e.outputs.map(([n]) => n)).not.toContain('aws-secret-access-key');
    expect(e.outputs.map(([n]) => n)).not.toContain('aws-access-key-id');
  });
});

describe('renderers', () => {
  const [hub, app] = named('app').resolution.connections;
  const both = [hub, app].filter((c): c is ConnectionResult => c !== undefined);

  test('config: one profile per connection, with its region', () => {
    expect(renderConfig(both)).toBe(
      '[profile hub]\nregion = eu-west-1\n\n[profile app]\nregion = us-east-1\n',
    );
  });

  test('credentials: each session; no token line without a token', () => {
    const noToken: ConnectionResult = {
      spec: spec('key'),
      session: {
        credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' },
        arn: '',
        accountId: '',
      },
    };
    expect(renderCredentials([...both, noToken])).toBe(
      [
        '[hub]',
        'aws_access_key_id = ASIAHUBKEY',
        'aws_secret_access_key = secret-of-hub',
        'aws_session_token = token-of-hub',
        '',
        '[app]',
        'aws_access_key_id = ASIAAPPKEY',
        'aws_secret_access_key = secret-of-app',
        'aws_session_token = token-of-app',
        '',
        '[key]',
        'aws_access_key_id = AKIA1',
        'aws_secret_access_key = s1',
        '',
      ].join('\n'),
    );
  });

  test('connectionsOutput: no secret', () => {
    const out = connectionsOutput(both);
    expect(out).toEqual({
      hub: {
        'role-arn': hub?.spec.role.arn,
        'aws-account-id': '123456789012',
        'authenticated-arn': hub?.session.arn,
        'external-id': hub?.spec.externalId,
        expiration: '',
        region: 'eu-west-1',
      },
      app: {
        'role-arn': app?.spec.role.arn,
        'aws-account-id': '123456789012',
        'authenticated-arn': app?.session.arn,
        'external-id': app?.spec.externalId,
        expiration: '',
        region: 'us-east-1',
      },
    });
    expect(JSON.stringify(out)).not.toMatch(/secret-of|token-of/);
  });
});
