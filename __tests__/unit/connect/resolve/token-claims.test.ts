import {
  admittingStatement,
  describeClaims,
  readClaims,
  subForm,
} from '../../../../src/connect/resolve/token-claims.js';

const jwt = (claims: unknown): string =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

const CLAIMS = {
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'repo:octo@4040/app@100200300:ref:refs/heads/main',
  aud: 'sts.amazonaws.com',
  repository: 'octo/app',
  repository_id: '100200300',
  repository_owner: 'octo',
  repository_owner_id: 4040,
  ref: 'refs/heads/main',
  job_workflow_ref: 'octo/app/.github/workflows/ci.yml@refs/heads/main',
  actor: 'octocat',
  exp: 1,
};

describe('readClaims', () => {
  test('the claims a trust policy tests, as strings; others left out', () => {
    expect(readClaims(jwt(CLAIMS))).toEqual({
      iss: CLAIMS.iss,
      sub: CLAIMS.sub,
      aud: ['sts.amazonaws.com'],
      repository: 'octo/app',
      repository_id: '100200300',
      repository_owner: 'octo',
      repository_owner_id: '4040',
      ref: 'refs/heads/main',
      job_workflow_ref: CLAIMS.job_workflow_ref,
    });
  });
  test('an audience list stays a list', () => {
    expect(readClaims(jwt({ ...CLAIMS, aud: ['a', 'b'] }))?.aud).toEqual(['a', 'b']);
  });
  test.each([['not a jwt'], ['a.b.c'], [jwt('text')], [jwt({ sub: 'x' })], [jwt({ iss: 'x' })]])(
    'nothing from %s',
    (token) => {
      expect(readClaims(token)).toBeUndefined();
    },
  );
});

describe('subForm', () => {
  test.each<[string, 'immutable' | 'classic']>([
    ['repo:octo@4040/app@100200300:ref:refs/heads/main', 'immutable'],
    ['repo:octo@4040/app@100200300:environment:prod', 'immutable'],
    ['repo:octo/app:ref:refs/heads/main', 'classic'],
    ['repo:octo/app:pull_request', 'classic'],
    ['repo:octo@x/app@1:ref:refs/heads/main', 'classic'],
    ['repo:octo@1/app:ref:refs/heads/main', 'classic'],
  ])('%s is %s', (sub, form) => {
    expect(subForm(sub)).toBe(form);
  });
});

test('admittingStatement: the provider of the issuer, exactly this aud and sub', () => {
  const claims = readClaims(jwt(CLAIMS));
  if (!claims) throw new Error('no claims');
  expect(JSON.parse(admittingStatement(claims, '111111111111'))).toEqual({
    Effect: 'Allow',
    Principal: {
      Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': CLAIMS.sub,
      },
    },
  });
  const ghes = readClaims(jwt({ ...CLAIMS, iss: 'https://ghe.example.com/_services/token' }));
  if (!ghes) throw new Error('no claims');
  expect(admittingStatement(ghes, '1', 'aws-us-gov')).toContain(
    '"arn:aws-us-gov:iam::1:oidc-provider/ghe.example.com/_services/token"',
  );
});

test('describeClaims: the sub and its form, the audience, then what the token names', () => {
  const claims = readClaims(jwt({ ...CLAIMS, environment: 'prod' }));
  if (!claims) throw new Error('no claims');
  expect(describeClaims(claims)).toBe(
    'sub "repo:octo@4040/app@100200300:ref:refs/heads/main" (immutable form), aud "sts.amazonaws.com", repository "octo/app", repository_id "100200300", repository_owner "octo", repository_owner_id "4040", ref "refs/heads/main", environment "prod", job_workflow_ref "octo/app/.github/workflows/ci.yml@refs/heads/main"',
  );
});
