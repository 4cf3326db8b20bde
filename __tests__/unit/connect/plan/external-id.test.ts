import { InputError } from '../../../../src/shared/errors.js';
import {
  chainExternalId,
  connectionExternalId,
  repositoryIds,
  requireIds,
} from '../../../../src/connect/plan/external-id.js';
import { parseExternalId } from '../../../../src/shared/validate.js';

const numeric = (): Record<string, string> => ({
  GITHUB_REPOSITORY_OWNER_ID: '9919',
  GITHUB_REPOSITORY_ID: '123456',
});

describe('repositoryIds', () => {
  test.each([
    [
      { GITHUB_REPOSITORY_OWNER_ID: '9919', GITHUB_REPOSITORY_ID: '123456' },
      { ownerId: '9919', repositoryId: '123456' },
    ],
    [{ GITHUB_REPOSITORY_OWNER_ID: '9919' }, undefined],
    [{ GITHUB_REPOSITORY_ID: '123456' }, undefined],
    [{ GITHUB_REPOSITORY_OWNER_ID: '', GITHUB_REPOSITORY_ID: '1' }, undefined],
    [{ GITHUB_REPOSITORY_OWNER_ID: 'octo', GITHUB_REPOSITORY_ID: '1' }, undefined],
    [{ GITHUB_REPOSITORY_OWNER_ID: '1', GITHUB_REPOSITORY_ID: '1:2' }, undefined],
    // Digits only, from the first character to the last, in both.
    [{ GITHUB_REPOSITORY_OWNER_ID: 'x1', GITHUB_REPOSITORY_ID: '2' }, undefined],
    [{ GITHUB_REPOSITORY_OWNER_ID: '1x', GITHUB_REPOSITORY_ID: '2' }, undefined],
    [{ GITHUB_REPOSITORY_OWNER_ID: '1', GITHUB_REPOSITORY_ID: 'x2' }, undefined],
    [{ GITHUB_REPOSITORY_OWNER_ID: '1', GITHUB_REPOSITORY_ID: '2x' }, undefined],
    [{}, undefined],
    [
      { ...numeric(), GITHUB_SERVER_URL: 'https://github.com' },
      { ownerId: '9919', repositoryId: '123456' },
    ],
    [
      { ...numeric(), GITHUB_SERVER_URL: 'https://GHE.example.com/' },
      { ownerId: '9919', repositoryId: '123456', host: 'ghe.example.com' },
    ],
    [
      { ...numeric(), GITHUB_SERVER_URL: 'https://ghe.example.com:8443' },
      { ownerId: '9919', repositoryId: '123456', host: 'ghe.example.com:8443' },
    ],
    [
      { ...numeric(), GITHUB_SERVER_URL: 'https://octo.ghe.com' },
      { ownerId: '9919', repositoryId: '123456', host: 'octo.ghe.com' },
    ],
    // Not a URL, or a host that cannot stand in an external ID: derive nothing from it.
    [{ ...numeric(), GITHUB_SERVER_URL: 'not a url' }, undefined],
    [{ ...numeric(), GITHUB_SERVER_URL: 'https://[::1]' }, undefined],
    // The whole host is checked, not a part of it: a host whose end (an IPv6 address with a
    // port) or whose start (a name with a character STS refuses further on) would fit.
    [{ ...numeric(), GITHUB_SERVER_URL: 'https://[::1]:8443' }, undefined],
    [{ ...numeric(), GITHUB_SERVER_URL: 'https://x!ghe.example.com' }, undefined],
    [{ ...numeric(), GITHUB_SERVER_URL: 'https://ghe.example.com!x' }, undefined],
  ])('%j', (env, ids) => {
    expect(repositoryIds(env)).toEqual(ids);
  });
});

describe('derived external IDs', () => {
  const ids = { ownerId: '9919', repositoryId: '123456' };
  test.each([
    [1, 'deployer', 'github:9919:123456:chain:1:deployer'],
    [3, 'a+=,.@_-b', 'github:9919:123456:chain:3:a+=,.@_-b'],
  ])('hop %d of role %s', (position, name, expected) => {
    const id = chainExternalId(ids, position, name);
    expect(id).toBe(expected);
    // STS must accept every derived ID.
    expect(parseExternalId('x', id)).toBe(id);
  });
  test.each([
    ['artifacts', 'github:9919:123456:connection:artifacts'],
    ['prod.eu-1_a', 'github:9919:123456:connection:prod.eu-1_a'],
  ])('connection %s', (name, expected) => {
    const id = connectionExternalId(ids, name);
    expect(id).toBe(expected);
    expect(parseExternalId('x', id)).toBe(id);
  });
  test('differs per repository, position and role', () => {
    const all = new Set([
      chainExternalId(ids, 1, 'r'),
      chainExternalId(ids, 2, 'r'),
      chainExternalId(ids, 1, 's'),
      chainExternalId({ ...ids, repositoryId: '654321' }, 1, 'r'),
      chainExternalId({ ...ids, ownerId: '1' }, 1, 'r'),
    ]);
    expect(all.size).toBe(5);
  });
  test('differs per GitHub instance; github.com keeps the plain `github:` form', () => {
    const ghes = { ...ids, host: 'ghe.example.com' };
    const tenant = { ...ids, host: 'octo.ghe.com' };
    expect(chainExternalId(ghes, 1, 'r')).toBe('github@ghe.example.com:9919:123456:chain:1:r');
    expect(connectionExternalId(tenant, 's3')).toBe(
      'github@octo.ghe.com:9919:123456:connection:s3',
    );
    const all = [ids, ghes, tenant].map((i) => chainExternalId(i, 1, 'r'));
    expect(new Set(all).size).toBe(3);
    for (const id of all) expect(parseExternalId('x', id)).toBe(id);
  });
});

describe('requireIds', () => {
  test('returns the IDs when set', () => {
    const ids = { ownerId: '1', repositoryId: '2' };
    expect(requireIds(ids, 'role-external-id')).toBe(ids);
  });
  test('names the input and the missing variables when unset', () => {
    const call = (): unknown => requireIds(undefined, 'role-external-id');
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      /^role-external-id: is empty and GITHUB_REPOSITORY_ID \/ GITHUB_REPOSITORY_OWNER_ID are not set/,
    );
  });
});
