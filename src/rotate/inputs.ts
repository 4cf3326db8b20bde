/**
 * Reads every input of the rotate action once, validates it, and returns one typed
 * {@link RotateSettings}. Pure apart from the `read` function and the environment it is given.
 * Errors name the input and the rule; a credential is never shown.
 */
import { InputError, show } from '../shared/errors.js';
import { inputDefaults, inputNames, type InputDef } from '../shared/input-table.js';
import { resolveEndpoint, resolveProxy } from '../shared/network.js';
import {
  parseAccessKeyId,
  parseBoolean,
  parseInteger,
  parseRegion,
  parseSecretKey,
  parseUrl,
  singleLine,
} from '../shared/validate.js';
import { parseTargets, type Target } from './targets.js';

/**
 * Every input of `rotate/action.yml` with its default, as the manifest declares them (a unit
 * test holds the two to each other). The code takes its defaults from here.
 */
export const ROTATE_INPUTS = {
  AccessKeyId: { name: 'aws-access-key-id' },
  SecretAccessKey: { name: 'aws-secret-access-key' },
  Region: { name: 'aws-region' },
  GithubToken: { name: 'github-token' },
  Targets: { name: 'targets' },
  GithubApiUrl: { name: 'github-api-url' },
  DryRun: { name: 'dry-run', default: 'false' },
  MinAge: { name: 'min-age' },
  DeleteOldKey: { name: 'delete-old-key', default: 'true' },
  SecondKey: { name: 'second-key', default: 'retire' },
  GraceSeconds: { name: 'grace-seconds', default: '0' },
  VerifySuccesses: { name: 'verify-successes', default: '3' },
  VerifyTimeoutSeconds: { name: 'verify-timeout-seconds', default: '60' },
  VerifyIntervalSeconds: { name: 'verify-interval-seconds', default: '2' },
  RetryMaxAttempts: { name: 'retry-max-attempts', default: '4' },
} as const satisfies Record<string, InputDef>;

/** Every input of `rotate/action.yml`, by name. */
export const RotateInput = inputNames(ROTATE_INPUTS);
export type RotateInputName = (typeof RotateInput)[keyof typeof RotateInput];

/** Each input's default ('' for none), what an empty input is read as. */
export const ROTATE_DEFAULTS = inputDefaults(ROTATE_INPUTS);

/** What to do with a second key found before rotating (step 1). */
export type SecondKeyPolicy = 'retire' | 'strict';

/** Everything the rotation needs, validated. */
export interface RotateSettings {
  /** The key being rotated: the one the targets hold now. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Region for STS calls (IAM is global). */
  region: string;
  /** A token that may write the targets' secrets. */
  githubToken: string;
  targets: Target[];
  /** GitHub REST API base, without a trailing slash. */
  githubApiUrl: string;
  /** Plan and print; change nothing. */
  dryRun: boolean;
  /** Skip (successfully) when the current key is younger than this; undefined: always rotate. */
  minAgeMs?: number;
  /** Delete the old key at the end; false leaves it Inactive. */
  deleteOldKey: boolean;
  /** `retire`: delete a second key after rewriting the targets; `strict`: stop if it is Active and used. */
  secondKey: SecondKeyPolicy;
  /** Wait between writing the targets and deactivating the old key. */
  graceSeconds: number;
  /** Consecutive successful calls that count as "the new key works". */
  verifySuccesses: number;
  /** How long a new key may take to start working (and the old key's delete may retry). */
  verifyTimeoutMs: number;
  /** Pause between verification calls. */
  verifyIntervalMs: number;
  /** Tries per AWS or GitHub call for throttling, 5xx and network faults. */
  retryMaxAttempts: number;
  /** From AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL; undefined: the regional endpoint. */
  stsEndpoint?: string;
  /** From AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL; undefined: the SDK's global endpoint. */
  iamEndpoint?: string;
  /** From HTTPS_PROXY / HTTP_PROXY and NO_PROXY, for AWS calls. */
  proxy?: string;
}

/** Reads one input's raw text ('' when not given). */
export type ReadRotateInput = (name: RotateInputName) => string;

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** `min-age`: a whole number with a unit, `30d`, `12h`, `90m` or `3600s`; at most 10 years. */
export function parseMinAge(input: string, value: string): number {
  const m = /^(\d{1,6})\s*([dhms])$/.exec(value.trim());
  if (!m)
    throw new InputError(
      input,
      `${show(value)} is not an age: a whole number and a unit, such as 30d, 12h, 90m or 3600s`,
    );
  const ms = Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000);
  if (ms > 3650 * 86_400_000) throw new InputError(input, `${show(value)} is more than 3650 days`);
  return ms;
}

/** Seconds with up to three decimals, in [min, max], as milliseconds. */
export function parseSecondsMs(input: string, value: string, min: number, max: number): number {
  const v = value.trim();
  if (!/^\d{1,6}(?:\.\d{1,3})?$/.test(v))
    throw new InputError(input, `${show(value)} is not a number of seconds`);
  const n = Number(v);
  if (n < min || n > max) throw new InputError(input, `${v} is outside ${min} to ${max} seconds`);
  return Math.round(n * 1000);
}

/** The IAM endpoint from AWS_ENDPOINT_URL_IAM, else AWS_ENDPOINT_URL; undefined: the SDK default. */
export function resolveIamEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL']) {
    const value = env[name];
    if (value !== undefined && value !== '') return parseUrl(name, value).toString();
  }
  return undefined;
}

/** Reads and validates every input. Throws {@link InputError} on the first that breaks a rule. */
export function getSettings(read: ReadRotateInput, env: NodeJS.ProcessEnv): RotateSettings {
  const text = (name: RotateInputName): string => read(name).trim() || ROTATE_DEFAULTS[name];
  const line = (name: RotateInputName): string => singleLine(name, text(name));
  const required = (name: RotateInputName): string => {
    const value = text(name);
    if (value === '') throw new InputError(name, 'is required');
    return value;
  };
  const bool = (name: RotateInputName): boolean => parseBoolean(name, line(name), false);
  const int = (name: RotateInputName, min: number, max: number): number =>
    parseInteger(name, line(name), min, max);

  const accessKeyId = parseAccessKeyId(RotateInput.AccessKeyId, required(RotateInput.AccessKeyId));
  const secretAccessKey = parseSecretKey(
    RotateInput.SecretAccessKey,
    required(RotateInput.SecretAccessKey),
  );
  const regionText =
    line(RotateInput.Region) || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || '';
  if (regionText === '')
    throw new InputError(RotateInput.Region, 'is required (or set AWS_REGION)');
  const region = parseRegion(RotateInput.Region, regionText);
  const githubToken = required(RotateInput.GithubToken);
  if (/\s/.test(githubToken))
    throw new InputError(
      RotateInput.GithubToken,
      `the value (${githubToken.length} characters) must be one word, with no spaces or line breaks`,
    );
  const targets = parseTargets(required(RotateInput.Targets));

  const apiText = line(RotateInput.GithubApiUrl) || env['GITHUB_API_URL'] || DEFAULT_GITHUB_API_URL;
  const githubApiUrl = parseUrl(
    line(RotateInput.GithubApiUrl) === '' ? 'GITHUB_API_URL' : RotateInput.GithubApiUrl,
    apiText,
  )
    .toString()
    .replace(/\/+$/, '');

  const minAgeText = line(RotateInput.MinAge);
  const secondKeyText = line(RotateInput.SecondKey);
  if (secondKeyText !== 'retire' && secondKeyText !== 'strict') {
    throw new InputError(RotateInput.SecondKey, `${show(secondKeyText)} must be retire or strict`);
  }

  const stsEndpoint = resolveEndpoint('', env);
  const iamEndpoint = resolveIamEndpoint(env);
  const proxy = resolveProxy('', stsEndpoint ?? `https://sts.${region}.amazonaws.com`, env);

  const settings: RotateSettings = {
    accessKeyId,
    secretAccessKey,
    region,
    githubToken,
    targets,
    githubApiUrl,
    dryRun: bool(RotateInput.DryRun),
    deleteOldKey: bool(RotateInput.DeleteOldKey),
    secondKey: secondKeyText,
    graceSeconds: int(RotateInput.GraceSeconds, 0, 3600),
    verifySuccesses: int(RotateInput.VerifySuccesses, 1, 20),
    verifyTimeoutMs: parseSecondsMs(
      RotateInput.VerifyTimeoutSeconds,
      line(RotateInput.VerifyTimeoutSeconds),
      1,
      900,
    ),
    verifyIntervalMs: parseSecondsMs(
      RotateInput.VerifyIntervalSeconds,
      line(RotateInput.VerifyIntervalSeconds),
      0,
      60,
    ),
    retryMaxAttempts: int(RotateInput.RetryMaxAttempts, 1, 10),
  };
  if (minAgeText !== '') settings.minAgeMs = parseMinAge(RotateInput.MinAge, minAgeText);
  if (stsEndpoint !== undefined) settings.stsEndpoint = stsEndpoint;
  if (iamEndpoint !== undefined) settings.iamEndpoint = iamEndpoint;
  if (proxy !== undefined) settings.proxy = proxy;
  return settings;
}
