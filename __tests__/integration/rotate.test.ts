/**
 * Key rotation end to end: the bundled dist/rotate against moto (IAM and STS, signature
 * checking on, so a deleted key really fails) behind the fault proxy, and the GitHub secrets
 * fake that opens every sealed box. Each case checks the invariant (every target's pair
 * authenticates as the user, its key Active per ListAccessKeys: moto lets an Inactive key
 * authenticate) and, after a second fault-free run, that exactly one key remains and every
 * target holds it. Every run passes the leak detector (World.run does it).
 *
 * This file: the whole rotation, design groups 1 (the input key), 11 (a stale input key,
 * a concurrent run) and 12 (leaks, dry-run, min-age).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { stsResultXml } from './support/sts-xml.js';
import { assertNoLeaks } from './support/leaks.js';
import { rotationSuite, waitFor } from '../../__fixtures__/rotate-world.js';

const s = rotationSuite();

const MUTATING = ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'];
const mutations = (): string[] =>
  s.proxy.requests.filter((r) => MUTATING.includes(r.action)).map((r) => r.action);
const puts = (): number => s.w.gh.requests.filter((r) => r.method === 'PUT').length;

describe('the whole rotation', () => {
  it('rotates every target to a new verified key, deletes the old one; the post step then does nothing', async () => {
    const { w, moto } = s;
    const r = await w.run(w.initial);
    expect(r.code).toBe(0);
    const keys = await w.keys();
    expect(keys).toHaveLength(1);
    const pair = w.sharedPair();
    expect(pair.accessKeyId).toBe(keys[0]?.id);
    expect(pair.accessKeyId).not.toBe(w.user.accessKeyId);
    expect(r.outputs).toEqual({
      'new-access-key-id': pair.accessKeyId,
      'old-access-key-id': w.user.accessKeyId,
      rotated: 'true',
    });
    await w.assertInvariant();
    // The old key really stops working (signature checking is on).
    await expect(moto.whoAmI(w.initial)).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    // The user's path is not part of its name (the user is /ci/ci-bot).
    expect(w.user.arn).toMatch(/:user\/ci\/ci-bot$/);
    expect(r.stdout).toContain(`The input key belongs to ${w.user.arn}.`);
    // The organization secret keeps its visibility.
    expect(w.gh.secret({ kind: 'org', org: 'octo' }, 'CI_AWS_SECRET')?.visibility).toBe('private');
    // One summary row per target.
    for (const t of w.targets) expect(r.summary).toContain(`| \`${t.line}\` | holds the new key |`);
    // The old key was deleted with the new key's signature: after deactivation, only the new key can sign.
    const post = await w.post(r);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('Nothing to undo: every target holds the verified new key.');
    expect(await w.keys()).toHaveLength(1);
    await w.assertConverges();
  });

  it('runs again and again: each run leaves exactly one key that every target holds', async () => {
    const { w } = s;
    await w.assertConverges(w.initial);
    await w.assertConverges();
  });
});

describe('group 1: the input key', () => {
  it('a wrong secret fails in the preflight and changes nothing', async () => {
    const { w } = s;
    const r = await w.run({
      ...w.initial,
      secretAccessKey: `${w.initial.secretAccessKey.slice(0, -4)}AAAA`,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::GetCallerIdentity with the input key failed: SignatureDoesNotMatch.*the input key was refused: check aws-access-key-id and aws-secret-access-key/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    expect(r.outputs['rotated']).toBe('false');
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('an unknown key ID fails and changes nothing', async () => {
    const { w } = s;
    const r = await w.run({ ...w.initial, accessKeyId: 'AKIAUNKNOWNUNKNOWN00' });
    expect(r.stdout).toMatch(
      /::error::GetCallerIdentity with the input key failed: InvalidClientTokenId/,
    );
    expect(mutations()).toEqual([]);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('an Inactive input key fails and changes nothing (moto authenticates Inactive keys; the status comes from ListAccessKeys)', async () => {
    const { w, moto } = s;
    const second = (
      await moto.iam().send(new CreateAccessKeyCommand({ UserName: w.user.userName }))
    ).AccessKey;
    await moto.iam().send(
      new UpdateAccessKeyCommand({
        UserName: w.user.userName,
        AccessKeyId: w.user.accessKeyId,
        Status: 'Inactive',
      }),
    );
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::the input key …\w{4} is Inactive: the targets must hold an Active key/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    // The targets hold the Inactive key here (a broken world before the run); the Active second key repairs it.
    const repaired = {
      accessKeyId: second?.AccessKeyId ?? '',
      secretAccessKey: second?.SecretAccessKey ?? '',
    };
    w.secrets.add(repaired.secretAccessKey);
    await w.assertConverges(repaired);
  });

  it('refuses an assumed-role caller (a stub STS answers GetCallerIdentity: moto will not authenticate a session key without its token)', async () => {
    const { w } = s;
    let server: Server | undefined;
    try {
      server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(
            stsResultXml(
              'GetCallerIdentity',
              '<Arn>arn:aws:sts::123456789012:assumed-role/deployer/ci</Arn><UserId>AROA:ci</UserId><Account>123456789012</Account>',
            ),
          );
        });
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const sts = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await w.run(w.initial, { env: { AWS_ENDPOINT_URL_STS: sts } });
      expect(r.stdout).toMatch(
        /::error::the input key belongs to arn:aws:sts::123456789012:assumed-role\/deployer\/ci, a role session \(assumed-role\): rotation needs the long-term key of an IAM user/,
      );
      expect(mutations()).toEqual([]);
      expect(puts()).toBe(0);
    } finally {
      await new Promise((resolve) => server?.close(resolve));
    }
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('names the IAM action and the policy when the user may not call it', async () => {
    const { w, moto } = s;
    await moto.reset();
    w.user = await moto.createUser('ci-bot', {
      path: '/ci/',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
            Resource: '*',
          },
        ],
      },
    });
    w.secrets.add(w.user.secretAccessKey);
    for (const t of w.targets) {
      w.gh.setSecret(
        t.where,
        t.idName,
        w.user.accessKeyId,
        t.where.kind === 'org' ? { visibility: 'private' } : undefined,
      );
      w.gh.setSecret(
        t.where,
        t.secretName,
        w.user.secretAccessKey,
        t.where.kind === 'org' ? { visibility: 'private' } : undefined,
      );
    }
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::CreateAccessKey failed: AccessDenied: .*iam:CreateAccessKey — the IAM user may not call iam:CreateAccessKey; attach to the user a policy that allows iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed on arn:aws:iam::123456789012:user\/ci\/ci-bot/,
    );
    expect(await w.keys()).toHaveLength(1);
    await w.assertInvariant();
  });
});

describe('group 11: a stale input key, a concurrent run', () => {
  it('the key a finished rotation deleted: fails, changes nothing', async () => {
    const { w, proxy } = s;
    await w.run(w.initial);
    const rotated = w.sharedPair();
    proxy.clear();
    w.gh.requests.length = 0;
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::GetCallerIdentity with the input key failed: InvalidClientTokenId.*If a rotation ran since this workflow read its secrets, the key it read was rotated away; nothing was changed/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    expect(w.sharedPair()).toEqual(rotated);
    await w.assertInvariant();
    await w.assertConverges();
  });

  it('the key a rotation left Inactive (delete-old-key: false): fails, changes nothing', async () => {
    const { w, proxy } = s;
    await w.run(w.initial, { inputs: { 'delete-old-key': 'false' } });
    expect((await w.keys()).map((k) => k.status).sort()).toEqual(['Active', 'Inactive']);
    proxy.clear();
    w.gh.requests.length = 0;
    const r = await w.run(w.initial);
    expect(r.stdout).toMatch(
      /::error::the input key …\w{4} is Inactive.*delete-old-key: false.*stale; nothing was changed/,
    );
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    await w.assertInvariant();
    // The next run with the current key retires the Inactive one in step 1.
    const next = await w.assertConverges();
    expect(next.stdout).toMatch(/second key …\w{4} \(Inactive, /);
  });

  it('another run creates a key between our preflight and our CreateAccessKey: LimitExceeded, nothing changed', async () => {
    const { w, moto, proxy } = s;
    proxy.inject({ action: 'CreateAccessKey', times: 1, fault: { kind: 'latency', ms: 700 } });
    const running = w.run(w.initial);
    await waitFor(() => proxy.count('CreateAccessKey') > 0, 15_000, 'CreateAccessKey');
    const other = (await moto.iam().send(new CreateAccessKeyCommand({ UserName: w.user.userName })))
      .AccessKey;
    w.secrets.add(other?.SecretAccessKey ?? '');
    const r = await running;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::CreateAccessKey failed: LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2 — the user already has two access keys, most likely because another rotation created one just now; nothing was changed, run again/,
    );
    expect(puts()).toBe(0);
    expect((await w.keys()).map((k) => k.id).sort()).toEqual(
      [w.user.accessKeyId, other?.AccessKeyId].sort(),
    );
    await w.assertInvariant();
    await w.assertConverges();
  });
});

describe('group 12: no secret anywhere; dry-run and min-age change nothing', () => {
  it('masks the new secret before any line could hold it, and never outputs it', async () => {
    const { w } = s;
    const r = await w.run(w.initial);
    const fresh = w.stored(w.targets[0]!).secretAccessKey;
    expect(
      assertNoLeaks(r, [fresh, w.initial.secretAccessKey, w.gh.token], { requireMasked: true }),
    ).toBeGreaterThan(0);
    expect(JSON.stringify(r.outputs)).not.toContain(fresh);
    expect(JSON.stringify(r.state)).not.toContain(fresh);
    expect(r.summary).not.toContain(fresh);
    const state = JSON.parse(r.state['rotation'] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual(['committed', 'finished', 'newKeyId', 'pending']);
  });

  it('dry-run: checks everything, prints the plan, changes nothing', async () => {
    const { w } = s;
    const r = await w.run(w.initial, { inputs: { 'dry-run': 'true' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Would: Create a new access key for ci-bot');
    expect(r.stdout).toContain('Dry run: nothing was changed.');
    expect(r.outputs).toEqual({
      'new-access-key-id': '',
      'old-access-key-id': w.user.accessKeyId,
      rotated: 'false',
    });
    expect(r.summary).toMatch(/dry run, nothing changed/);
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    expect(await w.keys()).toHaveLength(1);
    expect(w.sharedPair()).toEqual(w.initial);
    await w.assertConverges();
  });

  it('min-age: a key younger than that is skipped, successfully', async () => {
    const { w } = s;
    const r = await w.run(w.initial, { inputs: { 'min-age': '30d' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Nothing was changed: the key …\w{4} is \d+s old, younger than min-age 30d\./,
    );
    expect(r.outputs['rotated']).toBe('false');
    expect(mutations()).toEqual([]);
    expect(puts()).toBe(0);
    expect(w.sharedPair()).toEqual(w.initial);
    await w.assertConverges(w.initial, { inputs: { 'min-age': '0s' } });
  });
});
