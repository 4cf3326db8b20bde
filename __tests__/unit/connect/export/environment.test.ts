/** src/connect/export/environment.ts: each variable a later step's tools read, decided. */
import {
  laterStepEnvironment,
  needsOwnFiles,
  regionInEnvironment,
  type EnvironmentInput,
} from '../../../../src/connect/export/environment.js';

const KEYS = {
  credentials: {
    accessKeyId: 'ASIANEW',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: new Date('2030-01-01T00:00:00Z'),
  },
  accountId: '123456789012',
};
const FILES = { config: '/t/d/config', credentials: '/t/d/credentials' };
const REGION = { plain: 'eu-west-1', inEnvironment: true };

function decide(input: Partial<EnvironmentInput>): Record<string, [string, string | null]> {
  const changes = laterStepEnvironment({ before: {}, region: REGION, ...input });
  return Object.fromEntries(changes.map((c) => [c.name, [c.value, c.previous]]));
}

describe('laterStepEnvironment', () => {
  test('keys: set with their expiry and the region; nothing else where nothing was set', () => {
    expect(decide({ keys: KEYS })).toEqual({
      AWS_ACCESS_KEY_ID: ['ASIANEW', null],
      AWS_SECRET_ACCESS_KEY: ['secret', null],
      AWS_SESSION_TOKEN: ['token', null],
      AWS_CREDENTIAL_EXPIRATION: ['2030-01-01T00:00:00.000Z', null],
      AWS_REGION: ['eu-west-1', null],
      AWS_DEFAULT_REGION: ['eu-west-1', null],
    });
  });

  test('keys over an earlier step: its token, account and scope follow; competing sources cleared', () => {
    const before = {
      AWS_SECURITY_TOKEN: 'old-token',
      AWS_ACCOUNT_ID: '999999999999',
      AWS_CREDENTIAL_SCOPE: 'scope',
      AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/t/token',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://x',
      AWS_ROLE_SESSION_NAME: '',
    };
    expect(decide({ before, keys: KEYS })).toMatchObject({
      AWS_SECURITY_TOKEN: ['token', 'old-token'],
      AWS_ACCOUNT_ID: ['123456789012', '999999999999'],
      AWS_CREDENTIAL_SCOPE: ['', 'scope'],
      AWS_ROLE_ARN: ['', 'arn:aws:iam::1:role/x'],
      AWS_WEB_IDENTITY_TOKEN_FILE: ['', '/t/token'],
      AWS_CONTAINER_CREDENTIALS_FULL_URI: ['', 'http://x'],
    });
    // Already empty: nothing to clear.
    expect(decide({ before, keys: KEYS })).not.toHaveProperty('AWS_ROLE_SESSION_NAME');
  });

  test('a long-term key over an earlier session: the stale token and expiry are blanked', () => {
    const keys = { credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' }, accountId: '1' };
    expect(
      decide({ before: { AWS_SESSION_TOKEN: 't', AWS_CREDENTIAL_EXPIRATION: 'x' }, keys }),
    ).toMatchObject({ AWS_SESSION_TOKEN: ['', 't'], AWS_CREDENTIAL_EXPIRATION: ['', 'x'] });
  });

  test('profiles: the files; earlier keys blanked; profile variables pointed at default, never set from nothing', () => {
    expect(decide({ files: FILES })).toEqual({
      AWS_CONFIG_FILE: ['/t/d/config', null],
      AWS_SHARED_CREDENTIALS_FILE: ['/t/d/credentials', null],
      AWS_SDK_LOAD_CONFIG: ['1', null],
      AWS_REGION: ['eu-west-1', null],
      AWS_DEFAULT_REGION: ['eu-west-1', null],
    });
    const before = { AWS_ACCESS_KEY_ID: 'AKIAOLD', AWS_PROFILE: 'old', AWS_DEFAULT_PROFILE: '' };
    expect(decide({ before, files: FILES })).toMatchObject({
      AWS_ACCESS_KEY_ID: ['', 'AKIAOLD'],
      AWS_PROFILE: ['default', 'old'],
      AWS_DEFAULT_PROFILE: ['default', ''],
    });
  });

  test('region in the default profile: the region variables are left alone', () => {
    const changes = decide({ files: FILES, region: { plain: 'eu-west-1', inEnvironment: false } });
    expect(changes).not.toHaveProperty('AWS_REGION');
    expect(changes).not.toHaveProperty('AWS_DEFAULT_REGION');
  });
});

describe('regionInEnvironment and needsOwnFiles', () => {
  test.each<[string, Record<string, string>, string[], boolean, boolean]>([
    ['every profile in the plain region', {}, ['eu-west-1'], true, true],
    ['a profile of its own region', {}, ['eu-west-1', 'us-east-1'], true, false],
    [
      'an earlier AWS_REGION, which cannot be unset',
      { AWS_REGION: 'x' },
      ['us-east-1'],
      true,
      true,
    ],
    ['an earlier empty AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: '' }, ['us-east-1'], true, true],
    ['the environment off (aws-profile)', {}, ['eu-west-1'], false, false],
  ])('%s', (_what, before, regions, toEnvironment, expected) => {
    expect(regionInEnvironment(before, 'eu-west-1', regions, toEnvironment)).toBe(expected);
  });

  test("own files for the default profile's region, or for an earlier AWS_PROFILE to name", () => {
    expect(needsOwnFiles({}, true)).toBe(false);
    expect(needsOwnFiles({}, false)).toBe(true);
    expect(needsOwnFiles({ AWS_DEFAULT_PROFILE: 'x' }, true)).toBe(true);
  });
});
