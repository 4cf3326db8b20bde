/**
 * Minimal AWS Signature Version 4 (header form) for the test proxy: parse an `Authorization`
 * header, verify a request's signature with a known secret, and sign a request anew.
 * Only what STS/IAM query-protocol requests through the proxy need; not a general signer.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of an `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** A buffered HTTP request: header names lower-case, path with its query string. */
export interface SignableRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Long-term or temporary AWS credentials. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

/** Parses a SigV4 `Authorization` header; undefined when absent or not SigV4. */
export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  const m = header === undefined ? null : AUTH_RE.exec(header);
  if (!m) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] = m;
  return { accessKeyId, date, region, service, signedHeaders: signed.split(';'), signature };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
    })
    .sort(([ak = '', av = ''], [bk = '', bv = '']) =>
      ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1,
    )
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Computes the hex SigV4 signature of `req` over `signedHeaders` at `amzDate` (YYYYMMDDTHHMMSSZ). */
export function computeSignature(
  req: SignableRequest,
  secretAccessKey: string,
  scope: { date: string; region: string; service: string },
  signedHeaders: string[],
  amzDate: string,
): string {
  const q = req.path.indexOf('?');
  const path = q < 0 ? req.path : req.path.slice(0, q);
  const query = q < 0 ? '' : req.path.slice(q + 1);
  const names = [...signedHeaders].sort();
  const headerLines = names
    .map((n) => `${n}:${(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = req.headers['x-amz-content-sha256'] ?? sha256(req.body);
  const canonical = [
    req.method,
    path,
    canonicalQuery(query),
    headerLines,
    names.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, scope.date), scope.region), scope.service),
    'aws4_request',
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** True when `req`'s Authorization header carries a valid signature for `secretAccessKey`. */
export function verifySignature(req: SignableRequest, secretAccessKey: string): boolean {
  const auth = parseAuthorization(req.headers['authorization']);
  const amzDate = req.headers['x-amz-date'];
  if (!auth || amzDate === undefined) return false;
  const expected = computeSignature(req, secretAccessKey, auth, auth.signedHeaders, amzDate);
  const a = Buffer.from(expected);
  const b = Buffer.from(auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Returns `req`'s headers signed with `creds` for `scope`: `dropHeaders` are removed (and left
 * out of SignedHeaders), `x-amz-date` is kept when present (set to now otherwise) and every
 * remaining header named in the original SignedHeaders (or host/content-type/x-amz-date) is signed.
 */
export function signHeaders(
  req: SignableRequest,
  creds: SigningCredentials,
  scope: { region: string; service: string },
  dropHeaders: string[] = [],
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!dropHeaders.includes(k)) headers[k] = v;
  const amzDate =
    headers['x-amz-date'] ??
    new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  headers['x-amz-date'] = amzDate;
  const previous = parseAuthorization(req.headers['authorization'])?.signedHeaders ?? [
    'host',
    'content-type',
  ];
  const signed = [...new Set([...previous, 'x-amz-date'])]
    .filter((h) => h in headers && h !== 'authorization')
    .sort();
  const fullScope = { date: amzDate.slice(0, 8), ...scope };
  const signature = computeSignature(
    { ...req, headers },
    creds.secretAccessKey,
    fullScope,
    signed,
    amzDate,
  );
  headers['authorization'] =
    `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${fullScope.date}/${scope.region}/${scope.service}/aws4_request, ` +
    `SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}
