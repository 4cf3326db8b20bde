import { describeFailure, type FailureContext } from '../../../../src/connect/resolve/hints.js';
import { hop, spec, STATIC_BASE, WEB_BASE } from '../../../../__fixtures__/plans.js';
import { awsError } from '../../../../__fixtures__/sts.js';

const deployer = hop(2, { externalId: 'github:1111:2222:chain:2:hop2' });
const hop1 = hop(1, { externalId: 'github:1111:2222:chain:1:hop1' });
const ARN2 = deployer.role.arn;
const webHop = hop(1);
delete webHop.externalId;

describe('describeFailure', () => {
  test.each<[string, unknown, FailureContext, string]>([
    [
      'AccessDenied on a chained hop: the signer, the action and the external ID',
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::123456789012:assumed-role/hop1/s is not authorized to perform: sts:AssumeRole',
      ),
      {
        label: 'role 2 of 3',
        spec: deployer,
        base: STATIC_BASE,
        signerArn: 'arn:aws:sts::123456789012:assumed-role/hop1/s',
      },
      `role 2 of 3 (${ARN2}) failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/hop1/s is not authorized to perform: sts:AssumeRole — the trust policy of ${ARN2} must allow sts:AssumeRole for arn:aws:sts::123456789012:assumed-role/hop1/s with the condition StringEquals sts:ExternalId = "github:1111:2222:chain:2:hop2"`,
    ],
    [
      'AccessDenied on the first hop from static keys',
      awsError('AccessDenied', 'denied'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE, signerArn: '' },
      `role 1 of 1 (${hop1.role.arn}) failed: AccessDenied: denied — the trust policy of ${hop1.role.arn} must allow sts:AssumeRole for the base credentials' IAM user or role with the condition StringEquals sts:ExternalId = "github:1111:2222:chain:1:hop1"`,
    ],
    [
      'AccessDenied with tags and a source identity',
      awsError('AccessDeniedException', 'denied'),
      {
        label: 'connection "app"',
        spec: spec('app', { tags: [{ key: 'a', value: 'b' }], sourceIdentity: 'me' }),
        base: STATIC_BASE,
      },
      'must allow sts:AssumeRole and sts:TagSession and sts:SetSourceIdentity for the base',
    ],
    [
      'AccessDenied on a web identity hop: no external ID',
      awsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      { label: 'role 1 of 2', spec: webHop, base: WEB_BASE, web: true },
      `must allow sts:AssumeRoleWithWebIdentity for the OIDC provider token.actions.githubusercontent.com`,
    ],
    [
      'AccessDenied without a role',
      awsError('AccessDenied', 'denied'),
      { label: 'base credentials', base: STATIC_BASE },
      'base credentials failed: AccessDenied: denied — the base credentials may not call STS',
    ],
    [
      'InvalidClientTokenId on the first hop: the base keys',
      awsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE },
      '— the base credentials (static keys from aws-access-key-id / aws-secret-access-key) were refused: check the access key ID and its secret, and that the key is active',
    ],
    [
      'SignatureDoesNotMatch on the base alone',
      awsError('SignatureDoesNotMatch', 'bad sig'),
      { label: 'base credentials', base: STATIC_BASE },
      'base credentials failed: SignatureDoesNotMatch: bad sig — the base credentials (static keys',
    ],
    [
      'InvalidClientTokenId on a chained hop',
      awsError('InvalidClientTokenId', 'x'),
      { label: 'role 2 of 2', spec: deployer, base: STATIC_BASE },
      '— the credentials that signed the call were refused',
    ],
    [
      'ExpiredToken',
      awsError('ExpiredToken', 'expired'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE },
      '— the credentials that signed the call have expired',
    ],
    [
      'InvalidIdentityToken',
      awsError('InvalidIdentityToken', 'bad'),
      { label: 'role 1 of 1', spec: hop1, base: WEB_BASE, web: true },
      '— the role must trust the OIDC provider token.actions.githubusercontent.com for this audience and subject',
    ],
    [
      'IDPRejectedClaim',
      awsError('IDPRejectedClaim', 'bad'),
      { label: 'role 1 of 1', spec: hop1, base: WEB_BASE, web: true },
      'check the "aud" and "sub" conditions',
    ],
    [
      'RegionDisabledException',
      awsError('RegionDisabledException', 'off'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE },
      '— STS is not activated in this region for the account',
    ],
    [
      'PackedPolicyTooLarge',
      awsError('PackedPolicyTooLarge', 'big'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE },
      '— the session policies and tags together are too large',
    ],
    [
      'MalformedPolicyDocument',
      awsError('MalformedPolicyDocument', 'bad'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE },
      '— the session policy is not a valid IAM policy',
    ],
    [
      'an error with no hint',
      awsError('Throttling', 'Rate exceeded'),
      { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE },
      `role 1 of 1 (${hop1.role.arn}) failed: Throttling: Rate exceeded`,
    ],
    [
      'a network error',
      Object.assign(new Error('connect\nECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' }),
      { label: 'base credentials', base: STATIC_BASE },
      'base credentials failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5000',
    ],
  ])('%s', (_what, err, ctx, expected) => {
    const line = describeFailure(err, ctx);
    expect(line).toContain(expected);
    expect(line).not.toContain('\n');
  });

  test('an error with no hint ends with the message', () => {
    expect(
      describeFailure(awsError('Throttling', 'Rate exceeded'), {
        label: 'base credentials',
        base: STATIC_BASE,
      }),
    ).toBe('base credentials failed: Throttling: Rate exceeded');
  });
});

test('AccessDenied on a web identity hop asks for no external ID condition', () => {
  const line = describeFailure(awsError('AccessDenied', 'x'), {
    label: 'role 1 of 2',
    spec: webHop,
    base: WEB_BASE,
    web: true,
  });
  expect(line.endsWith('for the OIDC provider token.actions.githubusercontent.com')).toBe(true);
  expect(line).not.toContain('sts:ExternalId');
});

describe('a refused web identity shows what the token said', () => {
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo@4040/app@100200300:ref:refs/heads/main',
    aud: ['sts.amazonaws.com'],
    repository: 'octo/app',
  };
  const base: FailureContext['base'] = { kind: 'web-identity', token: 't', origin: 'o', claims };
  test.each(['AccessDenied', 'InvalidIdentityToken', 'IDPRejectedClaim'])('%s', (code) => {
    const line = describeFailure(awsError(code, 'Not authorized'), {
      label: 'role 1 of 1',
      spec: webHop,
      base,
      web: true,
    });
    expect(line).toContain(
      'the token sent has sub "repo:octo@4040/app@100200300:ref:refs/heads/main" (immutable form), aud "sts.amazonaws.com", repository "octo/app"',
    );
    expect(line).toContain('a trust policy written for repo:OWNER/REPO:… refuses them');
    expect(line).toContain(
      `a trust-policy statement that admits exactly this job: {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::${webHop.role.accountId}:oidc-provider/token.actions.githubusercontent.com"}`,
    );
  });
  test('a classic sub says its form, without the note on the change', () => {
    const line = describeFailure(awsError('AccessDenied', 'Not authorized'), {
      label: 'role 1 of 1',
      spec: webHop,
      base: {
        kind: 'web-identity',
        token: 't',
        origin: 'o',
        claims: { ...claims, sub: 'repo:octo/app:ref:refs/heads/main' },
      },
      web: true,
    });
    expect(line).toContain('sub "repo:octo/app:ref:refs/heads/main" (classic form)');
    expect(line).not.toContain('15 July 2026');
  });
  test('other failures and chained hops say nothing of the token', () => {
    for (const ctx of [
      { label: 'role 1 of 1', spec: webHop, base, web: true },
      { label: 'role 2 of 2', spec: deployer, base, signerArn: 'arn:aws:sts::1:assumed-role/a/b' },
    ]) {
      const code = ctx.web === true ? 'RegionDisabledException' : 'AccessDenied';
      expect(describeFailure(awsError(code, 'x'), ctx)).not.toContain('the token sent');
    }
  });
});

test('AccessDenied on the first hop names the principal STS names', () => {
  const line = describeFailure(
    awsError(
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: x',
    ),
    { label: 'role 1 of 1', spec: hop1, base: STATIC_BASE, signerArn: '' },
  );
  expect(line).toContain('must allow sts:AssumeRole for arn:aws:iam::123456789012:user/ci with');
});
