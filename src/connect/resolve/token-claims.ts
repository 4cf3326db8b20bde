/**
 * What an OIDC refusal needs to say: the non-secret claims of the token that was sent, which
 * form its `sub` has, and the trust-policy statement that would admit exactly this job. The
 * token's signature is not checked here (STS does that); the claims are only read back.
 */

/** The claims a trust policy can test, as the token carries them. */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  repository?: string;
  repository_id?: string;
  repository_owner?: string;
  repository_owner_id?: string;
  ref?: string;
  environment?: string;
  job_workflow_ref?: string;
}

/** The optional claims shown, in this order. */
export const SHOWN_CLAIMS = [
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'ref',
  'environment',
  'job_workflow_ref',
] as const;

/** Reads the claims of a JWT; undefined when it is not one, or has no `iss` or `sub`. */
export function readClaims(token: string): TokenClaims | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  const iss = text(p['iss']);
  const sub = text(p['sub']);
  if (iss === undefined || sub === undefined) return undefined;
  const aud = (Array.isArray(p['aud']) ? p['aud'] : [p['aud']]).flatMap((a) => text(a) ?? []);
  const claims: TokenClaims = { iss, sub, aud };
  for (const name of SHOWN_CLAIMS) {
    const value = text(p[name]);
    if (value !== undefined) claims[name] = value;
  }
  return claims;
}

/**
 * `immutable` for the `sub` that github.com gives repositories created on or after 15 July
 * 2026 (and older ones that opt in): `repo:OWNER@OWNER_ID/REPO@REPO_ID:…`; `classic` otherwise.
 */
export function subForm(sub: string): 'immutable' | 'classic' {
  return /^repo:[^/:@]+@\d+\/[^/:@]+@\d+:/.test(sub) ? 'immutable' : 'classic';
}

/** The issuer's host, as IAM names the provider and prefixes its condition keys. */
export function issuerHost(iss: string): string {
  return iss.replace(/^https:\/\//, '').replace(/\/$/, '');
}

/** The trust-policy statement that admits exactly this token's job to a role of `accountId`. */
export function admittingStatement(
  claims: TokenClaims,
  accountId: string,
  partition = 'aws',
): string {
  const host = issuerHost(claims.iss);
  const aud = claims.aud.length === 1 ? claims.aud[0] : claims.aud;
  return JSON.stringify({
    Effect: 'Allow',
    Principal: { Federated: `arn:${partition}:iam::${accountId}:oidc-provider/${host}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${host}:aud`]: aud, [`${host}:sub`]: claims.sub } },
  });
}

/** The claims of the token as one line: `sub "…" (immutable form), aud "…", repository "…", …`. */
export function describeClaims(claims: TokenClaims): string {
  const parts = [
    `sub "${claims.sub}" (${subForm(claims.sub)} form)`,
    `aud "${claims.aud.join('", "')}"`,
    ...SHOWN_CLAIMS.flatMap((name) =>
      claims[name] === undefined ? [] : [`${name} "${claims[name] ?? ''}"`],
    ),
  ];
  return parts.join(', ');
}
