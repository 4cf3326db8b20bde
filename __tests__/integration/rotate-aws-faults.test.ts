/**
 * Key rotation against AWS faults: design groups 2 (a second key), 4 (CreateAccessKey),
 * 5 (verification), 6 (the rollback delete fails) and 9 (deactivate and delete). Faults come
 * from the proxy in front of moto (per IAM/STS `Action`, after `skip` untouched calls);
 * the "5xx after the key was created" fault forwards the call to moto, then answers 500.
 * After each: the invariant, then a second fault-free run that must converge.
 */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { rotationSuite, waitFor, type Pair } from '../../__fixtures__/rotate-world.js';
import { MOTO_REGION } from './support/moto.js';

const s = rotationSuite();
const denied = (action: string) => ({
  kind: 'error' as const,
  status: 403,
  code: 'AccessDenied',
  message: `User: arn:aws:iam::123456789012:user/ci-bot is not authorized to perform: ${action}`,
});
const refused = {
  kind: 'error' as const,
  status: 403,
  code: 'InvalidClientTokenId',
  message: 'The security token included in the request is invalid.',
};

/** Adds a second key for the user (as the admin, straight to moto). */
async function secondKey(status: 'Active' | 'Inactive', used = false): Promise<Pair> {
  const { w, moto } = s;
  const key = (await moto.iam().send(new CreateAccessKeyCommand({ UserName: w.user.userName })))
    .AccessKey;
  const pair = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  w.secrets.add(pair.secretAccessKey);
  if (used) {
    await new IAMClient({
      endpoint: moto.endpoint,
      region: MOTO_REGION,
      credentials: pair,
      maxAttempts: 1,
    }).send(new ListAccessKeysCommand({ UserName: w.user.userName }));
    const last = await moto
      .iam()
      .send(new GetAccessKeyLastUsedCommand({ AccessKeyId: pair.accessKeyId }));
    expect(last.AccessKeyLastUsed?.LastUsedDate).toBeInstanceOf(Date);
  }
  if (status === 'Inactive')
    await moto.iam().send(
      new UpdateAccessKeyCommand({
        UserName: w.user.userName,
        AccessKeyId: pair.accessKeyId,
        Status: 'Inactive',
      }),
    );
  return pair;
}

describe('group 2: the user already has a second key', () => {
  it.each([
    ['Inactive', false],
    ['Active', false],
    ['Active', true],
  ] as const)(
    '%s (used: %s): the targets are rewritten with the current key, the second key retired, then the rotation runs',
    async (status, used) => {
      const { w, proxy } = s;
      const other = await secondKey(status, used);
      const r = await w.run(w.initial);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `second key …${other.accessKeyId.slice(-4)} \\(${status}, ${used ? 'last used' : 'never used'}`,
        ),
      );
      expect(r.stdout).toContain(`Deleted the second key …${other.accessKeyId.slice(-4)}.`);
      // Deactivated first only when it was Active.
      const updates = proxy.requests.filter(
        (q) => q.action === 'UpdateAccessKey' && q.body.includes(other.accessKeyId),
      );
      expect(updates).toHaveLength(status === 'Active' ? 1 : 0);
      // Each secret: the current pair (step 1), then the new pair (step 4).
      expect(w.gh.secret(w.targets[0]!.where, 'AWS_ACCESS_KEY_ID')?.writes).toBe(2);
      const keys = await w.keys();
      expect(keys.map((k) => k.id)).not.toContain(other.accessKeyId);
      expect(keys).toHaveLength(1);
      await w.assertInvariant();
      await w.assertConverges();
    },
  );

  it('Active and used, with second-key: strict: stops and changes nothing', async () => {
    const { w, proxy } = s;
    const other = await secondKey('Active', true);
    const r = await w.run(w.initial, { inputs: { 'second-key': 'strict' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::the user's second key …\w{4} is Active and was last used .* with second-key: strict the rotation stops here/,
    );
    expect(
      proxy.requests.filter((q) =>
        ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'].includes(q.action),
      ),
    ).toEqual([]);
    expect(w.gh.requests.filter((q) => q.method === 'PUT')).toEqual([]);
    expect((await w.keys()).map((k) => k.id).sort()).toEqual(
      [w.user.accessKeyId, other.accessKeyId].sort(),
    );
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 4: CreateAccessKey', () => {
  it('LimitExceeded: fails, changes nothing', async () => {
    const { w, proxy } = s;
    proxy.inject({
      action: 'CreateAccessKey',
      times: 1,
      fault: {
        kind: 'error',
        status: 409,
        code: 'LimitExceeded',
        message: 'Cannot exceed quota for AccessKeysPerUser: 2',
      },
    });
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::CreateAccessKey failed: LimitExceeded: .*nothing was changed, run again/,
    );
    expect(await w.keys()).toHaveLength(1);
    expect(w.sharedPair()).toEqual(w.initial);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('a 5xx after moto created the key: the key whose secret never came is deleted, and the create retried', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'CreateAccessKey', times: 1, fault: { kind: 'after', status: 500 } });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(proxy.count('CreateAccessKey')).toBe(2);
    expect(r.stdout).toMatch(
      /::warning::CreateAccessKey got no answer, yet key …\w{4} exists: its secret never arrived, so it is deleted\./,
    );
    const keys = await w.keys();
    expect(keys).toHaveLength(1);
    expect(w.sharedPair().accessKeyId).toBe(keys[0]?.id);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('a 5xx that never ends: fails with the orphans cleaned up, nothing else changed', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'CreateAccessKey', fault: { kind: 'after', status: 503 } });
    const r = await w.run(w.initial, { inputs: { 'retry-max-attempts': '2' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::CreateAccessKey failed: ServiceUnavailable.*AWS did not answer in time or was unavailable; run again/,
    );
    expect(await w.keys()).toHaveLength(1);
    expect(w.sharedPair()).toEqual(w.initial);
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 5: verifying the new key', () => {
  it('refused 3 times, then accepted: waits for 3 consecutive successes', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'GetCallerIdentity', skip: 1, times: 3, fault: refused });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '3 consecutive GetCallerIdentity successes as arn:aws:iam::123456789012:user/ci/ci-bot (6 tries)',
    );
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('never accepted: the new key is deleted with the old one, the targets never touched', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'GetCallerIdentity', skip: 1, fault: refused });
    const r = await w.run(w.initial, { inputs: { 'verify-timeout-seconds': '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::the new key …(\w{4}) failed verification: it was not accepted 3 times in a row within 1 s \(\d+ tries; last refusal: The security token included in the request is invalid\.\); the new key …\1 was deleted/,
    );
    expect(w.gh.requests.filter((q) => q.method === 'PUT')).toEqual([]);
    expect(await w.keys()).toHaveLength(1);
    expect(JSON.parse(r.state['rotation'] ?? '')).toEqual({
      newKeyId: '',
      pending: [],
      committed: false,
      finished: true,
    });
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('flapping: a refusal between successes starts the count again', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'GetCallerIdentity', skip: 3, times: 1, fault: refused });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The new key was refused after 2 success(es); counting again.');
    expect(r.stdout).toContain('(6 tries)');
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('STS works but IAM is denied to the new key: fails naming iam:ListAccessKeys, the new key deleted', async () => {
    const { w, proxy } = s;
    proxy.inject({
      action: 'ListAccessKeys',
      skip: 1,
      times: 1,
      fault: denied('iam:ListAccessKeys'),
    });
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::the new key …\w{4} failed verification: ListAccessKeys with the new key failed: AccessDenied: .* — the IAM user may not call iam:ListAccessKeys; attach to the user a policy that allows iam:ListAccessKeys, .* on arn:aws:iam::123456789012:user\/ci\/ci-bot; the new key …\w{4} was deleted/,
    );
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 6: the rollback delete fails', () => {
  it('main fails saying who retires the key; a post step that fails too only warns; the next run retires it', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'GetCallerIdentity', skip: 1, fault: refused });
    proxy.inject({ action: 'DeleteAccessKey', fault: { kind: 'status', status: 503 } });
    const r = await w.run(w.initial, {
      inputs: { 'verify-timeout-seconds': '1', 'retry-max-attempts': '2' },
    });
    expect(r.stdout).toMatch(
      /::error::the new key …(\w{4}) failed verification: .*; deleting the new key …\1 failed: ServiceUnavailable: .*; the post step or the next run retires it/,
    );
    const state = JSON.parse(r.state['rotation'] ?? '') as { newKeyId: string };
    expect(state).toEqual({
      newKeyId: expect.stringMatching(/^AKIA/) as unknown,
      pending: [],
      committed: false,
      finished: false,
    });
    expect(await w.keys()).toHaveLength(2);
    await w.assertInvariant();
    // The post step's delete fails too: a warning, never a failed step.
    proxy.clearFaults();
    proxy.inject({ action: 'DeleteAccessKey', fault: { kind: 'status', status: 503 } });
    const post = await w.post(r);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(
      /::warning::deleting the new key …\w{4} failed: ServiceUnavailable.*the next run retires it/,
    );
    await w.assertInvariant();
    const next = await w.assertConverges(w.initial);
    expect(next.stdout).toContain(`Deleted the second key …${state.newKeyId.slice(-4)}.`);
  });

  it('a post step that can delete it does', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'GetCallerIdentity', skip: 1, fault: refused });
    proxy.inject({ action: 'DeleteAccessKey', fault: { kind: 'status', status: 503 } });
    const r = await w.run(w.initial, {
      inputs: { 'verify-timeout-seconds': '1', 'retry-max-attempts': '1' },
    });
    expect(r.code).toBe(1);
    proxy.clearFaults();
    const post = await w.post(r);
    expect(post.stdout).toMatch(/Deleted the new key …\w{4}: the targets hold the old key again\./);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 9: retiring the old key', () => {
  it('deactivation fails: a warning; the targets hold the verified new key; the next run retires the old one', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'UpdateAccessKey', times: 1, fault: denied('iam:UpdateAccessKey') });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.outputs['rotated']).toBe('true');
    expect(r.stdout).toMatch(
      /::warning::deactivating the old key …\w{4} failed: AccessDenied.*iam:UpdateAccessKey.* — the targets already hold the verified new key; the old key …\w{4} stays Active, and the next run retires it\./,
    );
    expect((await w.keys()).map((k) => k.status)).toEqual(['Active', 'Active']);
    expect(w.sharedPair().accessKeyId).not.toBe(w.user.accessKeyId);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('the delete fails transiently (the new key still propagating): retried until done', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'DeleteAccessKey', times: 2, fault: refused });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(proxy.count('DeleteAccessKey')).toBe(3);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('the delete fails permanently: a warning; the old key stays Inactive; the next run deletes it', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'DeleteAccessKey', fault: denied('iam:DeleteAccessKey') });
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /::warning::deleting the old key …\w{4} failed: AccessDenied.* — the old key …\w{4} is left Inactive; the next run deletes it\./,
    );
    expect((await w.keys()).find((k) => k.id === w.user.accessKeyId)?.status).toBe('Inactive');
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('NoSuchEntity (the old key deleted meanwhile) counts as done', async () => {
    const { w, proxy, moto } = s;
    proxy.inject({ action: 'DeleteAccessKey', times: 1, fault: { kind: 'latency', ms: 500 } });
    const running = w.run(w.initial);
    await waitFor(() => proxy.count('DeleteAccessKey') > 0, 15_000, 'DeleteAccessKey');
    await moto
      .iam()
      .send(
        new DeleteAccessKeyCommand({ UserName: w.user.userName, AccessKeyId: w.user.accessKeyId }),
      );
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('::warning::');
    expect(r.stdout).toContain('Deleted the old key');
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('verify again fails after deactivation: the old key reactivated, every target restored, the new key deleted', async () => {
    const { w, proxy } = s;
    proxy.inject({ action: 'GetCallerIdentity', skip: 4, fault: refused });
    const r = await w.run(w.initial, { inputs: { 'verify-timeout-seconds': '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::the new key …\w{4} failed verification after the old key was deactivated: .*the old key was reactivated\. Rolled back: 3 target\(s\) restored to the old key, and the new key …\w{4} was deleted/,
    );
    const keys = await w.keys();
    expect(keys.map((k) => [k.id, k.status])).toEqual([[w.user.accessKeyId, 'Active']]);
    expect(w.sharedPair()).toEqual(w.initial);
    for (const t of w.targets)
      expect(r.summary).toContain(`| \`${t.line}\` | restored to the old key |`);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('delete-old-key: false keeps the old key Inactive', async () => {
    const { w } = s;
    const r = await w.run(w.initial, { inputs: { 'delete-old-key': 'false' } });
    expect(r.stdout).toContain('(delete-old-key: false)');
    expect((await w.keys()).find((k) => k.id === w.user.accessKeyId)?.status).toBe('Inactive');
    await w.assertInvariant();
    await w.assertConverges();
  });
});
