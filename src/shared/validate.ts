/**
 * Pure validation rules for every value that reaches STS or IAM. Each function takes the
 * input's name and raw text, and returns the parsed value or throws an {@link InputError}
 * that names the input, shows the value and states the rule. Limits come from the STS API
 * reference; the SDK checks none of them.
 */
import { InputError, show } from './errors.js';

/** AWS partitions and the region prefixes that belong to them. */
const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;
export type Partition = (typeof PARTITIONS)[number];

const REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?|eu-isoe|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/((?:[\u0021-\u007e]+\/)?)([\w+=,.@-]{1,64})$/;
const POLICY_ARN = /^arn:([a-z-]+):iam::(\d{12}|aws):policy\/[\u0021-\u007e]{1,1900}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const ACCOUNT_ID = /^\d{12}$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const SECRET_KEY = /^[A-Za-z0-9/+=]{16,128}$/;

/** The limits STS puts on durations. */
export const DURATION = {
  min: 900,
  /** AssumeRole and AssumeRoleWithWebIdentity from long-term or web-identity credentials. */
  maxAssumeRole: 43200,
  /** AssumeRole signed with temporary credentials (role chaining or GetSessionToken). */
  maxChained: 3600,
  maxSessionToken: 129600,
} as const;

/** The partition a region belongs to. */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** Rejects text that spans lines, where one line is expected. */
export function singleLine(input: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new InputError(input, `${show(value)} must be a single line`);
  return value;
}

/** An AWS region such as `eu-west-1`. */
export function parseRegion(input: string, value: string): string {
  singleLine(input, value);
  if (!REGION.test(value)) {
    throw new InputError(
      input,
      `${show(value)} is not an AWS region (expected a name such as eu-west-1)`,
    );
  }
  return value;
}

/** A parsed IAM role ARN. */
export interface RoleArn {
  arn: string;
  partition: Partition;
  accountId: string;
  /** The role name, the last segment of the ARN. */
  name: string;
}

/** An IAM role ARN, in the partition of `region`. */
export function parseRoleArn(input: string, value: string, region: string): RoleArn {
  singleLine(input, value);
  const m = ROLE_ARN.exec(value);
  if (!m || value.length > 2048) {
    throw new InputError(
      input,
      `${show(value)} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
    );
  }
  const [, partition = '', accountId = '', , name = ''] = m;
  if (!(PARTITIONS as readonly string[]).includes(partition)) {
    throw new InputError(input, `${show(value)} has an unknown partition ${show(partition)}`);
  }
  const expected = partitionOfRegion(region);
  if (partition !== expected) {
    throw new InputError(
      input,
      `${show(value)} is in partition ${partition}, but region ${region} is in partition ${expected}`,
    );
  }
  return { arn: value, partition, accountId, name };
}

/** A managed policy ARN for a session. */
export function parsePolicyArn(input: string, value: string, region: string): string {
  const m = POLICY_ARN.exec(value);
  if (!m)
    throw new InputError(
      input,
      `${show(value)} is not an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<name>)`,
    );
  const expected = partitionOfRegion(region);
  if (m[1] !== expected) {
    throw new InputError(
      input,
      `${show(value)} is in partition ${m[1] ?? ''}, but region ${region} is in partition ${expected}`,
    );
  }
  return value;
}

/** A whole number of seconds in [min, max]; `why` says where the maximum comes from. */
export function parseDuration(input: string, value: string, max: number, why: string): number {
  return checkDuration(input, parseSeconds(input, value), max, why);
}

/** A whole number of seconds, on one line (its bounds are {@link checkDuration}'s). */
export function parseSeconds(input: string, value: string): number {
  singleLine(input, value);
  if (!/^\d{1,9}$/.test(value))
    throw new InputError(input, `${show(value)} is not a whole number of seconds`);
  return Number(value);
}

/** A duration STS accepts: at least {@link DURATION.min}, at most `max` (for the reason `why`). */
export function checkDuration(input: string, n: number, max: number, why: string): number {
  if (n < DURATION.min)
    throw new InputError(input, `${n} is below ${DURATION.min}, the least STS allows`);
  if (n > max) throw new InputError(input, `${n} is above ${max}, ${why}`);
  return n;
}

/** A role session name: 2–64 characters of letters, digits and `+=,.@_-`. */
export function parseSessionName(input: string, value: string): string {
  if (!SESSION_NAME.test(value)) {
    throw new InputError(
      input,
      `${show(value)} must be 2 to 64 characters of letters, digits and +=,.@_-`,
    );
  }
  return value;
}

/**
 * A source identity: like a session name. STS also reserves the prefix `aws:`, which needs no
 * rule of its own: a `:` is never allowed.
 */
export function parseSourceIdentity(input: string, value: string): string {
  if (!SESSION_NAME.test(value)) {
    throw new InputError(
      input,
      `${show(value)} must be 2 to 64 characters of letters, digits and +=,.@_-`,
    );
  }
  return value;
}

/**
 * A profile name for the AWS config files, as configure-aws-credentials accepts one (no
 * whitespace, brackets or slashes), and nothing an INI reader would take for a comment.
 */
export function parseProfileName(input: string, value: string): string {
  // \s covers the line breaks; other control characters are refused with the printable test.
  if (!/^[^\s[\]/\\#;]{1,128}$/.test(value) || !/^[\x20-\x7e\u00a0-\uffff]+$/.test(value)) {
    throw new InputError(
      input,
      `${show(value)} must be 1 to 128 characters without whitespace, brackets, slashes, # or ;`,
    );
  }
  return value;
}

/** An external ID: 2–1224 characters of letters, digits and `+=,.@:/_-`. */
export function parseExternalId(input: string, value: string): string {
  if (!EXTERNAL_ID.test(value)) {
    throw new InputError(
      input,
      `${show(value)} must be 2 to 1224 characters of letters, digits and +=,.@:/_-`,
    );
  }
  return value;
}

/**
 * A YAML 1.2 core-schema boolean (`true`/`True`/`TRUE`, `false`/`False`/`FALSE`), or
 * undefined for any other text. The one spelling rule for every boolean the actions read.
 */
export function booleanOf(value: string): boolean | undefined {
  const v = value.trim();
  if (v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE') return false;
  return undefined;
}

/**
 * A boolean input ({@link booleanOf}). An empty value takes the default. Anything else
 * (`yes`, `1`, `on`) is refused rather than guessed.
 */
export function parseBoolean(input: string, value: string, fallback: boolean): boolean {
  if (value.trim() === '') return fallback;
  const b = booleanOf(value);
  if (b === undefined)
    throw new InputError(input, `${show(value)} is not a boolean (use true or false)`);
  return b;
}

/** A whole number in [min, max]. */
export function parseInteger(input: string, value: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value.trim()))
    throw new InputError(input, `${show(value)} is not a whole number`);
  // Number() reads past surrounding white space itself.
  const n = Number(value);
  if (n < min || n > max) throw new InputError(input, `${n} is outside ${min} to ${max}`);
  return n;
}

/** A 12-digit AWS account ID. */
export function parseAccountId(input: string, value: string): string {
  if (!ACCOUNT_ID.test(value))
    throw new InputError(input, `${show(value)} is not a 12-digit AWS account ID`);
  return value;
}

/** An access key ID (the value is a credential: it is never shown). */
export function parseAccessKeyId(input: string, value: string): string {
  if (!ACCESS_KEY_ID.test(value)) {
    throw new InputError(
      input,
      `the value (${value.length} characters) is not an access key ID: 16 to 128 upper-case letters and digits`,
    );
  }
  return value;
}

/** A secret access key (never shown). */
export function parseSecretKey(input: string, value: string): string {
  if (!SECRET_KEY.test(value)) {
    throw new InputError(
      input,
      `the value (${value.length} characters) is not a secret access key: 16 to 128 characters of letters, digits and /+=`,
    );
  }
  return value;
}

/** A session token (never shown): one line of printable characters. */
export function parseSessionToken(input: string, value: string): string {
  if (!/^[\u0021-\u007e]{16,8192}$/.test(value)) {
    throw new InputError(
      input,
      `the value (${value.length} characters) is not a session token: one line of printable characters`,
    );
  }
  return value;
}

/** A session tag key. */
export function parseTagKey(input: string, key: string): string {
  if (!TAG_KEY.test(key)) {
    throw new InputError(
      input,
      `tag key ${show(key)} must be 1 to 128 characters of letters, digits, spaces and _.:/=+-@`,
    );
  }
  if (key.toLowerCase().startsWith('aws:'))
    throw new InputError(input, `tag key ${show(key)} must not start with "aws:"`);
  return key;
}

/** A session tag value. */
export function parseTagValue(input: string, key: string, value: string): string {
  if (!TAG_VALUE.test(value)) {
    throw new InputError(
      input,
      `tag ${show(key)} value ${show(value)} must be at most 256 characters of letters, digits, spaces and _.:/=+-@`,
    );
  }
  return value;
}

/**
 * Makes a value from the GitHub context fit a tag value: disallowed characters become `_`,
 * and the result is cut to 256 characters. Used for tags we derive, never for user tags.
 */
export function sanitizeTagValue(value: string): string {
  return [...value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_')].slice(0, 256).join('');
}

/** An inline session policy: JSON, and at most 2048 characters once its white space is gone. */
export function parseInlinePolicy(input: string, value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InputError(input, `${show(value, 40)} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(input, `${show(value, 40)} must be a JSON policy document (an object)`);
  }
  const compact = JSON.stringify(parsed);
  if (compact.length > 2048) {
    throw new InputError(
      input,
      `the policy is ${compact.length} characters without white space, above 2048, the limit for session policies`,
    );
  }
  return compact;
}

/** Splits a list given one item a line or separated by commas; blank items are dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Splits a list given one item a line (items may contain commas). */
export function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
}

/** An absolute http(s) URL. */
export function parseUrl(input: string, value: string): URL {
  singleLine(input, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `${show(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `${show(value)} must be an http:// or https:// URL`);
  }
  return url;
}
