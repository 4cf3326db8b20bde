/**
 * Errors that reach the user. Each carries a message meant to be read on its own, in one line,
 * because `core.setFailed` prints exactly that and nothing else.
 */

/** A rejected input: names the input, shows the value (never a secret) and the rule it breaks. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
  }
}

/** Shows a value in an error message: quoted, escaped, shortened. Secrets never come here. */
export function show(value: string, max = 80): string {
  const shown = JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  return value.length > max ? `${shown} (${value.length} characters)` : shown;
}

/** The subset of an AWS SDK error we read. */
interface AwsErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

/** Error codes that a second try can cure. */
const RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'IDPCommunicationError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** Network-level failures (Node's error codes and the SDK's timeout names). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
  'UND_ERR_SOCKET',
]);

/** The AWS error code of an SDK error, or the Node error code of a network error. */
export function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'Error';
  const e = err as AwsErrorLike;
  for (const c of [e.Code, e.code, e.name]) {
    if (typeof c === 'string' && c !== '' && c !== 'Error') return c;
  }
  return 'Error';
}

/** HTTP status of an SDK error, when the service answered. */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as AwsErrorLike).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Whether a failed call can succeed if made again: throttling, 5xx, network faults and
 * unparseable answers. AccessDenied, a wrong key and a bad parameter never can.
 */
export function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  if (RETRYABLE_CODES.has(code) || NETWORK_CODES.has(code)) return true;
  const status = httpStatus(err);
  if (status !== undefined && status >= 500) return true;
  if (status === 429) return true;
  // The SDK raises a parse error for a truncated or garbled body; the next answer may be whole.
  // Not for a 4xx: a proxy's HTML refusal page is an answer, and a retry gets the same one.
  const message = typeof err === 'object' && err !== null ? (err as AwsErrorLike).message : '';
  if (
    (status === undefined || status < 400) &&
    typeof message === 'string' &&
    /Deserialization error|char '.*' is not expected|Unexpected end|socket hang up/i.test(message)
  ) {
    return true;
  }
  return false;
}

/** The message of anything thrown, on one line. */
export function messageOf(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.replace(/\s*\n\s*/g, ' ').trim();
}
