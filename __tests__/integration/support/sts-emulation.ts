/**
 * STS behaviour that moto 5.2.1 LACKS, added in front of it by the test proxy (proxy.ts).
 * Everything here is emulation: tests that rely on it should say so. Each part can be turned off.
 *
 * 1. emulateGetSessionToken — moto's GetSessionToken always returns the documentation's example
 *    keys, which fail once signature checking is on. The proxy forwards the call unchanged (moto
 *    checks the signature; a refusal passes through), then answers with fresh session credentials
 *    it mints itself: an `ASIA…` key id, a random secret, a random SessionToken and moto's
 *    Expiration. Requests signed with them MUST go through the proxy: it checks the session token
 *    (InvalidClientTokenId), the expiry (ExpiredToken) and the signature (SignatureDoesNotMatch), then
 *    re-signs the request, without the token, with a current access key of the IAM user who called
 *    GetSessionToken (read from moto's state), so moto authenticates and authorises it as that
 *    user (GetCallerIdentity -> the user's ARN; AssumeRole trust -> the user's principal), as AWS
 *    does. Such credentials are refused for IAM (AccessDenied: no MFA) and for GetSessionToken
 *    (AccessDenied), as on AWS; they survive deletion of the key that made them while the user has
 *    another key. (moto refuses a user AKIA key sent with any session token, so handing out an
 *    IAM key plus a fake token cannot work.)
 * 2. emulateWebIdentity — moto crashes (HTML 500) on an unsigned AssumeRoleWithWebIdentity once
 *    auth is on, and never checks the token or the trust policy. The proxy checks the JWT shape,
 *    `exp`, that an IAM OIDC provider exists for `iss` and lists `aud` among its client IDs, and
 *    evaluates the role's trust policy (Principal.Federated, Action, Condition with StringEquals /
 *    StringLike / StringNotEquals / StringNotLike, ForAnyValue / ForAllValues, on
 *    `<issuer-host>:<claim>` keys; any other operator fails closed; Deny wins). It does NOT verify
 *    the JWT signature. If allowed, it forwards the call to moto signed with the admin key and adds
 *    SubjectFromWebIdentityToken, Audience and Provider to moto's answer.
 * 3. emulateDurationLimits — moto checks no DurationSeconds. The proxy refuses (ValidationError):
 *    AssumeRole* outside 900–43200 or above the role's MaxSessionDuration; AssumeRole above 3600
 *    when the caller's credentials are temporary (they carry a session token: role chaining or
 *    GetSessionToken credentials); GetSessionToken outside 900–129600.
 */
import { randomBytes } from 'node:crypto';
import {
  parseAuthorization,
  signHeaders,
  verifySignature,
  type SignableRequest,
  type SigningCredentials,
} from './sigv4.js';
import { readMotoState, type MotoOidcProvider } from './moto-state.js';
import { stsErrorXml, stsResultXml, xmlEscape, xmlText } from './sts-xml.js';

/** A buffered HTTP response. */
export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends a request on to moto. */
export type Upstream = (req: SignableRequest) => Promise<ProxyResponse>;

/** Which emulations are on (all default to true in the proxy). */
export interface EmulationOptions {
  emulateGetSessionToken: boolean;
  emulateWebIdentity: boolean;
  emulateDurationLimits: boolean;
}

/** What the emulation needs of moto. */
export interface EmulationTarget {
  readonly endpoint: string;
  readonly admin: SigningCredentials;
}

interface Session {
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  userName: string;
  sourceAccessKeyId: string;
}

/** An XML error response in STS's format. */
export function stsError(status: number, code: string, message: string): ProxyResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(stsErrorXml(code, message, status >= 500 ? 'Receiver' : 'Sender')),
  };
}

const SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
const INVALID_TOKEN = (): ProxyResponse =>
  stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');

const randomId = (prefix: string): string =>
  prefix +
  Array.from(randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charAt(b % 32)).join('');

/** The `Action` of a query-protocol request (form body first, then the query string). */
export function requestAction(req: { path: string; body: Buffer }): string {
  const fromBody = new URLSearchParams(req.body.toString('utf8')).get('Action');
  const q = req.path.indexOf('?');
  return (
    fromBody ?? (q < 0 ? null : new URLSearchParams(req.path.slice(q + 1)).get('Action')) ?? ''
  );
}

function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const strings = (v: unknown): string[] =>
  asList(v).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));

/** Evaluates one statement's Condition block against multi-valued context keys. */
function conditionsHold(condition: unknown, context: Record<string, string[]>): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    const [qualifier, base] = operator.includes(':')
      ? operator.split(':', 2)
      : [undefined, operator];
    const negated = base === 'StringNotEquals' || base === 'StringNotLike';
    const like = base === 'StringLike' || base === 'StringNotLike';
    if (!['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike'].includes(base ?? ''))
      return false;
    if (qualifier !== undefined && qualifier !== 'ForAnyValue' && qualifier !== 'ForAllValues')
      return false;
    if (typeof block !== 'object' || block === null) return false;
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const values = context[key] ?? [];
      const wanted = strings(expected);
      const matches = (v: string): boolean =>
        wanted.some((w) => (like ? globMatch(w, v) : w === v));
      const ok =
        qualifier === 'ForAllValues'
          ? values.every((v) => matches(v) !== negated)
          : negated
            ? !values.some(matches)
            : values.some(matches);
      if (!ok) return false;
    }
  }
  return true;
}

/** Decodes a JWT's payload without verifying it; undefined when it is not a JWT. */
function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8'));
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (
      typeof header !== 'object' ||
      header === null ||
      typeof payload !== 'object' ||
      payload === null
    )
      return undefined;
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Creates the emulation step the proxy runs on every request after its faults. */
export function createStsEmulator(
  target: EmulationTarget,
  opts: EmulationOptions,
): (req: SignableRequest, upstream: Upstream) => Promise<ProxyResponse> {
  const sessions = new Map<string, Session>();
  const state = (): ReturnType<typeof readMotoState> => readMotoState(target.endpoint);

  function validationError(message: string): ProxyResponse {
    return stsError(400, 'ValidationError', message);
  }

  async function durationProblem(
    action: string,
    params: URLSearchParams,
    temporary: boolean,
  ): Promise<ProxyResponse | undefined> {
    const raw = params.get('DurationSeconds');
    if (raw === null) return undefined;
    const d = Number(raw);
    const [min, max] = action === 'GetSessionToken' ? [900, 129600] : [900, 43200];
    const field = (bound: string, limit: number): ProxyResponse =>
      validationError(
        `1 validation error detected: Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${bound} ${limit}`,
      );
    if (!Number.isInteger(d) || d < min) return field('greater than or equal to', min);
    if (d > max) return field('less than or equal to', max);
    if (action === 'GetSessionToken') return undefined;
    const role = (await state()).roles.find((r) => r.arn === params.get('RoleArn'));
    if (role && d > role.maxSessionDuration) {
      return validationError(
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    if (action === 'AssumeRole' && temporary && d > 3600) {
      return validationError(
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    return undefined;
  }

  async function mintSession(
    req: SignableRequest,
    upstream: Upstream,
    temporary: boolean,
  ): Promise<ProxyResponse> {
    const res = await upstream(req);
    if (res.status !== 200) return res;
    if (temporary)
      return stsError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    const callerKey = parseAuthorization(req.headers['authorization'])?.accessKeyId;
    const owner = (await state()).accessKeys.find((k) => k.accessKeyId === callerKey);
    if (!owner)
      return stsError(
        500,
        'InternalFailure',
        `test proxy: no IAM user owns access key ${callerKey ?? '(none)'}`,
      );
    const expiration =
      xmlText(res.body.toString('utf8'), 'Expiration') ??
      new Date(Date.now() + 43200_000).toISOString();
    const accessKeyId = randomId('ASIA');
    const session: Session = {
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(180).toString('base64')}`,
      expiresAt: Date.parse(expiration),
      userName: owner.userName,
      sourceAccessKeyId: owner.accessKeyId,
    };
    sessions.set(accessKeyId, session);
    const creds =
      `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(session.sessionToken)}</SessionToken><Expiration>${xmlEscape(expiration)}</Expiration></Credentials>`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: Buffer.from(stsResultXml('GetSessionToken', creds)),
    };
  }

  /** Checks and re-signs a request made with minted session credentials; a response means refusal. */
  async function resignSession(
    req: SignableRequest,
    session: Session,
  ): Promise<SignableRequest | ProxyResponse> {
    const auth = parseAuthorization(req.headers['authorization']);
    if (!auth || req.headers['x-amz-security-token'] !== session.sessionToken)
      return INVALID_TOKEN();
    if (Date.now() > session.expiresAt)
      return stsError(400, 'ExpiredToken', 'The security token included in the request is expired');
    if (!verifySignature(req, session.secretAccessKey))
      return stsError(403, 'SignatureDoesNotMatch', SIGNATURE_MESSAGE);
    if (auth.service === 'iam') {
      return stsError(
        403,
        'AccessDenied',
        'GetSessionToken credentials cannot call the IAM API without MFA (emulated by the test proxy)',
      );
    }
    const keys = (await state()).accessKeys.filter((k) => k.userName === session.userName);
    const key = keys.find((k) => k.accessKeyId === session.sourceAccessKeyId) ?? keys[0];
    if (!key) return INVALID_TOKEN();
    return {
      ...req,
      headers: signHeaders(req, key, { region: auth.region, service: auth.service }, [
        'x-amz-security-token',
      ]),
    };
  }

  async function webIdentity(
    req: SignableRequest,
    params: URLSearchParams,
    upstream: Upstream,
  ): Promise<ProxyResponse> {
    const claims = decodeJwt(params.get('WebIdentityToken') ?? '');
    if (!claims) {
      return stsError(
        400,
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      );
    }
    const iss = typeof claims['iss'] === 'string' ? claims['iss'] : '';
    const host = iss.replace(/^https:\/\//, '');
    const st = await state();
    const provider: MotoOidcProvider | undefined = st.oidcProviders.find((p) => p.url === host);
    if (!provider)
      return stsError(
        400,
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${iss}`,
      );
    const audiences = strings(claims['aud']);
    if (!audiences.some((a) => provider.clientIds.includes(a)))
      return stsError(400, 'InvalidIdentityToken', 'Incorrect token audience');
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : 0;
    if (exp <= Date.now()) {
      return stsError(
        400,
        'ExpiredTokenException',
        `Token expired: current date/time ${new Date().toISOString()} must be before the expiration date/time ${new Date(exp).toISOString()}`,
      );
    }
    const role = st.roles.find((r) => r.arn === params.get('RoleArn'));
    const context: Record<string, string[]> = {};
    for (const [claim, value] of Object.entries(claims))
      context[`${host}:${claim}`] = strings(value);
    let allowed = false;
    let denied = false;
    if (role) {
      let policy: unknown;
      try {
        policy = JSON.parse(role.trustPolicy);
      } catch {
        policy = undefined;
      }
      const statements =
        typeof policy === 'object' && policy !== null
          ? asList((policy as Record<string, unknown>)['Statement'])
          : [];
      for (const s of statements) {
        if (typeof s !== 'object' || s === null) continue;
        const st = s as Record<string, unknown>;
        const principal = st['Principal'];
        const federated =
          typeof principal === 'object' && principal !== null
            ? strings((principal as Record<string, unknown>)['Federated'])
            : [];
        const applies =
          (principal === '*' || federated.includes(provider.arn)) &&
          strings(st['Action']).some((a) => globMatch(a, 'sts:AssumeRoleWithWebIdentity', true)) &&
          conditionsHold(st['Condition'], context);
        if (applies && st['Effect'] === 'Deny') denied = true;
        if (applies && st['Effect'] === 'Allow') allowed = true;
      }
    }
    if (!allowed || denied)
      return stsError(
        403,
        'AccessDenied',
        'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      );
    if (opts.emulateDurationLimits) {
      const problem = await durationProblem('AssumeRoleWithWebIdentity', params, false);
      if (problem) return problem;
    }
    const signed = {
      ...req,
      headers: signHeaders(req, target.admin, { region: 'us-east-1', service: 'sts' }),
    };
    const res = await upstream(signed);
    if (res.status !== 200) return res;
    const extra =
      `<SubjectFromWebIdentityToken>${xmlEscape(typeof claims['sub'] === 'string' ? claims['sub'] : '')}</SubjectFromWebIdentityToken>` +
      `<Audience>${xmlEscape(audiences[0] ?? '')}</Audience><Provider>${xmlEscape(iss)}</Provider>`;
    const body = res.body
      .toString('utf8')
      .replace('</AssumeRoleWithWebIdentityResult>', `${extra}</AssumeRoleWithWebIdentityResult>`);
    return { ...res, body: Buffer.from(body) };
  }

  return async (original, upstream) => {
    let req = original;
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = requestAction(req);
    const temporary = req.headers['x-amz-security-token'] !== undefined;
    const session = sessions.get(
      parseAuthorization(req.headers['authorization'])?.accessKeyId ?? '',
    );
    if (session && opts.emulateGetSessionToken) {
      if (action === 'GetSessionToken') {
        const refusal = await resignSession(req, session);
        return 'status' in refusal
          ? refusal
          : stsError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
      }
      const resigned = await resignSession(req, session);
      if ('status' in resigned) return resigned;
      req = resigned;
    }
    if (action === 'AssumeRoleWithWebIdentity' && opts.emulateWebIdentity)
      return webIdentity(req, params, upstream);
    if (opts.emulateDurationLimits) {
      const problem = await durationProblem(action, params, temporary);
      if (problem) return problem;
    }
    if (action === 'GetSessionToken' && opts.emulateGetSessionToken)
      return mintSession(req, upstream, temporary);
    return upstream(req);
  };
}
