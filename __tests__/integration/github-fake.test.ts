/**
 * Self-test of the GitHub secrets fake, driven the way the action drives GitHub: Octokit from
 * `@actions/github` over real HTTP, values sealed with libsodium against the fetched key.
 */
import { getOctokit } from '@actions/github';
import sodium from 'libsodium-wrappers';
import { parseTarget, startGithubFake } from './support/github-fake.js';
import type { GithubFake } from './support/github-fake.js';

type Octokit = ReturnType<typeof getOctokit>;

/** Seals `value` for a base64 public key, as GitHub's docs show. */
function seal(value: string, key: string): string {
  const box = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL),
  );
  return sodium.to_base64(box, sodium.base64_variants.ORIGINAL);
}

/** The HTTP status of a rejected Octokit call (500 for a network error, as Octokit reports it). */
async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return (err as { status?: number }).status;
  }
}

describe('github fake', () => {
  let fake: GithubFake;
  let octokit: Octokit;

  beforeAll(async () => {
    await sodium.ready;
  });

  beforeEach(async () => {
    fake = await startGithubFake();
    fake.addRepo('octo/app', 42);
    fake.addEnvironment('octo/app', 'production');
    fake.addOrg('octo');
    octokit = getOctokit(fake.token, { baseUrl: fake.url });
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('parses targets', () => {
    expect(parseTarget('repo:octo/app')).toEqual({ kind: 'repo', repo: 'octo/app' });
    expect(parseTarget('env:octo/app/production')).toEqual({
      kind: 'env',
      repo: 'octo/app',
      env: 'production',
    });
    expect(parseTarget('org:octo')).toEqual({ kind: 'org', org: 'octo' });
    expect(() => parseTarget('repo:octo')).toThrow(/not a secret target/);
    expect(() => parseTarget('octo/app')).toThrow(/not a secret target/);
  });

  it('stores a repository secret: 201 then 204, plaintext kept, metadata listed', async () => {
    const repo = await octokit.rest.repos.get({ owner: 'octo', repo: 'app' });
    expect(repo.data).toMatchObject({ id: 42, full_name: 'octo/app', owner: { login: 'octo' } });

    const { data: key } = await octokit.rest.actions.getRepoPublicKey({
      owner: 'octo',
      repo: 'app',
    });
    const first = await octokit.rest.actions.createOrUpdateRepoSecret({
      owner: 'octo',
      repo: 'app',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
      encrypted_value: seal('s3cr3t-1', key.key),
      key_id: key.key_id,
    });
    expect(first.status).toBe(201);
    const second = await octokit.rest.actions.createOrUpdateRepoSecret({
      owner: 'octo',
      repo: 'app',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
      encrypted_value: seal('s3cr3t-2', key.key),
      key_id: key.key_id,
    });
    expect(second.status).toBe(204);

    const target = parseTarget('repo:octo/app');
    expect(fake.secret(target, 'AWS_SECRET_ACCESS_KEY')).toMatchObject({
      value: 's3cr3t-2',
      keyId: key.key_id,
      writes: 2,
    });
    const got = await octokit.rest.actions.getRepoSecret({
      owner: 'octo',
      repo: 'app',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
    });
    expect(Object.keys(got.data).sort()).toEqual(['created_at', 'name', 'updated_at']);
    const list = await octokit.rest.actions.listRepoSecrets({ owner: 'octo', repo: 'app' });
    expect(list.data.total_count).toBe(1);
    expect(list.data.secrets[0]?.name).toBe('AWS_SECRET_ACCESS_KEY');
    expect(
      await statusOf(
        octokit.rest.actions.getRepoSecret({ owner: 'octo', repo: 'app', secret_name: 'NOPE' }),
      ),
    ).toBe(404);

    // The log holds the sealed body, never the plaintext.
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[0]?.path).toBe('/repos/octo/app/actions/secrets/AWS_SECRET_ACCESS_KEY');
    expect(JSON.stringify(fake.requests)).not.toContain('s3cr3t');
  });

  it('gives each scope its own key pair', async () => {
    const repoKey = (await octokit.rest.actions.getRepoPublicKey({ owner: 'octo', repo: 'app' }))
      .data;
    const envKey = (
      await octokit.rest.actions.getEnvironmentPublicKey({
        owner: 'octo',
        repo: 'app',
        environment_name: 'production',
      })
    ).data;
    const orgKey = (await octokit.rest.actions.getOrgPublicKey({ org: 'octo' })).data;
    expect(new Set([repoKey.key, envKey.key, orgKey.key]).size).toBe(3);
    expect(new Set([repoKey.key_id, envKey.key_id, orgKey.key_id]).size).toBe(3);

    // A box sealed for the repository does not open in the environment.
    const status = await statusOf(
      octokit.rest.actions.createOrUpdateEnvironmentSecret({
        owner: 'octo',
        repo: 'app',
        environment_name: 'production',
        secret_name: 'X',
        encrypted_value: seal('v', repoKey.key),
        key_id: envKey.key_id,
      }),
    );
    expect(status).toBe(422);
  });

  it('stores an environment secret and 404s an unknown environment', async () => {
    const env = await octokit.rest.repos.getEnvironment({
      owner: 'octo',
      repo: 'app',
      environment_name: 'production',
    });
    expect(env.data.name).toBe('production');
    expect(
      await statusOf(
        octokit.rest.repos.getEnvironment({
          owner: 'octo',
          repo: 'app',
          environment_name: 'staging',
        }),
      ),
    ).toBe(404);

    const { data: key } = await octokit.rest.actions.getEnvironmentPublicKey({
      owner: 'octo',
      repo: 'app',
      environment_name: 'production',
    });
    const put = await octokit.rest.actions.createOrUpdateEnvironmentSecret({
      owner: 'octo',
      repo: 'app',
      environment_name: 'production',
      secret_name: 'AWS_ACCESS_KEY_ID',
      encrypted_value: seal('AKIAEXAMPLE', key.key),
      key_id: key.key_id,
    });
    expect(put.status).toBe(201);
    expect(fake.secret(parseTarget('env:octo/app/production'), 'AWS_ACCESS_KEY_ID')?.value).toBe(
      'AKIAEXAMPLE',
    );
    expect(fake.secret(parseTarget('repo:octo/app'), 'AWS_ACCESS_KEY_ID')).toBeUndefined();
    const list = await octokit.rest.actions.listEnvironmentSecrets({
      owner: 'octo',
      repo: 'app',
      environment_name: 'production',
    });
    expect(list.data.secrets.map((s) => s.name)).toEqual(['AWS_ACCESS_KEY_ID']);
  });

  it('stores an organization secret shared with 150 repositories, listed over two pages', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 150; i++) {
      fake.addRepo(`octo/r${i}`, 5000 + i);
      ids.push(5000 + i);
    }
    const target = parseTarget('org:octo');
    fake.setSecret(target, 'AWS_SECRET_ACCESS_KEY', 'old', {
      visibility: 'selected',
      selectedRepositoryIds: ids,
    });

    const meta = await octokit.rest.actions.getOrgSecret({
      org: 'octo',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
    });
    expect(meta.data.visibility).toBe('selected');
    expect(meta.data.selected_repositories_url).toBe(
      `${fake.url}/orgs/octo/actions/secrets/AWS_SECRET_ACCESS_KEY/repositories`,
    );

    const page1 = await octokit.rest.actions.listSelectedReposForOrgSecret({
      org: 'octo',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
      per_page: 100,
      page: 1,
    });
    const page2 = await octokit.rest.actions.listSelectedReposForOrgSecret({
      org: 'octo',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
      per_page: 100,
      page: 2,
    });
    expect(page1.data.total_count).toBe(150);
    expect(page1.data.repositories).toHaveLength(100);
    expect(page2.data.repositories).toHaveLength(50);
    expect(page1.headers.link).toContain('rel="next"');
    const listed = [...page1.data.repositories, ...page2.data.repositories].map((r) => r.id);
    expect(listed).toEqual(ids);
    // per_page above 100 is capped, and octokit.paginate follows the Link header.
    const all = await octokit.paginate(octokit.rest.actions.listSelectedReposForOrgSecret, {
      org: 'octo',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
      per_page: 500,
    });
    expect(all.map((r) => r.id)).toEqual(ids);

    const { data: key } = await octokit.rest.actions.getOrgPublicKey({ org: 'octo' });
    const untypedPut: string = 'PUT /orgs/{org}/actions/secrets/{secret_name}';
    expect(
      await statusOf(
        // Untyped route: the typed one will not compile without `visibility`.
        octokit.request(untypedPut, {
          org: 'octo',
          secret_name: 'AWS_SECRET_ACCESS_KEY',
          encrypted_value: seal('new', key.key),
          key_id: key.key_id,
        }),
      ),
    ).toBe(422);
    const put = await octokit.rest.actions.createOrUpdateOrgSecret({
      org: 'octo',
      secret_name: 'AWS_SECRET_ACCESS_KEY',
      encrypted_value: seal('new', key.key),
      key_id: key.key_id,
      visibility: 'selected',
      selected_repository_ids: listed,
    });
    expect(put.status).toBe(204);
    expect(fake.secret(target, 'AWS_SECRET_ACCESS_KEY')).toMatchObject({
      value: 'new',
      writes: 1,
      visibility: 'selected',
      selectedRepositoryIds: ids,
    });
    const orgList = await octokit.rest.actions.listOrgSecrets({ org: 'octo' });
    expect(orgList.data.secrets[0]).toMatchObject({
      name: 'AWS_SECRET_ACCESS_KEY',
      visibility: 'selected',
    });
  });

  it('answers 422 for a stale key_id after rotatePublicKey, then accepts the fresh key', async () => {
    const target = parseTarget('repo:octo/app');
    const { data: stale } = await octokit.rest.actions.getRepoPublicKey({
      owner: 'octo',
      repo: 'app',
    });
    fake.rotatePublicKey(target);
    const status = await statusOf(
      octokit.rest.actions.createOrUpdateRepoSecret({
        owner: 'octo',
        repo: 'app',
        secret_name: 'K',
        encrypted_value: seal('v', stale.key),
        key_id: stale.key_id,
      }),
    );
    expect(status).toBe(422);
    expect(fake.secret(target, 'K')).toBeUndefined();

    const { data: fresh } = await octokit.rest.actions.getRepoPublicKey({
      owner: 'octo',
      repo: 'app',
    });
    expect(fresh.key_id).not.toBe(stale.key_id);
    expect(fake.publicKey(target)).toEqual({ keyId: fresh.key_id, key: fresh.key });
    await octokit.rest.actions.createOrUpdateRepoSecret({
      owner: 'octo',
      repo: 'app',
      secret_name: 'K',
      encrypted_value: seal('v', fresh.key),
      key_id: fresh.key_id,
    });
    expect(fake.secret(target, 'K')?.value).toBe('v');
  });

  it('answers 401 for a bad token and 403 for the read-only token', async () => {
    const bad = getOctokit('ghp_not-a-token', { baseUrl: fake.url });
    expect(await statusOf(bad.rest.repos.get({ owner: 'octo', repo: 'app' }))).toBe(401);
    await expect(bad.rest.repos.get({ owner: 'octo', repo: 'app' })).rejects.toThrow(
      'Bad credentials',
    );

    const readOnly = getOctokit(fake.readOnlyToken, { baseUrl: fake.url });
    expect((await readOnly.rest.repos.get({ owner: 'octo', repo: 'app' })).status).toBe(200);
    await expect(
      readOnly.rest.actions.getRepoPublicKey({ owner: 'octo', repo: 'app' }),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration') as unknown,
    });
    const { key, keyId } = fake.publicKey(parseTarget('repo:octo/app'));
    expect(
      await statusOf(
        readOnly.rest.actions.createOrUpdateRepoSecret({
          owner: 'octo',
          repo: 'app',
          secret_name: 'K',
          encrypted_value: seal('v', key),
          key_id: keyId,
        }),
      ),
    ).toBe(403);
    expect(await statusOf(readOnly.rest.actions.getOrgPublicKey({ org: 'octo' }))).toBe(403);
    expect(fake.secret(parseTarget('repo:octo/app'), 'K')).toBeUndefined();
  });

  it('applies an injected 502 once, then succeeds; runs onWrite after the store', async () => {
    const { key, keyId } = fake.publicKey(parseTarget('repo:octo/app'));
    fake.inject({ method: 'PUT', path: /\/actions\/secrets\/K$/, fault: { status: 502 } });
    const seen: string[] = [];
    fake.onWrite = (target, name) => {
      seen.push(`${target.kind}:${name}`);
    };
    const put = () =>
      octokit.rest.actions.createOrUpdateRepoSecret({
        owner: 'octo',
        repo: 'app',
        secret_name: 'K',
        encrypted_value: seal('v', key),
        key_id: keyId,
      });
    expect(await statusOf(put())).toBe(502);
    expect(fake.secret(parseTarget('repo:octo/app'), 'K')).toBeUndefined();
    expect(seen).toEqual([]);
    expect((await put()).status).toBe(201);
    expect(seen).toEqual(['repo:K']);
    expect(fake.requests.map((r) => r.status)).toEqual([502, 201]);
  });

  it('resets the connection once, then answers; latency delays the answer', async () => {
    fake.inject({ path: /^\/repos\/octo\/app$/, fault: { kind: 'reset' } });
    // Octokit reports a network error as status 500; nothing retries it behind our back.
    expect(await statusOf(octokit.rest.repos.get({ owner: 'octo', repo: 'app' }))).toBe(500);
    expect((await octokit.rest.repos.get({ owner: 'octo', repo: 'app' })).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([undefined, 200]);

    fake.inject({ fault: { kind: 'latency', ms: 200 } });
    const started = Date.now();
    expect((await octokit.rest.repos.get({ owner: 'octo', repo: 'app' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    fake.inject({ times: Infinity, fault: { status: 500 } });
    fake.clearFaults();
    expect((await octokit.rest.repos.get({ owner: 'octo', repo: 'app' })).status).toBe(200);
  });

  it('stop() ends a request held by a latency fault', async () => {
    fake.inject({ fault: { kind: 'latency', ms: 60_000 } });
    const held = statusOf(octokit.rest.repos.get({ owner: 'octo', repo: 'app' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await fake.stop();
    expect(await held).toBe(500);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('awaits an async onWrite before answering', async () => {
    const { key, keyId } = fake.publicKey(parseTarget('org:octo'));
    let answered = false;
    fake.onWrite = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(answered).toBe(false);
    };
    await octokit.rest.actions.createOrUpdateOrgSecret({
      org: 'octo',
      secret_name: 'k',
      encrypted_value: seal('v', key),
      key_id: keyId,
      visibility: 'private',
    });
    answered = true;
    expect(fake.secret(parseTarget('org:octo'), 'K')).toMatchObject({
      value: 'v',
      visibility: 'private',
    });
    expect(fake.secret(parseTarget('org:octo'), 'K')?.selectedRepositoryIds).toBeUndefined();
  });

  it('404s unknown routes and repositories', async () => {
    expect(await statusOf(octokit.request('GET /nothing/here'))).toBe(404);
    expect(await statusOf(octokit.rest.repos.get({ owner: 'octo', repo: 'missing' }))).toBe(404);
    expect(await statusOf(octokit.rest.actions.getOrgPublicKey({ org: 'nobody' }))).toBe(404);
  });
});
