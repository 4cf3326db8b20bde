import {
  parseTargets,
  repositoryOf,
  scopeLabel,
  targetLabel,
} from '../../../src/rotate/targets.js';

describe('parseTargets', () => {
  it('parses the three scopes, skipping blank lines and comments, upper-casing secret names', () => {
    const targets = parseTargets(`
      # the app's own secrets
      repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
      env:octo/app/production  aws_access_key_id\taws_secret_access_key

      org:octo CI_AWS_KEY_ID CI_AWS_SECRET
    `);
    expect(targets).toEqual([
      {
        scope: { kind: 'repo', owner: 'octo', repo: 'app' },
        idName: 'AWS_ACCESS_KEY_ID',
        secretName: 'AWS_SECRET_ACCESS_KEY',
      },
      {
        scope: { kind: 'env', owner: 'octo', repo: 'app', environment: 'production' },
        idName: 'AWS_ACCESS_KEY_ID',
        secretName: 'AWS_SECRET_ACCESS_KEY',
      },
      { scope: { kind: 'org', org: 'octo' }, idName: 'CI_AWS_KEY_ID', secretName: 'CI_AWS_SECRET' },
    ]);
    expect(targets.map(targetLabel)).toEqual([
      'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
      'env:octo/app/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
      'org:octo CI_AWS_KEY_ID CI_AWS_SECRET',
    ]);
  });

  it('keeps an environment name with slashes and dots whole', () => {
    const [t] = parseTargets('env:octo/my.repo/prod/eu-1 A B');
    expect(t?.scope).toEqual({
      kind: 'env',
      owner: 'octo',
      repo: 'my.repo',
      environment: 'prod/eu-1',
    });
    expect(scopeLabel(t!.scope)).toBe('env:octo/my.repo/prod/eu-1');
  });

  it('allows two pairs in one scope', () => {
    expect(parseTargets('repo:octo/app A B\nrepo:octo/app C D')).toHaveLength(2);
  });

  it.each([
    ['', /targets: no target given/],
    ['# only a comment', /targets: no target given/],
    [
      'repo:octo/app AWS_ACCESS_KEY_ID',
      /line 1: "repo:octo\/app AWS_ACCESS_KEY_ID" has 2 fields; expected "repo:OWNER\/NAME"/,
    ],
    ['repo:octo/app A B C', /has 4 fields/],
    ['repo:octo A B', /line 1: "repo:octo" is not a scope/],
    ['repos:octo/app A B', /is not a scope/],
    ['octo/app A B', /is not a scope/],
    ['org:octo/app A B', /is not a scope/],
    ['env:octo/app A B', /is not a scope/],
    ['repo:-octo/app A B', /has "-octo", not a GitHub user or organization name/],
    ['repo:octo/.. A B', /has "..", not a repository name/],
    ['repo:octo/a$b A B', /not a repository name/],
    [
      'repo:octo/app 1ABC B',
      /secret name "1ABC" must be letters, digits and _, not starting with a digit/,
    ],
    ['repo:octo/app A-B C', /secret name "A-B"/],
    ['repo:octo/app GITHUB_TOKEN B', /must not start with GITHUB_/],
    ['repo:octo/app A a', /two different secrets, not both to A/],
    [
      'repo:octo/app A B\nrepo:Octo/app B C',
      /line 2: repo:Octo\/app B is already written by line 1/,
    ],
  ])('refuses %j', (text, message) => {
    expect(() => parseTargets(text)).toThrow(message);
  });

  it('numbers lines as written, comments and blanks included', () => {
    expect(() => parseTargets('# a\n\nrepo:octo/app A')).toThrow(/^targets: line 3:/);
  });
});

describe('repositoryOf', () => {
  it('names the repository of a repo or environment scope, none for an organization', () => {
    expect(repositoryOf({ kind: 'repo', owner: 'o', repo: 'r' })).toBe('o/r');
    expect(repositoryOf({ kind: 'env', owner: 'o', repo: 'r', environment: 'e' })).toBe('o/r');
    expect(repositoryOf({ kind: 'org', org: 'o' })).toBeUndefined();
  });
});
