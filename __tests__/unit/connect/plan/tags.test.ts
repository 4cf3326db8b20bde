import { InputError } from '../../../../src/shared/errors.js';
import { parseGithubTags, tagsFromObject } from '../../../../src/connect/plan/tags.js';

describe('parseGithubTags', () => {
  test('tags the GitHub context, with values made to fit STS', () => {
    expect(
      parseGithubTags({
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_WORKFLOW: 'Build & Deploy (prod)',
        GITHUB_ACTION: '__run_2',
        GITHUB_ACTOR: 'octocat',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_REF: 'refs/heads/feature/#12',
      }),
    ).toEqual([
      { key: 'GitHub', value: 'Actions' },
      { key: 'Repository', value: 'octo/app' },
      { key: 'Workflow', value: 'Build _ Deploy _prod_' },
      { key: 'Action', value: '__run_2' },
      { key: 'Actor', value: 'octocat' },
      { key: 'Commit', value: 'a'.repeat(40) },
      { key: 'Branch', value: 'refs/heads/feature/_12' },
    ]);
  });
  test('leaves out variables that are unset or empty', () => {
    expect(parseGithubTags({ GITHUB_REPOSITORY: 'octo/app', GITHUB_ACTOR: '' })).toEqual([
      { key: 'GitHub', value: 'Actions' },
      { key: 'Repository', value: 'octo/app' },
    ]);
  });
});

describe('tagsFromObject', () => {
  test.each([
    [{ Team: 'infra' }, [{ key: 'Team', value: 'infra' }]],
    [
      { Count: 3, Enabled: true },
      [
        { key: 'Count', value: '3' },
        { key: 'Enabled', value: 'true' },
      ],
    ],
    [{ Empty: '' }, [{ key: 'Empty', value: '' }]],
    [{}, []],
  ])('%j', (value, tags) => {
    expect(tagsFromObject('session-tags', '', value)).toEqual(tags);
  });

  test.each([
    ['a list', ['a'], 'session-tags: connection "x": must be a map of tag key to value'],
    ['a string', 'Team=infra', 'session-tags: connection "x": must be a map of tag key to value'],
    ['null', null, 'session-tags: connection "x": must be a map of tag key to value'],
    [
      'a nested map',
      { Team: { a: 1 } },
      'session-tags: connection "x": tag "Team" must have a text value',
    ],
    [
      '51 tags',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      'session-tags: connection "x": has 51 tags, more than 50',
    ],
    ['a reserved key', { 'aws:foo': 'v' }, 'must not start with "aws:"'],
    ['a bad value', { Team: 'a#b' }, 'tag "Team" value "a#b" must be at most 256 characters'],
  ])('refuses %s', (_what, value, message) => {
    const call = (): unknown => tagsFromObject('session-tags', 'connection "x": ', value);
    expect(call).toThrow(InputError);
    expect(call).toThrow(message);
  });

  test('accepts 50 tags', () => {
    const value = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(tagsFromObject('session-tags', '', value)).toHaveLength(50);
  });
});
