/**
 * Turns an STS failure into one line: which hop, which role, the error code, and what to
 * change. The external ID sent is part of the AccessDenied hint, so an AWS admin can paste
 * it into the trust policy.
 */
import type { BaseCredentials } from './base.js';
import { errorCode, messageOf } from '../../shared/errors.js';
import type { ConnectionSpec } from '../model.js';
import {
  admittingStatement,
  describeClaims,
  issuerHost,
  subForm,
  type TokenClaims,
} from './token-claims.js';

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

/**
 * A failed call, explained in parts: the log line is {@link describeFailure}, the failure
 * summary renders the parts (no secret in any of them).
 */
export interface FailureExplanation {
  /** `role 2 of 3`, `connection "artifacts"` or `base credentials`. */
  label: string;
  /** The role the call tried to assume. */
  role?: string;
  /** The external ID sent, where the call sent one. */
  externalId?: string;
  code: string;
  message: string;
  /** What to change, e.g. what the trust policy must allow; empty when there is no hint. */
  hint: string;
  /** For a refused web identity: what the token said, and what would admit it. */
  token?: {
    claims: TokenClaims;
    /** Why a policy written for the classic `sub` refuses it; empty for the classic form. */
    formNote: string;
    /** The trust-policy statement (JSON) that admits exactly this job. */
    statement?: string;
  };
}

/** A call that failed after its inputs were accepted, with its explanation for the summary. */
export class CallFailure extends Error {
  override readonly name = 'CallFailure';
  constructor(
    readonly explanation: FailureExplanation,
    options?: ErrorOptions,
  ) {
    super(failureLine(explanation), options);
  }
}

/** The one-line message for a failed call. */
export function describeFailure(err: unknown, ctx: FailureContext): string {
  return failureLine(explainFailure(err, ctx));
}

/** The parts of the message for a failed call. */
export function explainFailure(err: unknown, ctx: FailureContext): FailureExplanation {
  const code = errorCode(err);
  const explanation: FailureExplanation = {
    label: ctx.label,
    code,
    message: messageOf(err),
    hint: hintFor(code, messageOf(err), ctx),
  };
  if (ctx.spec) explanation.role = ctx.spec.role.arn;
  if (ctx.spec?.externalId !== undefined && ctx.web !== true)
    explanation.externalId = ctx.spec.externalId;
  const token = tokenHint(code, ctx);
  if (token) explanation.token = token;
  return explanation;
}

function failureLine(e: FailureExplanation): string {
  const what = e.role === undefined ? e.label : `${e.label} (${e.role})`;
  const hint = [e.hint, e.token ? tokenLine(e.token) : ''].filter((h) => h !== '');
  return `${what} failed: ${e.code}: ${e.message}${hint.length === 0 ? '' : ` — ${hint.join('; ')}`}`;
}

function tokenLine(token: NonNullable<FailureExplanation['token']>): string {
  const statement =
    token.statement === undefined
      ? ''
      : `; a trust-policy statement that admits exactly this job: ${token.statement}`;
  return `the token sent has ${describeClaims(token.claims)}${token.formNote === '' ? '' : ` (${token.formNote})`}${statement}`;
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
function tokenHint(code: string, ctx: FailureContext): FailureExplanation['token'] {
  if (ctx.web !== true || ctx.base.kind !== 'web-identity' || !TOKEN_REFUSALS.includes(code))
    return undefined;
  const claims = ctx.base.claims;
  if (claims === undefined) return undefined;
  const formNote =
    subForm(claims.sub) === 'immutable'
      ? 'github.com gives repositories created from 15 July 2026, and older ones that opt in, `sub` values with the owner and repository IDs: a trust policy written for repo:OWNER/REPO:… refuses them'
      : '';
  return ctx.spec
    ? {
        claims,
        formNote,
        statement: admittingStatement(claims, ctx.spec.role.accountId, ctx.spec.role.partition),
      }
    : { claims, formNote };
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
  return iss === undefined ? 'token.actions.githubusercontent.com' : issuerHost(iss);
}
