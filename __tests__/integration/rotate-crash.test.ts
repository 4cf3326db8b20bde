/**
 * Design group 10: the runner killed (SIGKILL, as a dead runner or a cancelled step) at every
 * step boundary, then the post step and/or a second run. The kill is exact: the GitHub fake's
 * `onWrite` hook holds its answer and kills the step right after a given secret was stored,
 * or the proxy hangs a given AWS call and the step is killed once it is in flight.
 *
 * After the post step (which runs after a cancelled step, not after a dead runner) the
 * invariant holds; after a second run, exactly one Active key remains and every target holds
 * it. The one window the design cannot close (between the two writes of one target) is
 * checked to be exactly that: one mismatched pair, repaired by the post step or a next run.
 */
import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import type { StepResult } from './support/runner.js';
import {
  ENV,
  ORG,
  REPO,
  rotationSuite,
  waitFor,
  type Pair,
  type RunOptions,
  type TestTarget,
} from '../../__fixtures__/rotate-world.js';

const s = rotationSuite();

/** Runs main and SIGKILLs it right after `t`'s secret `name` is stored (the `nth` such write), before GitHub answers. */
async function killAfterWrite(
  t: TestTarget,
  name: string,
  nth = 1,
  input: Pair = s.w.initial,
  o: RunOptions = {},
): Promise<StepResult> {
  const ac = new AbortController();
  let seen = 0;
  const dead = new Promise<void>((resolve) =>
    ac.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  s.w.gh.onWrite = async (target, written) => {
    if (JSON.stringify(target) !== JSON.stringify(t.where) || written !== name || ++seen !== nth)
      return;
    ac.abort();
    // Hold GitHub's answer until the step is dead: it never learns that the write landed.
    await dead;
    await running.catch(() => undefined);
  };
  const running = s.w.run(input, { ...o, signal: ac.signal });
  const r = await running;
  delete s.w.gh.onWrite;
  expect(r.signal).toBe('SIGKILL');
  return r;
}

/** Runs main and SIGKILLs it while the AWS call `action` (after `skip` untouched ones) hangs in the proxy. */
async function killDuring(action: string, skip: number, o: RunOptions = {}): Promise<StepResult> {
  const { w, proxy } = s;
  proxy.inject({ action, skip, times: 1, fault: { kind: 'hang' } });
  const ac = new AbortController();
  const running = w.run(w.initial, { ...o, signal: ac.signal });
  await waitFor(
    () => proxy.requests.some((q) => q.action === action && q.fault === 'hang'),
    15_000,
    `${action} to hang`,
  );
  ac.abort();
  const r = await running;
  proxy.clearFaults();
  expect(r.signal).toBe('SIGKILL');
  return r;
}

const state = (r: StepResult): unknown => JSON.parse(r.state['rotation'] ?? 'null');

describe('group 10: killed at a step boundary', () => {
  it('during step 1, after the first target was rewritten with the current key: nothing to undo; the next run converges', async () => {
    const { w, moto } = s;
    const other = (await moto.iam().send(new CreateAccessKeyCommand({ UserName: w.user.userName })))
      .AccessKey;
    w.secrets.add(other?.SecretAccessKey ?? '');
    const r = await killAfterWrite(REPO, REPO.idName);
    expect(state(r)).toEqual({ newKeyId: '', pending: [], committed: false, finished: false });
    await w.assertInvariant();
    const post = await w.post(r);
    expect(post.stdout).toContain('Nothing to undo.');
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('after step 2 (created, not verified), post step: the new key is deleted', async () => {
    const { w } = s;
    const r = await killDuring('GetCallerIdentity', 1);
    const saved = state(r) as { newKeyId: string };
    expect(saved).toMatchObject({ pending: [], committed: false, finished: false });
    expect(saved.newKeyId).toMatch(/^AKIA/);
    expect(await w.keys()).toHaveLength(2);
    await w.assertInvariant();
    const post = await w.post(r);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`Deleted the new key …${saved.newKeyId.slice(-4)}`);
    expect((await w.keys()).map((k) => k.id)).toEqual([w.user.accessKeyId]);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('after step 2, runner dead (no post step): the next run retires the key nobody holds', async () => {
    const { w } = s;
    const r = await killDuring('GetCallerIdentity', 1);
    const { newKeyId } = state(r) as { newKeyId: string };
    await w.assertInvariant();
    const next = await w.assertConverges();
    expect(next.stdout).toContain(`Deleted the second key …${newKeyId.slice(-4)}.`);
  });

  it('during step 3 (IAM check of the new key), post step: the new key is deleted', async () => {
    const { w } = s;
    const r = await killDuring('ListAccessKeys', 1);
    await w.assertInvariant();
    await w.post(r);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('between steps 3 and 4 (verified, first write in flight): the post step restores the target and deletes the new key', async () => {
    const { w } = s;
    w.gh.inject({
      method: 'PUT',
      path: /\/repos\/octo\/app\/actions\/secrets\/AWS_SECRET_ACCESS_KEY$/,
      times: 1,
      fault: { kind: 'latency', ms: 60_000 },
    });
    const ac = new AbortController();
    const running = w.run(w.initial, { signal: ac.signal });
    await waitFor(() => w.gh.requests.some((q) => q.method === 'PUT'), 15_000, 'the first PUT');
    ac.abort();
    const r = await running;
    expect(state(r)).toMatchObject({ pending: [REPO.line], committed: false });
    await w.assertInvariant();
    const post = await w.post(r);
    expect(post.stdout).toContain(
      'Undone: every target holds the old key, and the new key is deleted.',
    );
    expect(w.sharedPair()).toEqual(w.initial);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('between the two writes of one target (the window no API closes): exactly that pair mismatched; the post step repairs it', async () => {
    const { w, moto } = s;
    const r = await killAfterWrite(REPO, REPO.secretName);
    // The documented window: the repository holds the new secret with the old key ID.
    const half = w.stored(REPO);
    expect(half.accessKeyId).toBe(w.user.accessKeyId);
    expect(half.secretAccessKey).not.toBe(w.user.secretAccessKey);
    await expect(moto.whoAmI(half)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await w.assertInvariant([ENV, ORG]);
    const post = await w.post(r);
    expect(post.code).toBe(0);
    expect(w.sharedPair()).toEqual(w.initial);
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('between the two writes, runner dead: a next run whose input is intact rewrites every target, the mismatched one too', async () => {
    const { w } = s;
    await killAfterWrite(REPO, REPO.secretName);
    await w.assertInvariant([ENV, ORG]);
    await w.assertConverges(w.stored(ENV));
  });

  it('between target 1 and target 2: the invariant holds even without a post step (both keys Active)', async () => {
    const { w } = s;
    const r = await killAfterWrite(REPO, REPO.idName);
    expect(state(r)).toMatchObject({ pending: [REPO.line], committed: false });
    expect(w.stored(REPO).accessKeyId).not.toBe(w.user.accessKeyId);
    await w.assertInvariant();
    const post = await w.post(r);
    expect(post.stdout).toContain(
      'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY: restored to the old key',
    );
    expect(w.sharedPair()).toEqual(w.initial);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('between target 1 and target 2, runner dead: the next run with the NEW key (from target 1) converges', async () => {
    const { w } = s;
    await killAfterWrite(REPO, REPO.idName);
    await w.assertInvariant();
    const next = await w.assertConverges(w.stored(REPO));
    expect(next.stdout).toMatch(/second key …\w{4} \(Active, last used/);
  });

  it('after step 4 (every target written, before deactivating): nothing to undo; the next run retires the old key', async () => {
    const { w } = s;
    const r = await killDuring('UpdateAccessKey', 0);
    expect(state(r)).toMatchObject({ pending: [], committed: true, finished: false });
    await w.assertInvariant();
    const post = await w.post(r);
    expect(post.stdout).toContain('Nothing to undo: every target holds the verified new key.');
    expect(w.sharedPair().accessKeyId).not.toBe(w.user.accessKeyId);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('after step 6 (old key Inactive, before verifying again): the targets hold the new key; the next run deletes the old', async () => {
    const { w } = s;
    const r = await killDuring('GetCallerIdentity', 4);
    expect((await w.keys()).find((k) => k.id === w.user.accessKeyId)?.status).toBe('Inactive');
    await w.assertInvariant();
    await w.post(r);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('after step 7 (delete of the old key in flight): the next run converges', async () => {
    const { w } = s;
    const r = await killDuring('DeleteAccessKey', 0);
    await w.assertInvariant();
    await w.post(r);
    await w.assertInvariant();
    await w.assertConverges();
  });
});
