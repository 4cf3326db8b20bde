/** src/connect/export/profile-files.ts: the step's config and credentials files, pure. */
import {
  carriedProfiles,
  configRegions,
  definingFile,
  renderProfileFiles,
} from '../../../../src/connect/export/profile-files.js';

const KEYS = { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't' };

const EARLIER_CONFIG = [
  '# an earlier step',
  '[default]',
  'region = ap-south-1',
  '',
  '[profile old]',
  'region = us-east-1',
  'credential_process = cat /x',
  '',
  '[profile app]',
  'region = sa-east-1',
  '',
  '[sso-session corp]',
  'sso_region = eu-west-1',
  '',
].join('\n');

const EARLIER_CREDENTIALS =
  '[default]\naws_access_key_id = D\n\n[app]\naws_access_key_id = A\n\n[old]\naws_access_key_id = O\n';

describe('renderProfileFiles', () => {
  test('default first, then what earlier files had (but ours and default), then ours', () => {
    const files = renderProfileFiles(
      { region: 'eu-west-1', credentials: KEYS },
      [{ name: 'app', region: 'eu-central-1', credentialProcess: 'renew' }],
      { config: EARLIER_CONFIG, credentials: EARLIER_CREDENTIALS },
    );
    expect(files.config).toBe(
      [
        '[default]',
        'region = eu-west-1',
        '',
        '# an earlier step',
        '[profile old]',
        'region = us-east-1',
        'credential_process = cat /x',
        '',
        '[sso-session corp]',
        'sso_region = eu-west-1',
        '',
        '[profile app]',
        'region = eu-central-1',
        'credential_process = renew',
        '',
      ].join('\n'),
    );
    // The earlier keys of `app` and `default` would shadow ours: gone; `old` is carried.
    expect(files.credentials).toBe(
      '[default]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\n\n[old]\naws_access_key_id = O\n',
    );
  });

  test("no earlier files: only the step's own; no token line without a token", () => {
    const files = renderProfileFiles(
      { region: 'eu-west-1' },
      [
        {
          name: 'k',
          region: 'eu-west-1',
          credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' },
        },
      ],
      {},
    );
    expect(files).toEqual({
      config: '[default]\nregion = eu-west-1\n\n[profile k]\nregion = eu-west-1\n',
      credentials: '[k]\naws_access_key_id = AKIA1\naws_secret_access_key = s1\n',
    });
  });
});

describe('what earlier files hold', () => {
  test('carriedProfiles: each profile but default and the dropped, with its region', () => {
    expect(carriedProfiles(EARLIER_CONFIG, new Set(['app']))).toEqual([
      { name: 'old', region: 'us-east-1' },
    ]);
    expect(carriedProfiles('[profile bare]\noutput = json\n', new Set())).toEqual([
      { name: 'bare' },
    ]);
    expect(carriedProfiles(undefined, new Set())).toEqual([]);
  });

  test('configRegions: every profile region, default included, not an sso-session one', () => {
    expect(configRegions(EARLIER_CONFIG)).toEqual(['ap-south-1', 'us-east-1', 'sa-east-1']);
    expect(configRegions(undefined)).toEqual([]);
  });

  test('definingFile: the config or the credentials file that has the profile', () => {
    const carried = { config: EARLIER_CONFIG, credentials: EARLIER_CREDENTIALS };
    expect(definingFile('old', carried)).toBe('config');
    expect(definingFile('app', { credentials: EARLIER_CREDENTIALS })).toBe('credentials');
    expect(definingFile('corp', carried)).toBeUndefined();
    expect(definingFile('new', carried)).toBeUndefined();
  });
});
