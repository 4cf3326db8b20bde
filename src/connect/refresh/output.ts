/**
 * What the refresh program prints: the `credential_process` JSON the AWS SDKs and the AWS CLI
 * document (Version 1), and when a printed answer may be printed again from the cache.
 */
import type { Credentials } from '../../aws/credentials.js';

/** The documented `credential_process` output. */
export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  /** ISO 8601. Always present: without it a consumer would never ask again. */
  Expiration: string;
}

/**
 * How long before expiry a cached answer stops being served. The AWS CLI (botocore) refreshes
 * process credentials 15 minutes before expiry and, within 10 minutes of it, fails with
 * "refreshed credentials are still expired" if what it gets back is no newer; the JS SDK
 * refreshes 5 minutes before. So a cached answer is only served while more than 15 minutes
 * remain: sessions of 15 minutes or less are never served from the cache.
 */
export const RENEW_MARGIN_MS = 15 * 60_000;

/** The output for `credentials`; `fallbackExpiry` when STS gave no expiry (it always does). */
export function toProcessCredentials(
  credentials: Credentials,
  fallbackExpiry: Date,
): ProcessCredentials {
  const out: ProcessCredentials = {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Expiration: (credentials.expiration ?? fallbackExpiry).toISOString(),
  };
  if (credentials.sessionToken !== undefined) out.SessionToken = credentials.sessionToken;
  return out;
}

/** The line printed on stdout (and kept in the cache). */
export function renderProcessCredentials(c: ProcessCredentials): string {
  const ordered: ProcessCredentials = {
    Version: 1,
    AccessKeyId: c.AccessKeyId,
    SecretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken === undefined ? {} : { SessionToken: c.SessionToken }),
    Expiration: c.Expiration,
  };
  return `${JSON.stringify(ordered)}\n`;
}

/** Reads a cached answer back; undefined when it is not one (torn, foreign, or empty). */
export function parseProcessCredentials(text: string): ProcessCredentials | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  const str = (k: string): boolean => typeof c[k] === 'string' && c[k] !== '';
  if (c['Version'] !== 1 || !str('AccessKeyId') || !str('SecretAccessKey') || !str('Expiration')) {
    return undefined;
  }
  if (c['SessionToken'] !== undefined && typeof c['SessionToken'] !== 'string') return undefined;
  if (Number.isNaN(Date.parse(c['Expiration'] as string))) return undefined;
  return c as unknown as ProcessCredentials;
}

/** Whether a cached answer may be served at `nowMs`: more than `marginMs` before its expiry. */
export function isFresh(c: ProcessCredentials, nowMs: number, marginMs = RENEW_MARGIN_MS): boolean {
  return Date.parse(c.Expiration) - nowMs > marginMs;
}
