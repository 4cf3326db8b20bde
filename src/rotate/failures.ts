/**
 * Classifying and explaining the failures of a rotation: which GitHub errors a retry can
 * cure, which writes may have landed, and the one-line messages that say what to change.
 * Pure: reads only the fields Octokit and the AWS SDK put on their errors.
 */
import { errorCode, isRetryable, messageOf } from '../shared/errors.js';
import { scopeLabel, type Scope } from './targets.js';

/** The IAM policy a rotating user needs on itself. */
export const IAM_ACTIONS = [
  'iam:ListAccessKeys',
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:DeleteAccessKey',
  'iam:GetAccessKeyLastUsed',
] as const;

/** An error that ends the rotation; its message is the one line the job fails with. */
export class RotationError extends Error {
  override readonly name = 'RotationError';
}

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown> };
}

/** The HTTP status of a GitHub error; undefined for a network failure. */
export function githubStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as HttpErrorLike).status;
  return typeof status === 'number' ? status : undefined;
}

function header(err: unknown, name: string): string | undefined {
  const value = (err as HttpErrorLike | null)?.response?.headers?.[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A primary or secondary rate limit (429, or 403 that says so). */
export function isRateLimited(err: unknown): boolean {
  const status = githubStatus(err);
  if (status === 429) return true;
  if (status !== 403) return false;
  return (
    header(err, 'x-ratelimit-remaining') === '0' ||
    header(err, 'retry-after') !== undefined ||
    /rate limit/i.test(messageOf(err))
  );
}

/** Whether a GitHub call may succeed if made again: 5xx, rate limits, network faults. */
export function isRetryableGithub(err: unknown): boolean {
  const status = githubStatus(err);
  if (status === undefined) return isRetryable(err) || err instanceof TypeError;
  return status >= 500 || status === 408 || isRateLimited(err);
}

/** Whether a failed write may still have been stored: no answer, or a 5xx (GitHub may have applied it). */
export function mayHaveWritten(err: unknown): boolean {
  const status = githubStatus(err);
  return status === undefined || status >= 500 || status === 408;
}

/** GitHub refused a sealed value because the scope's public key changed (422 naming key_id). */
export function isKeyIdMismatch(err: unknown): boolean {
  return githubStatus(err) === 422 && /key.?id/i.test(messageOf(err));
}

const TOKEN_HELP =
  'the default GITHUB_TOKEN cannot write secrets: use a GitHub App token or a fine-grained token with the Secrets permission (read and write), plus Environments (read) for environment secrets and Organization secrets (or a classic token with admin:org) for organization secrets';

/** One line for a failed GitHub call: what was being done, the status, the message, and what to change. */
export function describeGithubFailure(err: unknown, doing: string, scope?: Scope): string {
  const status = githubStatus(err);
  const text = `${doing} failed: ${status === undefined ? errorCode(err) : `HTTP ${status}`}: ${messageOf(err)}`;
  const hint = githubHint(status, err, scope);
  return hint === '' ? text : `${text} — ${hint}`;
}

function githubHint(status: number | undefined, err: unknown, scope?: Scope): string {
  if (status === 401) return 'github-token was refused: it is invalid or has expired';
  if (status === 403 && !isRateLimited(err))
    return `github-token may not use the secrets of ${scope ? scopeLabel(scope) : 'this scope'}; ${TOKEN_HELP}`;
  if (status === 404 && scope) {
    if (scope.kind === 'env')
      return `environment ${scope.environment} of ${scope.owner}/${scope.repo} does not exist, or github-token cannot see it (create the environment first)`;
    if (scope.kind === 'org')
      return `organization ${scope.org} does not exist, or github-token may not manage its secrets (${TOKEN_HELP})`;
    return `repository ${scope.owner}/${scope.repo} does not exist, or github-token cannot see it`;
  }
  if (status === undefined || status >= 500 || isRateLimited(err))
    return 'GitHub did not answer in time or was unavailable; run again';
  return '';
}

/** The error code without the SDK's `Exception` suffix (`LimitExceededException` → `LimitExceeded`). */
export function awsCode(err: unknown): string {
  return errorCode(err).replace(/Exception$/, '');
}

/** A key the call was signed with was refused (deleted, wrong secret, or not yet propagated). */
export function isKeyRefused(err: unknown): boolean {
  return [
    'InvalidClientTokenId',
    'SignatureDoesNotMatch',
    'UnrecognizedClient',
    'AuthFailure',
  ].includes(awsCode(err));
}

export function isAccessDenied(err: unknown): boolean {
  return ['AccessDenied', 'UnauthorizedOperation'].includes(awsCode(err));
}

/** The policy statement to attach, for `userArn`. */
export function policyHint(userArn: string): string {
  return `attach to the user a policy that allows ${IAM_ACTIONS.join(', ')} on ${userArn}`;
}

/**
 * One line for a failed AWS call: what was being done, the code and message, and what to
 * change. `action` is the IAM or STS action (`iam:CreateAccessKey`), `userArn` the user when known.
 */
export function describeAwsFailure(
  err: unknown,
  doing: string,
  action: string,
  userArn?: string,
): string {
  const code = awsCode(err);
  const text = `${doing} failed: ${errorCode(err)}: ${messageOf(err)}`;
  let hint = '';
  if (isAccessDenied(err)) {
    hint = `the IAM user may not call ${action}; ${policyHint(userArn ?? 'arn:aws:iam::ACCOUNT:user/${aws:username}')}`;
  } else if (code === 'LimitExceeded') {
    hint =
      'the user already has two access keys, most likely because another rotation created one just now; nothing was changed, run again';
  } else if (isRetryable(err)) {
    hint = 'AWS did not answer in time or was unavailable; run again';
  }
  return hint === '' ? text : `${text} — ${hint}`;
}
