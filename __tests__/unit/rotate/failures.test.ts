import {
  awsCode,
  describeAwsFailure,
  describeGithubFailure,
  isKeyIdMismatch,
  isKeyRefused,
  isRateLimited,
  isRetryableGithub,
  mayHaveWritten,
} from '../../../src/rotate/failures.js';
import { awsError, githubError } from '../../../__fixtures__/rotate-fakes.js';

const network = Object.assign(new Error('fetch failed'), { name: 'TypeError' });

describe('GitHub errors', () => {
  it.each([
    [githubError(500), true, true],
    [githubError(502), true, true],
    [githubError(429), true, false],
    [githubError(403, 'You have exceeded a secondary rate limit'), true, false],
    [githubError(403, 'Forbidden', { 'x-ratelimit-remaining': '0' }), true, false],
    [githubError(403, 'Resource not accessible by integration'), false, false],
    [githubError(401), false, false],
    [githubError(404), false, false],
    [githubError(422, 'key_id is not current'), false, false],
    [new TypeError('fetch failed'), true, true],
  ])('%#: retryable %s, may have written %s', (err, retryable, written) => {
    expect(isRetryableGithub(err)).toBe(retryable);
    expect(mayHaveWritten(err)).toBe(written);
  });

  it('spots rate limits and key_id mismatches', () => {
    expect(isRateLimited(githubError(429))).toBe(true);
    expect(isRateLimited(githubError(403, 'x', { 'retry-after': '3' }))).toBe(true);
    expect(isRateLimited(githubError(403, 'nope'))).toBe(false);
    expect(
      isKeyIdMismatch(
        githubError(422, 'Invalid request.\n\nkey_id 1 is not the current public key.'),
      ),
    ).toBe(true);
    expect(isKeyIdMismatch(githubError(422, 'visibility must be one of'))).toBe(false);
    expect(isKeyIdMismatch(githubError(400, 'key_id'))).toBe(false);
  });

  it.each([
    [
      githubError(401, 'Bad credentials'),
      undefined,
      'x failed: HTTP 401: Bad credentials — github-token was refused: it is invalid or has expired',
    ],
    [
      githubError(403, 'Resource not accessible by integration'),
      { kind: 'env', owner: 'o', repo: 'r', environment: 'prod' },
      /github-token may not use the secrets of env:o\/r\/prod; the default GITHUB_TOKEN cannot write secrets: use a GitHub App token or a fine-grained token with the Secrets permission \(read and write\), plus Environments \(read\) for environment secrets and Organization secrets \(or a classic token with admin:org\)/,
    ],
    [
      githubError(404, 'Not Found'),
      { kind: 'env', owner: 'o', repo: 'r', environment: 'prod' },
      /environment prod of o\/r does not exist/,
    ],
    [
      githubError(404, 'Not Found'),
      { kind: 'org', org: 'o' },
      /organization o does not exist, or github-token may not manage its secrets/,
    ],
    [
      githubError(404, 'Not Found'),
      { kind: 'repo', owner: 'o', repo: 'r' },
      /repository o\/r does not exist, or github-token cannot see it/,
    ],
    [githubError(503, 'down'), undefined, /HTTP 503: down — GitHub did not answer in time/],
    [network, undefined, /x failed: TypeError: fetch failed — GitHub did not answer in time/],
    [githubError(422, 'weird'), undefined, 'x failed: HTTP 422: weird'],
  ] as const)('%#: describes', (err, scope, text) => {
    const message = describeGithubFailure(err, 'x', scope);
    if (typeof text === 'string') expect(message).toBe(text);
    else expect(message).toMatch(text);
  });
});

describe('AWS errors', () => {
  it('drops the SDK suffix and spots refused keys', () => {
    expect(awsCode(awsError('LimitExceededException'))).toBe('LimitExceeded');
    expect(isKeyRefused(awsError('InvalidClientTokenId'))).toBe(true);
    expect(isKeyRefused(awsError('SignatureDoesNotMatch'))).toBe(true);
    expect(isKeyRefused(awsError('AccessDenied'))).toBe(false);
  });

  it('names the action and the policy on AccessDenied', () => {
    expect(
      describeAwsFailure(
        awsError('AccessDenied', 'not authorized'),
        'CreateAccessKey',
        'iam:CreateAccessKey',
        'arn:aws:iam::1:user/u',
      ),
    ).toBe(
      'CreateAccessKey failed: AccessDenied: not authorized — the IAM user may not call iam:CreateAccessKey; attach to the user a policy that allows iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed on arn:aws:iam::1:user/u',
    );
    expect(describeAwsFailure(awsError('AccessDenied', 'x'), 'y', 'iam:X')).toMatch(
      /on arn:aws:iam::ACCOUNT:user\/\$\{aws:username\}$/,
    );
  });

  it('explains LimitExceeded and transient failures', () => {
    expect(
      describeAwsFailure(
        awsError('LimitExceededException', 'quota'),
        'CreateAccessKey',
        'iam:CreateAccessKey',
      ),
    ).toMatch(/another rotation created one just now; nothing was changed, run again$/);
    expect(describeAwsFailure(awsError('Throttling', 'slow'), 'x', 'y')).toMatch(
      /AWS did not answer in time or was unavailable/,
    );
    expect(describeAwsFailure(awsError('ValidationError', 'bad'), 'x', 'y')).toBe(
      'x failed: ValidationError: bad',
    );
  });
});
