/**
 * Key rotation against GitHub faults: design groups 3 (the GitHub preflight), 7 (one target:
 * public key, first write, second write, 422 key_id, 5xx then success) and 8 (failure at
 * target k of n, and a rollback write that fails too). Faults come from the GitHub fake;
 * where a fault must start mid-run, the fake's `onWrite` hook arms it at the exact write.
 * After each: the invariant, then a second fault-free run that must converge.
 */
import { ENV, ORG, REPO, rotationSuite, type TestTarget } from '../../__fixtures__/rotate-world.js';

const s = rotationSuite();

/** Runs `arm` once, when `t`'s secret `name` has just been written (before GitHub answers). */
function whenWritten(t: TestTarget, name: string, arm: () => void): void {
  let armed = false;
  s.w.gh.onWrite = (target, written) => {
    if (armed || JSON.stringify(target) !== JSON.stringify(t.where) || written !== name) return;
    armed = true;
    arm();
  };
}

const puts = (): number => s.w.gh.requests.filter((r) => r.method === 'PUT').length;
const mutations = (): string[] =>
  s.proxy.requests
    .filter((r) => ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'].includes(r.action))
    .map((r) => r.action);

describe('group 3: the GitHub preflight', () => {
  it('a refused token (401): fails before any change', async () => {
    const { w } = s;
    const r = await w.run(w.initial, { token: 'ghs_not_a_token_we_know' });
    expect(r.stdout).toMatch(
      /::error::reading the public key of repo:octo\/app failed: HTTP 401: Bad credentials.* — github-token was refused: it is invalid or has expired/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('a token that may not use secrets (403, like the default GITHUB_TOKEN): says what token to use', async () => {
    const { w } = s;
    const r = await w.run(w.initial, { token: w.gh.readOnlyToken });
    expect(r.stdout).toMatch(
      /::error::reading the public key of repo:octo\/app failed: HTTP 403: Resource not accessible by integration.* — github-token may not use the secrets of repo:octo\/app; the default GITHUB_TOKEN cannot write secrets: use a GitHub App token or a fine-grained token with the Secrets permission \(read and write\), plus Environments \(read\) for environment secrets and Organization secrets \(or a classic token with admin:org\) for organization secrets/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('a missing environment: fails before any change', async () => {
    const { w } = s;
    const r = await w.run(w.initial, {
      inputs: {
        targets: `${REPO.line}\nenv:octo/app/staging AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY`,
      },
    });
    expect(r.stdout).toMatch(
      /::error::env:octo\/app\/staging: environment staging does not exist in octo\/app \(create it first, or fix the targets line\); nothing was changed/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('an organization secret shared with 150 repositories keeps its visibility and every repository (two pages)', async () => {
    const { w } = s;
    const ids = w.shareOrg(150);
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'org:octo CI_AWS_KEY_ID: visibility selected, 151 selected repositories; kept as it is.',
    );
    expect(
      w.gh.requests.filter(
        (q) => q.method === 'GET' && q.path.endsWith('/CI_AWS_KEY_ID/repositories'),
      ),
    ).toHaveLength(2);
    for (const name of [ORG.idName, ORG.secretName]) {
      const stored = w.gh.secret(ORG.where, name);
      expect(stored?.visibility).toBe('selected');
      expect(stored?.selectedRepositoryIds).toEqual(ids);
    }
    await w.assertInvariant();
    await w.assertConverges();
    expect(w.gh.secret(ORG.where, ORG.idName)?.selectedRepositoryIds).toEqual(ids);
  });

  it('warns about same-name secrets at a lower level that win over a target', async () => {
    const { w } = s;
    w.gh.setSecret({ kind: 'repo', repo: 'octo/app' }, 'CI_AWS_KEY_ID', 'AKIASHADOWSHADOW0001');
    w.gh.addEnvironment('octo/app', 'staging');
    w.gh.setSecret(
      { kind: 'env', repo: 'octo/app', env: 'staging' },
      'AWS_SECRET_ACCESS_KEY',
      'shadowed-value-shadowed-value',
    );
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '::warning::repo:octo/app has its own secret CI_AWS_KEY_ID, which wins over org:octo CI_AWS_KEY_ID there and is not rotated: add it to the targets, or delete it.',
    );
    expect(r.stdout).toContain(
      '::warning::env:octo/app/staging has its own secret AWS_SECRET_ACCESS_KEY, which wins over repo:octo/app AWS_SECRET_ACCESS_KEY there and is not rotated: add it to the targets, or delete it.',
    );
    // The environment target's own secrets are targets, so they are no shadow.
    expect(r.stdout).not.toContain('::warning::env:octo/app/production');
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 7: one target', () => {
  it('the public-key fetch fails (502, every try): the target before it is restored, the new key deleted', async () => {
    const { w } = s;
    whenWritten(REPO, REPO.idName, () =>
      w.gh.inject({
        method: 'GET',
        path: /\/environments\/production\/secrets\/public-key$/,
        times: 10,
        fault: { status: 502 },
      }),
    );
    const r = await w.run(w.initial);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::reading the public key of env:octo\/app\/production failed: HTTP 502.*Rolled back: 1 target\(s\) restored to the old key, and the new key …\w{4} was deleted/,
    );
    expect(w.sharedPair()).toEqual(w.initial);
    expect(await w.keys()).toHaveLength(1);
    expect(r.summary).toContain(`| \`${REPO.line}\` | restored to the old key |`);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('the first write is refused (403): nothing was written, nothing to restore; the new key deleted', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/repos\/octo\/app\/actions\/secrets\/AWS_SECRET_ACCESS_KEY$/,
      times: 1,
      fault: { status: 403, message: 'Resource not accessible by integration' },
    });
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::writing repo:octo\/app AWS_SECRET_ACCESS_KEY failed: HTTP 403.*default GITHUB_TOKEN cannot write secrets.*Rolled back: 0 target\(s\) restored/,
    );
    expect(puts()).toBe(1);
    expect(w.sharedPair()).toEqual(w.initial);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('the first write fails with 500 every try (it may have landed): that target is rewritten with the old pair', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/repos\/octo\/app\/actions\/secrets\/AWS_SECRET_ACCESS_KEY$/,
      times: 4,
      fault: { status: 500 },
    });
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::writing repo:octo\/app AWS_SECRET_ACCESS_KEY failed: HTTP 500.*Rolled back: 1 target\(s\) restored/,
    );
    expect(w.sharedPair()).toEqual(w.initial);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('the SECOND write fails: the half-written target (new secret, old ID) gets the old pair back', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/environments\/production\/secrets\/AWS_ACCESS_KEY_ID$/,
      times: 1,
      fault: { status: 422, message: 'Invalid request.' },
    });
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::writing env:octo\/app\/production AWS_ACCESS_KEY_ID failed: HTTP 422.*Rolled back: 2 target\(s\) restored/,
    );
    // The environment's secret key had been replaced: it was written back.
    expect(w.gh.secret(ENV.where, ENV.secretName)?.writes).toBe(2);
    expect(w.sharedPair()).toEqual(w.initial);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('a 422 for a stale key_id (the scope key changed between the two writes): fetches the key again once, then succeeds', async () => {
    const { w } = s;
    whenWritten(ENV, ENV.secretName, () => w.gh.rotatePublicKey(ENV.where));
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(
      w.gh.requests
        .filter(
          (q) =>
            q.method === 'PUT' &&
            q.path.endsWith('/environments/production/secrets/AWS_ACCESS_KEY_ID'),
        )
        .map((q) => q.status),
    ).toEqual([422, 204]);
    expect(
      w.gh.requests.filter((q) => q.path.endsWith('/environments/production/secrets/public-key')),
    ).toHaveLength(3);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('5xx, a reset connection and a rate limit, then success: retried, the rotation completes', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/orgs\/octo\/actions\/secrets\/CI_AWS_SECRET$/,
      times: 2,
      fault: { status: 502 },
    });
    w.gh.inject({
      method: 'PUT',
      path: /\/repos\/octo\/app\/actions\/secrets\/AWS_ACCESS_KEY_ID$/,
      times: 1,
      fault: { kind: 'reset' },
    });
    w.gh.inject({
      method: 'PUT',
      path: /\/environments\/production\/secrets\/AWS_SECRET_ACCESS_KEY$/,
      times: 1,
      fault: {
        status: 403,
        message: 'You have exceeded a secondary rate limit',
        headers: { 'retry-after': '0' },
      },
    });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.outputs['rotated']).toBe('true');
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 8: failure at target k of n', () => {
  it('target 3 of 3 fails: targets 1 and 2 (and 3, which may have been written) restored, the new key deleted', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/orgs\/octo\/actions\/secrets\/CI_AWS_SECRET$/,
      times: 4,
      fault: { status: 500 },
    });
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::writing org:octo CI_AWS_SECRET failed: HTTP 500.*Rolled back: 3 target\(s\) restored to the old key, and the new key …\w{4} was deleted/,
    );
    expect(w.sharedPair()).toEqual(w.initial);
    expect(w.gh.secret(ORG.where, ORG.secretName)?.visibility).toBe('private');
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('a rollback write fails too: nothing deleted, both keys Active, a loud failure; the post step finishes the restore', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/orgs\/octo\/actions\/secrets\/CI_AWS_SECRET$/,
      times: 1,
      fault: { status: 403, message: 'Resource not accessible by integration' },
    });
    whenWritten(ENV, ENV.idName, () =>
      w.gh.inject({
        method: 'PUT',
        path: /\/repos\/octo\/app\/actions\/secrets\/AWS_SECRET_ACCESS_KEY$/,
        times: 1,
        fault: { status: 403, message: 'Resource not accessible by integration' },
      }),
    );
    const r = await w.run(w.initial);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::writing org:octo CI_AWS_SECRET failed: HTTP 403.*ROLLBACK INCOMPLETE: 1 target\(s\) could not be restored to the old key: writing repo:octo\/app AWS_SECRET_ACCESS_KEY failed: HTTP 403.*Both keys are left Active; each of them holds the complete new pair …(\w{4}), so every target still works/,
    );
    expect(r.summary).toContain(
      `| \`${REPO.line}\` | **restore failed: holds the new key** (holds the complete new pair) |`,
    );
    const keys = await w.keys();
    expect(keys.map((k) => k.status)).toEqual(['Active', 'Active']);
    expect(w.stored(REPO).accessKeyId).not.toBe(w.user.accessKeyId);
    await w.assertInvariant();
    const post = await w.post(r);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(
      'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY: restored to the old key',
    );
    expect(post.stdout).toContain(
      'Undone: every target holds the old key, and the new key is deleted.',
    );
    expect(w.sharedPair()).toEqual(w.initial);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });
});
