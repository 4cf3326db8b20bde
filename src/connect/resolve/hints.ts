/**
 * Turns an STS failure into one line: which hop, which role, the error code, and what to
 * change. The external ID sent is part of the AccessDenied hint, so an AWS admin can paste
 * it into the trust policy.
 */
import type { BaseCredentials } from './base.js';
import { errorCode, messageOf } from '../../shared/errors.js';
import type { ConnectionSpec } from '../model.js';
import { admittingStatement, describeClaims, subForm } from './token-claims.js';

export interface FailureContext {
  /** `role 2 of 3`, `connection "artifacts"` or `base credentials`. */
  label: string;
  base: BaseCredentials;
  spec?: ConnectionSpec;
  /** The ARN of the credentials that signed the call, when known. */
  signerArn?: string;
  /** The call was AssumeRoleWithWebIdentity. */
  web?: boolean;
}

/** The one-line message for a failed call. */
export function describeFailure(err: unknown, ctx: FailureContext): string {
  const code = errorCode(err);
  const message = messageOf(err);
  const what = ctx.spec ? `${ctx.label} (${ctx.spec.role.arn})` : ctx.label;
  const hint = [hintFor(code, message, ctx), tokenHint(code, ctx)].filter((h) => h !== '');
  return `${what} failed: ${code}: ${message}${hint.length === 0 ? '' : ` — ${hint.join('; ')}`}`;
}

/** Codes with which STS refuses a web identity for what the token says. */
const TOKEN_REFUSALS = [
  'AccessDenied',
  'AccessDeniedException',
  'InvalidIdentityToken',
  'IDPRejectedClaim',
];

/**
 * For a refused web identity: what the token said and the statement that would admit exactly
 * this job, so that the trust policy can be compared with it (or take it).
 */
function tokenHint(code: string, ctx: FailureContext): string {
  if (ctx.web !== true || ctx.base.kind !== 'web-identity' || !TOKEN_REFUSALS.includes(code))
    return '';
  const claims = ctx.base.claims;
  if (claims === undefined) return '';
  const form =
    subForm(claims.sub) === 'immutable'
      ? ' (github.com gives repositories created from 15 July 2026, and older ones that opt in, `sub` values with the owner and repository IDs: a trust policy written for repo:OWNER/REPO:… refuses them)'
      : '';
  const statement = ctx.spec
    ? `; a trust-policy statement that admits exactly this job: ${admittingStatement(claims, ctx.spec.role.accountId, ctx.spec.role.partition)}`
    : '';
  return `the token sent has ${describeClaims(claims)}${form}${statement}`;
}

/** The principal STS names in an AccessDenied message (`User: arn:… is not authorized`). */
function principalIn(message: string): string | undefined {
  return /\b(?:User|Principal): (arn:[^\s]+) is not authorized/.exec(message)?.[1];
}

function hintFor(code: string, message: string, ctx: FailureContext): string {
  const spec = ctx.spec;
  switch (code) {
    case 'AccessDenied':
    case 'AccessDeniedException': {
      if (!spec) return 'the base credentials may not call STS';
      const principal = ctx.signerArn
        ? ctx.signerArn
        : ctx.web
          ? `the OIDC provider ${webProvider(ctx)}`
          : (principalIn(message) ?? "the base credentials' IAM user or role");
      const actions = [ctx.web ? 'sts:AssumeRoleWithWebIdentity' : 'sts:AssumeRole'];
      if (spec.tags.length > 0) actions.push('sts:TagSession');
      if (spec.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
      const condition =
        spec.externalId === undefined
          ? ''
          : ` with the condition StringEquals sts:ExternalId = "${spec.externalId}"`;
      return `the trust policy of ${spec.role.arn} must allow ${actions.join(' and ')} for ${principal}${condition}`;
    }
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
      return spec?.source === undefined && ctx.base.kind === 'credentials'
        ? `the base credentials (${ctx.base.origin}) were refused: check the access key ID and its secret, and that the key is active`
        : 'the credentials that signed the call were refused';
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return 'the credentials that signed the call have expired';
    case 'InvalidIdentityToken':
    case 'IDPRejectedClaim':
      return `the role must trust the OIDC provider ${webProvider(ctx)} for this audience and subject (check the "aud" and "sub" conditions)`;
    case 'RegionDisabledException':
      return 'STS is not activated in this region for the account (IAM > Account settings)';
    case 'PackedPolicyTooLarge':
      return 'the session policies and tags together are too large: shorten them';
    case 'MalformedPolicyDocument':
      return 'the session policy is not a valid IAM policy';
    default:
      return '';
  }
}

/** The issuer of the token sent (another host on GHES and ghe.com), GitHub's by default. */
function webProvider(ctx: FailureContext): string {
  const iss = ctx.base.kind === 'web-identity' ? ctx.base.claims?.iss : undefined;
  return iss === undefined ? 'token.actions.githubusercontent.com' : iss.replace(/^https:\/\//, '');
}
