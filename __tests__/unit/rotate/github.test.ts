/** The Octokit adapter against the loopback GitHub fake (which opens every sealed box); libsodium's sealed boxes. */
import sodium from 'libsodium-wrappers';
import { createSecrets, seal } from '../../../src/rotate/github.js';
import type { SecretsPort } from '../../../src/rotate/ports.js';
import type { Scope } from '../../../src/rotate/targets.js';
import { startGithubFake, type GithubFake } from '../../integration/support/github-fake.js';

let fake: GithubFake;
let port: SecretsPort;
const warnings: string[] = [];
const REPO: Scope = { kind: 'repo', owner: 'octo', repo: 'app' };
const ENV: Scope = { kind: 'env', owner: 'octo', repo: 'app', environment: 'prod/eu' };
const ORG: Scope = { kind: 'org', org: 'octo' };

beforeEach(async () => {
  fake = await startGithubFake();
  fake.addOrg('octo');
  fake.addRepo('octo/app', 42);
  fake.addEnvironment('octo/app', 'prod/eu');
  for (let i = 0; i < 120; i++) fake.addRepo(`octo/r${i}`, 1000 + i);
  port = createSecrets({
    token: fake.token,
    baseUrl: fake.url,
    requestTimeoutMs: 2000,
    warn: (m) => warnings.push(m),
  });
});

afterEach(async () => {
  await fake.stop();
});

async function put(
  scope: Scope,
  name: string,
  value: string,
  sharing?: Parameters<SecretsPort['putSecret']>[3],
): Promise<void> {
  const key = await port.getPublicKey(scope);
  await port.putSecret(
    scope,
    name,
    { encryptedValue: await seal(value, key.key), keyId: key.keyId },
    sharing,
  );
}

describe('createSecrets', () => {
  it('writes sealed values to each scope (an environment name with a slash is encoded)', async () => {
    await put(REPO, 'A', 'repo value');
    await put(ENV, 'A', 'env value');
    await put(ORG, 'A', 'org value', { visibility: 'private' });
    expect(fake.secret({ kind: 'repo', repo: 'octo/app' }, 'A')?.value).toBe('repo value');
    expect(fake.secret({ kind: 'env', repo: 'octo/app', env: 'prod/eu' }, 'A')?.value).toBe(
      'env value',
    );
    expect(fake.secret({ kind: 'org', org: 'octo' }, 'A')).toMatchObject({
      value: 'org value',
      visibility: 'private',
    });
  });

  it('keeps every selected repository of an organization secret, across pages', async () => {
    const ids = Array.from({ length: 121 }, (_, i) => (i === 0 ? 42 : 999 + i));
    fake.setSecret({ kind: 'org', org: 'octo' }, 'S', 'x', {
      visibility: 'selected',
      selectedRepositoryIds: ids,
    });
    const sharing = await port.getOrgSecret('octo', 'S');
    expect(sharing).toEqual({ visibility: 'selected', selectedRepositoryIds: ids });
    await put(ORG, 'S', 'new', sharing);
    expect(fake.secret({ kind: 'org', org: 'octo' }, 'S')).toMatchObject({
      value: 'new',
      visibility: 'selected',
      selectedRepositoryIds: ids,
    });
    expect(await port.getOrgSecret('octo', 'MISSING')).toBeUndefined();
  });

  it('refuses to write an organization secret without its sharing', async () => {
    const key = await port.getPublicKey(ORG);
    await expect(
      port.putSecret(ORG, 'S', { encryptedValue: await seal('v', key.key), keyId: key.keyId }),
    ).rejects.toThrow(/needs its visibility/);
  });

  it('lists secrets and environments, and tells whether an environment exists', async () => {
    fake.setSecret({ kind: 'repo', repo: 'octo/app' }, 'lower_case', 'v');
    expect(await port.listSecretNames(REPO)).toEqual(['LOWER_CASE']);
    expect(await port.listEnvironments('octo', 'app')).toEqual(['prod/eu']);
    expect(await port.environmentExists('octo', 'app', 'prod/eu')).toBe(true);
    expect(await port.environmentExists('octo', 'app', 'staging')).toBe(false);
  });

  it('gives Octokit errors with their status; a hung answer is abandoned after the timeout', async () => {
    const bad = createSecrets({
      token: fake.readOnlyToken,
      baseUrl: fake.url,
      requestTimeoutMs: 2000,
      warn: () => undefined,
    });
    await expect(bad.getPublicKey(REPO)).rejects.toMatchObject({ status: 403 });
    fake.inject({ method: 'GET', path: /public-key$/, fault: { kind: 'latency', ms: 3000 } });
    const slow = createSecrets({
      token: fake.token,
      baseUrl: fake.url,
      requestTimeoutMs: 200,
      warn: () => undefined,
    });
    const started = Date.now();
    await expect(slow.getPublicKey(REPO)).rejects.toMatchObject({ status: 500 });
    expect(Date.now() - started).toBeLessThan(2000);
  }, 10_000);
});

describe('seal', () => {
  it('makes a sealed box the private key opens, fresh each time', async () => {
    await sodium.ready;
    const pair = sodium.crypto_box_keypair();
    const pk = sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL);
    const one = await seal('the secret', pk);
    const two = await seal('the secret', pk);
    expect(one).not.toBe(two);
    const opened = sodium.crypto_box_seal_open(
      sodium.from_base64(one, sodium.base64_variants.ORIGINAL),
      pair.publicKey,
      pair.privateKey,
    );
    expect(sodium.to_string(opened)).toBe('the secret');
  });
});
