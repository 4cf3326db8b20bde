import {
  getSettings,
  parseMinAge,
  ROTATE_INPUTS,
  parseSecondsMs,
  resolveIamEndpoint,
  type RotateInputName,
} from '../../../src/rotate/inputs.js';
import { manifestInputs } from '../../../__fixtures__/manifest.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const BASE: Record<string, string> = {
  'aws-access-key-id': KEY,
  'aws-secret-access-key': SECRET,
  'aws-region': 'eu-west-1',
  'github-token': 'ghs_abc',
  targets: 'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
};

const settings = (inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) => {
  const all = { ...BASE, ...inputs };
  return getSettings((name: RotateInputName) => all[name] ?? '', env);
};

describe('getSettings', () => {
  it('applies the defaults', () => {
    expect(settings()).toEqual({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      region: 'eu-west-1',
      githubToken: 'ghs_abc',
      targets: [
        {
          scope: { kind: 'repo', owner: 'octo', repo: 'app' },
          idName: 'AWS_ACCESS_KEY_ID',
          secretName: 'AWS_SECRET_ACCESS_KEY',
        },
      ],
      githubApiUrl: 'https://api.github.com',
      dryRun: false,
      deleteOldKey: true,
      secondKey: 'retire',
      graceSeconds: 0,
      verifySuccesses: 3,
      verifyTimeoutMs: 60_000,
      verifyIntervalMs: 2000,
      retryMaxAttempts: 4,
    });
  });

  it('reads every input', () => {
    const s = settings({
      'github-api-url': 'https://ghe.example.com/api/v3/',
      'dry-run': 'true',
      'min-age': '30d',
      'delete-old-key': 'False',
      'second-key': 'strict',
      'grace-seconds': '300',
      'verify-successes': '5',
      'verify-timeout-seconds': '120',
      'verify-interval-seconds': '0.25',
      'retry-max-attempts': '2',
    });
    expect(s).toMatchObject({
      githubApiUrl: 'https://ghe.example.com/api/v3',
      dryRun: true,
      minAgeMs: 30 * 86_400_000,
      deleteOldKey: false,
      secondKey: 'strict',
      graceSeconds: 300,
      verifySuccesses: 5,
      verifyTimeoutMs: 120_000,
      verifyIntervalMs: 250,
      retryMaxAttempts: 2,
    });
  });

  it('takes the region, API URL and endpoints from the environment', () => {
    const s = settings(
      { 'aws-region': '' },
      {
        AWS_REGION: 'us-east-2',
        GITHUB_API_URL: 'http://127.0.0.1:8080',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:5001',
      },
    );
    expect(s).toMatchObject({
      region: 'us-east-2',
      githubApiUrl: 'http://127.0.0.1:8080',
      stsEndpoint: 'http://127.0.0.1:5000/',
      iamEndpoint: 'http://127.0.0.1:5001/',
    });
  });

  it('lets the github-api-url input win over GITHUB_API_URL', () => {
    expect(
      settings({ 'github-api-url': 'https://x.example' }, { GITHUB_API_URL: 'https://y.example' })
        .githubApiUrl,
    ).toBe('https://x.example');
  });

  it.each([
    [{ 'aws-access-key-id': '' }, /^aws-access-key-id: is required$/],
    [{ 'aws-secret-access-key': '' }, /^aws-secret-access-key: is required$/],
    [{ 'github-token': '' }, /^github-token: is required$/],
    [{ targets: '' }, /^targets: is required$/],
    [{ 'aws-region': '' }, /aws-region: is required \(or set AWS_REGION\)/],
    [{ 'aws-region': 'Europe' }, /aws-region: "Europe" is not an AWS region/],
    [
      { 'aws-access-key-id': 'short' },
      /aws-access-key-id: the value \(5 characters\) is not an access key ID/,
    ],
    [{ 'github-token': 'two words' }, /github-token: the value \(9 characters\) must be one word/],
    [{ 'dry-run': 'yes' }, /dry-run: "yes" is not a boolean/],
    [{ 'delete-old-key': '1' }, /delete-old-key: "1" is not a boolean/],
    [{ 'second-key': 'keep' }, /second-key: "keep" must be retire or strict/],
    [{ 'min-age': '30' }, /min-age: "30" is not an age: a whole number and a unit/],
    [{ 'min-age': '3w' }, /min-age: "3w" is not an age/],
    [{ 'min-age': '4000d' }, /min-age: "4000d" is more than 3650 days/],
    [{ 'grace-seconds': '-1' }, /grace-seconds: "-1" is not a whole number/],
    [{ 'grace-seconds': '99999' }, /grace-seconds: 99999 is outside 0 to 3600/],
    [{ 'grace-seconds': '3601' }, /grace-seconds: 3601 is outside 0 to 3600/],
    [{ 'verify-successes': '0' }, /verify-successes: 0 is outside 1 to 20/],
    [
      { 'verify-timeout-seconds': '1000' },
      /verify-timeout-seconds: 1000 is outside 1 to 900 seconds/,
    ],
    [
      { 'verify-interval-seconds': 'fast' },
      /verify-interval-seconds: "fast" is not a number of seconds/,
    ],
    [{ 'retry-max-attempts': '11' }, /retry-max-attempts: 11 is outside 1 to 10/],
    [{ 'github-api-url': 'ftp://x' }, /github-api-url: "ftp:\/\/x" must be an http/],
    [{ targets: 'repo:octo A B' }, /^targets: line 1/],
  ])('refuses %j', (inputs, message) => {
    expect(() => settings(inputs)).toThrow(message);
  });

  it('never shows a credential in an error', () => {
    const secret = 'not a valid secret but a long one !!';
    try {
      settings({ 'aws-secret-access-key': secret });
      throw new Error('no error');
    } catch (err) {
      expect((err as Error).message).toMatch(/aws-secret-access-key: the value \(36 characters\)/);
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it('reads a bad GITHUB_API_URL as the variable it came from', () => {
    expect(() => settings({}, { GITHUB_API_URL: 'nope' })).toThrow(
      /^GITHUB_API_URL: "nope" is not a URL/,
    );
  });
});

describe('parseMinAge', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['3600s', 3_600_000],
    ['0d', 0],
    [' 7 d ', 7 * 86_400_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseMinAge('min-age', text)).toBe(ms);
  });
});

describe('parseSecondsMs', () => {
  it('takes up to three decimals', () => {
    expect(parseSecondsMs('x', '0.05', 0, 60)).toBe(50);
    expect(parseSecondsMs('x', '2', 0, 60)).toBe(2000);
    expect(() => parseSecondsMs('x', '0.0001', 0, 60)).toThrow(/not a number of seconds/);
  });
});

describe('resolveIamEndpoint', () => {
  it('prefers AWS_ENDPOINT_URL_IAM, then AWS_ENDPOINT_URL, else none', () => {
    expect(
      resolveIamEndpoint({ AWS_ENDPOINT_URL_IAM: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' }),
    ).toBe('http://a:1/');
    expect(resolveIamEndpoint({ AWS_ENDPOINT_URL: 'http://b:2' })).toBe('http://b:2/');
    expect(resolveIamEndpoint({})).toBeUndefined();
    expect(() => resolveIamEndpoint({ AWS_ENDPOINT_URL_IAM: 'x' })).toThrow(
      /AWS_ENDPOINT_URL_IAM: "x" is not a URL/,
    );
  });
});

describe('ROTATE_INPUTS', () => {
  it('is what rotate/action.yml declares: the same inputs, the same defaults', () => {
    expect(manifestInputs('rotate/action.yml')).toEqual(
      Object.values(ROTATE_INPUTS).map((def) => [def.name, 'default' in def ? def.default : '']),
    );
  });
});
