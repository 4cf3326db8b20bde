/** The preflight (step 0) through rotate(): the input key and the GitHub targets; a failure changes nothing. */
import { awsError, githubError, OLD, USER_ARN } from '../../../__fixtures__/rotate-fakes.js';
import { world, assertNothingChanged, MUTATING } from '../../../__fixtures__/rotate-engine.js';

describe('group 1: the input key', () => {
  it('a refused input key fails at once, naming the stale-secret case; nothing changed', async () => {
    const w = world();
    w.aws.keys.get(OLD.accessKeyId)!.secret = 'different';
    const report = await w.run();
    expect(report.error).toMatch(
      /InvalidClientTokenId.*the input key was refused.*rotated away; nothing was changed/,
    );
    expect(w.aws.calls.filter((c) => c.op === 'GetCallerIdentity')).toHaveLength(1);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it.each([
    [
      'assumed-role',
      'arn:aws:sts::123456789012:assumed-role/deployer/session',
      /role session \(assumed-role\)/,
    ],
    ['federated-user', 'arn:aws:sts::123456789012:federated-user/bob', /federated user/],
    ['root', 'arn:aws:iam::123456789012:root', /root user/],
  ])('refuses a caller that is not an IAM user: %s', async (_kind, arn, message) => {
    const w = world();
    w.aws.arn = arn;
    const report = await w.run();
    expect(report.error).toMatch(message);
    assertNothingChanged(w);
  });

  it('takes the user name from the last segment of a user ARN with a path', async () => {
    const w = world();
    const report = await w.run();
    expect(report.user).toEqual({ arn: USER_ARN, userName: 'ci-bot', accountId: '123456789012' });
  });

  it('fails when the input key is Inactive (a stale secret), changing nothing', async () => {
    const w = world();
    w.aws.keys.get(OLD.accessKeyId)!.status = 'Inactive';
    const report = await w.run();
    expect(report.error).toMatch(/is Inactive.*stale; nothing was changed/);
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
  });

  it('names the missing IAM action and the policy to attach on AccessDenied', async () => {
    const w = world();
    w.aws.fail(
      'ListAccessKeys',
      awsError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/ci-bot is not authorized to perform: iam:ListAccessKeys',
        403,
      ),
    );
    const report = await w.run();
    expect(report.error).toMatch(
      /may not call iam:ListAccessKeys; attach to the user a policy that allows iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed on arn:aws:iam::123456789012:user\/ci\/ci-bot/,
    );
    assertNothingChanged(w);
  });

  it('retries throttling in the preflight', async () => {
    const w = world();
    w.aws.fail('GetCallerIdentity', awsError('Throttling', 'Rate exceeded', 400), { times: 2 });
    const report = await w.run();
    expect(report.rotated).toBe(true);
  });
});

describe('group 3: the GitHub preflight', () => {
  it('a token that may not read secrets (403): the default GITHUB_TOKEN message; nothing changed', async () => {
    const w = world();
    w.gh.fail('getPublicKey', githubError(403, 'Resource not accessible by integration'));
    const report = await w.run();
    expect(report.error).toMatch(
      /reading the public key of repo:octo\/app failed: HTTP 403: Resource not accessible by integration — github-token may not use the secrets of repo:octo\/app; the default GITHUB_TOKEN cannot write secrets: use a GitHub App token or a fine-grained token/,
    );
    assertNothingChanged(w);
  });

  it('a refused token (401)', async () => {
    const w = world();
    w.gh.fail('getPublicKey', githubError(401, 'Bad credentials'));
    expect((await w.run()).error).toMatch(
      /HTTP 401: Bad credentials — github-token was refused: it is invalid or has expired/,
    );
    assertNothingChanged(w);
  });

  it('a missing environment', async () => {
    const w = world();
    w.gh.environments.clear();
    expect((await w.run()).error).toMatch(
      /env:octo\/app\/production: environment production does not exist in octo\/app/,
    );
    assertNothingChanged(w);
  });

  it('a missing organization secret: the rotation never chooses a visibility', async () => {
    const w = world({ targets: 'org:octo NEW_ID NEW_SECRET' });
    w.gh.remove('org:octo', 'NEW_ID');
    expect((await w.run()).error).toMatch(
      /org:octo NEW_ID does not exist: create the organization secret first/,
    );
    expect(w.aws.calls.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    expect(w.gh.calls.filter((c) => c.op === 'putSecret')).toEqual([]);
  });

  it('warns about a same-name secret at a lower level that shadows a target', async () => {
    const w = world();
    w.gh.set('repo:octo/app', 'CI_AWS_KEY_ID', 'something else');
    w.gh.environments.add('env:octo/app/staging');
    w.gh.set('env:octo/app/staging', 'AWS_SECRET_ACCESS_KEY', 'something else');
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.runner.warnings).toEqual([
      'repo:octo/app has its own secret CI_AWS_KEY_ID, which wins over org:octo CI_AWS_KEY_ID there and is not rotated: add it to the targets, or delete it.',
      'env:octo/app/staging has its own secret AWS_SECRET_ACCESS_KEY, which wins over repo:octo/app AWS_SECRET_ACCESS_KEY there and is not rotated: add it to the targets, or delete it.',
    ]);
  });

  it('a shadow check that cannot list is only logged', async () => {
    const w = world();
    w.gh.fail('listEnvironments', githubError(403, 'forbidden'), { times: 10 });
    const report = await w.run();
    expect(report.rotated).toBe(true);
    expect(w.runner.debugs.join('\n')).toMatch(
      /listing the environments of octo\/app \(shadow check\) failed: HTTP 403/,
    );
  });
});
