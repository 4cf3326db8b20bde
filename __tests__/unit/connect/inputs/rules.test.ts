import { InputError } from '../../../../src/shared/errors.js';
import type { ConnectInputs } from '../../../../src/connect/inputs/read.js';
import {
  checkRoleSources,
  chooseBase,
  rejectRoleOnlyInputs,
  rejectStepRoleOptions,
} from '../../../../src/connect/inputs/rules.js';
import type { InputName } from '../../../../src/connect/inputs/table.js';
import {
  ARN,
  ENV,
  KEYS,
  OIDC_ENV,
  planFor,
  planRefusal,
  TOKEN,
} from '../../../../__fixtures__/inputs.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function inputs(overrides: Partial<ConnectInputs> = {}): ConnectInputs {
  return {
    region: 'eu-west-1',
    accessKeyId: '',
    secretAccessKey: '',
    sessionToken: '',
    webIdentityTokenFile: '',
    audience: 'sts.amazonaws.com',
    roleToAssume: '',
    roleChain: '',
    connection: '',
    sessionName: 'GitHubActions',
    duration: '',
    externalIds: '',
    inlineSessionPolicy: '',
    managedSessionPolicies: '',
    sessionTags: [],
    sessionTagsFrom: 'off',
    customTags: [],
    transitiveTagKeys: [],
    allowedAccountIds: [],
    sessionCredentials: true,
    outputCredentials: false,
    outputEnvCredentials: true,
    overwriteAwsProfile: false,
    maskAccountId: false,
    retryMaxAttempts: 4,
    refresh: false,
    roleChaining: false,
    forceSkipOidc: false,
    disableRetry: false,
    specialCharactersWorkaround: false,
    unsetCurrentCredentials: false,
    useExistingCredentials: false,
    actionTimeoutSeconds: 0,
    refreshWindowSeconds: 21600,
    given: new Set(),
    notices: [],
    ...overrides,
  };
}

function refusal(rule: () => unknown): string {
  try {
    rule();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('chooseBase', () => {
  test.each<[string, Partial<ConnectInputs>, NodeJS.ProcessEnv, unknown]>([
    [
      'keys',
      { accessKeyId: KEY, secretAccessKey: SECRET },
      {},
      { kind: 'static', accessKeyId: KEY, secretAccessKey: SECRET },
    ],
    [
      'temporary keys',
      { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: 'FwoGZXIvYXdzEJr=' },
      {},
      {
        kind: 'static',
        accessKeyId: KEY,
        secretAccessKey: SECRET,
        sessionToken: 'FwoGZXIvYXdzEJr=',
      },
    ],
    [
      'a token file',
      { webIdentityTokenFile: '/t' },
      OIDC_ENV,
      { kind: 'web-identity-file', path: '/t' },
    ],
    [
      'OIDC, with a role',
      { roleToAssume: 'arn' },
      OIDC_ENV,
      { kind: 'oidc', audience: 'sts.amazonaws.com' },
    ],
    ['the default chain: no role', {}, OIDC_ENV, { kind: 'default-chain' }],
    ['the default chain: no OIDC', { roleToAssume: 'arn' }, {}, { kind: 'default-chain' }],
  ])('%s', (_what, overrides, env, base) => {
    expect(chooseBase(inputs(overrides), env)).toEqual(base);
  });

  test.each<[Partial<ConnectInputs>, string]>([
    [{ accessKeyId: KEY }, 'aws-secret-access-key: is required with aws-access-key-id'],
    [{ secretAccessKey: SECRET }, 'aws-access-key-id: is required with aws-secret-access-key'],
    [
      { sessionToken: 'FwoGZXIvYXdzEJr=' },
      'aws-session-token: needs aws-access-key-id and aws-secret-access-key',
    ],
    [
      { accessKeyId: KEY, secretAccessKey: SECRET, webIdentityTokenFile: '/t' },
      'web-identity-token-file: cannot be combined with aws-access-key-id',
    ],
    [{ audience: 'a b' }, 'audience: "a b" must be 1 to 256 printable characters'],
    [{ audience: 'a\nb' }, 'audience: "a\\nb" must be a single line'],
  ])('refuses %j', (overrides, message) => {
    expect(refusal(() => chooseBase(inputs(overrides), {}))).toContain(message);
  });

  test('the audience is not looked at beside keys', () => {
    const base = chooseBase(
      inputs({ accessKeyId: KEY, secretAccessKey: SECRET, audience: 'a b' }),
      {},
    );
    expect(base.kind).toBe('static');
  });
});

describe('checkRoleSources', () => {
  const named = { input: 'connections', text: 'a: {}' };
  test.each<[Partial<ConnectInputs>]>([
    [{}],
    [{ roleChain: 'a' }],
    [{ connections: named, connection: 'a' }],
  ])('accepts %j', (overrides) => {
    expect(() => checkRoleSources(inputs(overrides))).not.toThrow();
  });
  test.each<[Partial<ConnectInputs>, string]>([
    [
      { roleChain: 'a', roleToAssume: 'b' },
      'role-chain: cannot be combined with role-to-assume (a single role is a chain of one)',
    ],
    [{ connections: named, roleChain: 'a' }, 'connections: cannot be combined with role-chain'],
    [
      { connections: named, roleToAssume: 'a' },
      'connections: cannot be combined with role-to-assume',
    ],
    [
      { connection: 'app' },
      'connection: "app" needs connections (the connections input, or a file named by connections-file)',
    ],
  ])('refuses %j', (overrides, message) => {
    expect(refusal(() => checkRoleSources(inputs(overrides)))).toBe(message);
  });
});

describe('refusals of given inputs', () => {
  const given = (...names: InputName[]): Partial<ConnectInputs> => ({ given: new Set(names) });
  const WITH_CONNECTIONS = 'cannot be combined with connections: set it on each connection instead';
  const NEEDS_ROLE = 'needs a role (role-to-assume, role-chain or connections)';
  test.each<[(i: ConnectInputs) => void, InputName[], string]>([
    [
      rejectStepRoleOptions,
      ['role-duration-seconds'],
      `role-duration-seconds: ${WITH_CONNECTIONS}`,
    ],
    [
      rejectStepRoleOptions,
      ['source-identity', 'session-tags'],
      `session-tags: ${WITH_CONNECTIONS}`,
    ],
    [rejectRoleOnlyInputs, ['web-identity-token-file'], `web-identity-token-file: ${NEEDS_ROLE}`],
    [rejectRoleOnlyInputs, ['source-identity'], `source-identity: ${NEEDS_ROLE}`],
  ])('%p refuses %j', (rule, names, message) => {
    expect(refusal(() => rule(inputs(given(...names))))).toBe(message);
  });
  test.each<[(i: ConnectInputs) => void, InputName]>([
    [rejectStepRoleOptions, 'role-session-name'],
    [rejectRoleOnlyInputs, 'role-duration-seconds'],
  ])('%p lets %s through', (rule, name) => {
    expect(() => rule(inputs(given(name)))).not.toThrow();
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
    expect((await planRefusal({ inputs })).message).toContain(message);
  });

  test('never shows a secret in an error', async () => {
    const secret = 'not/a+valid secret value';
    const err = await planRefusal({ inputs: { ...KEYS, 'aws-secret-access-key': secret } });
    expect(err.message).not.toContain(secret);
  });
});
