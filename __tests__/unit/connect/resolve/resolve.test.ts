import type { BaseCredentials } from '../../../../src/connect/resolve/base.js';
import { InputError } from '../../../../src/shared/errors.js';
import {
  connectionLabel,
  hasPlainKeys,
  PLAIN_KEY_TRIES,
  resolvePlan,
  type ResolveDeps,
} from '../../../../src/connect/resolve/resolve.js';
import {
  chainPlan,
  credentials,
  hop,
  plan,
  spec,
  STATIC_BASE,
  WEB_BASE,
} from '../../../../__fixtures__/plans.js';
import { instantRetry } from '../../../../__fixtures__/retry.js';
import { awsError, FakeSts, fakeSts, flush } from '../../../../__fixtures__/sts.js';

function deps(sts: FakeSts, maxAttempts = 4): ResolveDeps & { lines: string[] } {
  const lines: string[] = [];
  return { sts, retry: instantRetry({ maxAttempts }), info: (m) => lines.push(m), lines };
}

/** The error a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('resolvePlan: no role', () => {
  test('long-term keys are exchanged for GetSessionToken credentials', async () => {
    const sts = fakeSts();
    const d = deps(sts);
    const r = await resolvePlan(plan({ sessionDurationSeconds: 7200 }), STATIC_BASE, d);
    expect(sts.calls).toEqual([
      {
        op: 'getSessionToken',
        signer: STATIC_BASE.kind === 'credentials' ? STATIC_BASE.credentials : undefined,
        durationSeconds: 7200,
      },
    ]);
    expect(r.connections).toEqual([]);
    expect(r.primary?.credentials.accessKeyId).toMatch(/^ASIASESSION/);
    expect(r.primary?.credentials.accessKeyId).not.toBe('AKIAIOSFODNN7EXAMPLE');
    expect(r.primary).toMatchObject({ arn: '', accountId: '' });
    expect(d.lines).toEqual([
      'base credentials: exchanged for session credentials (GetSessionToken, 7200 s)',
    ]);
  });

  test('with allowed-account-ids, the session is identified', async () => {
    const sts = fakeSts({
      baseIdentity: { arn: 'arn:aws:iam::444455556666:user/ci', accountId: '444455556666' },
    });
    const r = await resolvePlan(
      plan({ allowedAccountIds: ['444455556666'] }),
      STATIC_BASE,
      deps(sts),
    );
    expect(sts.calls.map((c) => c.op)).toEqual(['getSessionToken', 'getCallerIdentity']);
    const gci = sts.callsOf('getCallerIdentity')[0];
    expect(gci?.signer.accessKeyId).toBe(r.primary?.credentials.accessKeyId);
    expect(r.primary).toMatchObject({
      arn: 'arn:aws:iam::444455556666:user/ci',
      accountId: '444455556666',
    });
  });

  test('session-credentials false: the long-term key, with no call at all', async () => {
    const sts = fakeSts();
    const r = await resolvePlan(plan({ sessionCredentials: false }), STATIC_BASE, deps(sts));
    expect(sts.calls).toEqual([]);
    expect(r.primary?.credentials).toBe(
      STATIC_BASE.kind === 'credentials' ? STATIC_BASE.credentials : undefined,
    );
  });

  test('session-credentials false with allowed-account-ids: identified with the long-term key', async () => {
    const sts = fakeSts();
    const d = deps(sts);
    const r = await resolvePlan(
      plan({ sessionCredentials: false, allowedAccountIds: ['111122223333'] }),
      STATIC_BASE,
      d,
    );
    expect(sts.calls.map((c) => c.op)).toEqual(['getCallerIdentity']);
    expect(r.primary).toMatchObject({
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/ci',
    });
    expect(d.lines).toEqual([
      'base credentials: authenticated as arn:aws:iam::111122223333:user/ci',
    ]);
  });

  test('temporary keys are checked with GetCallerIdentity and used as they are', async () => {
    const base: BaseCredentials = {
      kind: 'credentials',
      credentials: credentials('temp'),
      origin: 'temporary keys',
    };
    const sts = fakeSts();
    const r = await resolvePlan(plan(), base, deps(sts));
    expect(sts.calls).toEqual([{ op: 'getCallerIdentity', signer: base.credentials }]);
    expect(r.primary?.credentials).toBe(base.credentials);
  });

  test('a web identity alone is refused', async () => {
    expect((await rejection(resolvePlan(plan(), WEB_BASE, deps(fakeSts())))).message).toBe(
      'a web identity needs a role to assume',
    );
  });

  test('a refused key fails at once with a hint', async () => {
    const sts = fakeSts().fail(
      'getSessionToken',
      awsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      ),
    );
    const err = await rejection(resolvePlan(plan(), STATIC_BASE, deps(sts)));
    expect(sts.calls).toHaveLength(1);
    expect(err.message).toBe(
      'base credentials failed: InvalidClientTokenId: The security token included in the request is invalid. — the base credentials (static keys from aws-access-key-id / aws-secret-access-key) were refused: check the access key ID and its secret, and that the key is active',
    );
  });

  test('throttling is retried and reported', async () => {
    const sts = fakeSts().fail(
      'getSessionToken',
      awsError('Throttling', 'Rate exceeded\nmore', 400),
    );
    const d = deps(sts);
    await resolvePlan(plan(), STATIC_BASE, d);
    expect(sts.callsOf('getSessionToken')).toHaveLength(2);
    expect(d.lines[0]).toBe(
      'base credentials: Throttling (Rate exceeded); retrying in 250 ms (attempt 2)',
    );
  });
});

describe('resolvePlan: a role chain', () => {
  test('each hop is signed with the credentials of the one before', async () => {
    const sts = fakeSts();
    const d = deps(sts);
    const p = chainPlan(3);
    const r = await resolvePlan(p, STATIC_BASE, d);
    const calls = sts.callsOf('assumeRole');
    expect(calls.map((c) => c.request.roleArn)).toEqual(p.connections.map((c) => c.role.arn));
    expect(calls[0]?.signer).toBe(
      STATIC_BASE.kind === 'credentials' ? STATIC_BASE.credentials : undefined,
    );
    expect(calls[1]?.signer).toBe(r.connections[0]?.session.credentials);
    expect(calls[2]?.signer).toBe(r.connections[1]?.session.credentials);
    expect(r.primary).toBe(r.connections[2]?.session);
    expect(r.connections.map((c) => c.spec)).toEqual(p.connections);
    expect(d.lines).toEqual([
      `role 1 of 3: assumed ${p.connections[0]?.role.arn} as arn:aws:sts::123456789012:assumed-role/hop1/GitHubActions with external ID github:1111:2222:chain:1:hop1`,
      `role 2 of 3: assumed ${p.connections[1]?.role.arn} as arn:aws:sts::123456789012:assumed-role/hop2/GitHubActions with external ID github:1111:2222:chain:2:hop2`,
      `role 3 of 3: assumed ${p.connections[2]?.role.arn} as arn:aws:sts::123456789012:assumed-role/hop3/GitHubActions with external ID github:1111:2222:chain:3:hop3`,
    ]);
  });

  test('the request carries exactly what the spec sets', async () => {
    const sts = fakeSts();
    const full = hop(1, {
      tags: [{ key: 'Team', value: 'infra' }],
      transitiveTagKeys: ['Team'],
      sourceIdentity: 'octocat',
      policy: '{"Version":"2012-10-17"}',
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      durationSeconds: 900,
      sessionName: 'run-1',
    });
    await resolvePlan(plan({ connections: [full], primary: 'chain-1' }), STATIC_BASE, deps(sts));
    expect(sts.callsOf('assumeRole')[0]?.request).toEqual({
      roleArn: full.role.arn,
      sessionName: 'run-1',
      durationSeconds: 900,
      externalId: full.externalId,
      tags: [{ key: 'Team', value: 'infra' }],
      transitiveTagKeys: ['Team'],
      sourceIdentity: 'octocat',
      policy: '{"Version":"2012-10-17"}',
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
  });

  test('a web identity base: the first hop is AssumeRoleWithWebIdentity with no external ID', async () => {
    const sts = fakeSts();
    const p = chainPlan(2);
    const first = p.connections[0];
    if (first) delete first.externalId;
    const d = deps(sts);
    const r = await resolvePlan(p, WEB_BASE, d);
    expect(sts.calls.map((c) => c.op)).toEqual(['assumeRoleWithWebIdentity', 'assumeRole']);
    const web = sts.callsOf('assumeRoleWithWebIdentity')[0];
    expect(web?.token).toBe('eyJ.token.sig');
    expect(web?.request).not.toHaveProperty('externalId');
    expect(web?.request).toEqual({
      roleArn: first?.role.arn,
      sessionName: 'GitHubActions',
      durationSeconds: 3600,
    });
    expect(sts.callsOf('assumeRole')[0]?.signer).toBe(r.connections[0]?.session.credentials);
    expect(d.lines[0]).toMatch(
      /^role 1 of 2: assumed .* as arn:aws:sts::123456789012:assumed-role\/hop1\/GitHubActions$/,
    );
  });

  test('a failure at hop 2 names the hop, the role, the code and the external ID; hop 3 is never called', async () => {
    const p = chainPlan(3);
    const hop2 = p.connections[1];
    const sts = fakeSts().fail(
      hop2?.role.arn ?? '',
      awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole', 403),
    );
    const err = await rejection(resolvePlan(p, STATIC_BASE, deps(sts)));
    expect(sts.assumedRoles).toEqual([p.connections[0]?.role.arn, hop2?.role.arn]);
    expect(err.message).toBe(
      `role 2 of 3 (${hop2?.role.arn}) failed: AccessDenied: not authorized to perform: sts:AssumeRole — the trust policy of ${hop2?.role.arn} must allow sts:AssumeRole for ${p.connections[0]?.role.arn} with the condition StringEquals sts:ExternalId = "github:1111:2222:chain:2:hop2"`,
    );
  });

  test('on a web identity base, a refused hop 2 gets the hint for the hop before, not the OIDC one', async () => {
    const p = chainPlan(2);
    delete p.connections[0]?.externalId;
    const [first, second] = p.connections;
    const sts = fakeSts().fail(second?.role.arn ?? '', awsError('AccessDenied', 'no'));
    const err = await rejection(resolvePlan(p, WEB_BASE, deps(sts)));
    expect(err.message).toContain(
      `must allow sts:AssumeRole for ${first?.role.arn} with the condition StringEquals sts:ExternalId`,
    );
    expect(err.message).not.toContain('OIDC');
  });

  test('a retried error is reported by its first line, cut to 120 characters', async () => {
    const p = chainPlan(1);
    const long = `${'x'.repeat(200)}\n<html>the rest of a proxy's page</html>`;
    const sts = fakeSts().fail(p.connections[0]?.role.arn ?? '', awsError('Throttling', long, 400));
    const d = deps(sts);
    await resolvePlan(p, STATIC_BASE, d);
    expect(d.lines[0]).toBe(
      `role 1 of 1: Throttling (${'x'.repeat(120)}); retrying in 250 ms (attempt 2 of 4)`,
    );
  });

  test('a web identity hop that is refused gets the OIDC hint', async () => {
    const p = chainPlan(1);
    delete p.connections[0]?.externalId;
    const sts = fakeSts().fail(p.connections[0]?.role.arn ?? '', awsError('AccessDenied', 'no'));
    const err = await rejection(resolvePlan(p, WEB_BASE, deps(sts)));
    expect(err.message).toContain(
      'must allow sts:AssumeRoleWithWebIdentity for the OIDC provider token.actions.githubusercontent.com',
    );
  });

  test('throttling is retried with the attempt count; AccessDenied is not', async () => {
    const p = chainPlan(2);
    const [a, b] = p.connections.map((c) => c.role.arn);
    const sts = fakeSts()
      .fail(
        a ?? '',
        awsError('Throttling', 'Rate exceeded', 400),
        awsError('ServiceUnavailable', 'down', 503),
      )
      .fail(b ?? '', awsError('AccessDenied', 'no', 403));
    const d = deps(sts);
    await rejection(resolvePlan(p, STATIC_BASE, d));
    expect(sts.assumedRoles).toEqual([a, a, a, b]);
    expect(d.lines.slice(0, 2)).toEqual([
      'role 1 of 2: Throttling (Rate exceeded); retrying in 250 ms (attempt 2 of 4)',
      'role 1 of 2: ServiceUnavailable (down); retrying in 500 ms (attempt 3 of 4)',
    ]);
  });

  test('gives up after retry-max-attempts tries', async () => {
    const p = chainPlan(1);
    const arn = p.connections[0]?.role.arn ?? '';
    const sts = fakeSts().fail(
      arn,
      ...Array.from({ length: 5 }, () => awsError('Throttling', 'Rate exceeded', 400)),
    );
    const err = await rejection(resolvePlan(p, STATIC_BASE, deps(sts, 2)));
    expect(sts.assumedRoles).toEqual([arn, arn]);
    expect(err.message).toBe(`role 1 of 1 (${arn}) failed: Throttling: Rate exceeded`);
  });

  test('default-chain credentials that turn out temporary cap a long duration before any call', async () => {
    const p = chainPlan(1, { base: { kind: 'default-chain' } });
    const first = p.connections[0];
    if (first) first.durationSeconds = 7200;
    const base: BaseCredentials = {
      kind: 'credentials',
      credentials: credentials('instance'),
      origin: 'default chain',
    };
    const sts = fakeSts();
    const err = await rejection(resolvePlan(p, base, deps(sts)));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      'role-duration-seconds: 7200 is above 3600, the limit for a role assumed with temporary credentials (the default provider chain gave a session)',
    );
    expect(sts.calls).toEqual([]);
  });

  test('default-chain credentials that turn out temporary allow exactly 3600 s', async () => {
    const p = chainPlan(1, { base: { kind: 'default-chain' } });
    const first = p.connections[0];
    if (first) first.durationSeconds = 3600;
    const base: BaseCredentials = {
      kind: 'credentials',
      credentials: credentials('instance'),
      origin: 'default chain',
    };
    const sts = fakeSts();
    await resolvePlan(p, base, deps(sts));
    expect(sts.callsOf('assumeRole')[0]?.request.durationSeconds).toBe(3600);
  });

  test.each([
    ['long-term default-chain credentials', credentials('user', false), 'default-chain', 1],
    ['temporary static keys (checked when the inputs were read)', credentials('temp'), 'static', 1],
  ] as const)('no cap for %s', async (_what, creds, kind, calls) => {
    const p = chainPlan(1, {
      base:
        kind === 'static'
          ? { kind, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) }
          : { kind },
    });
    const first = p.connections[0];
    if (first) first.durationSeconds = 7200;
    const sts = fakeSts();
    await resolvePlan(p, { kind: 'credentials', credentials: creds, origin: kind }, deps(sts));
    expect(sts.calls).toHaveLength(calls);
  });
});

describe('resolvePlan: named connections', () => {
  const hub = spec('hub');
  const a = spec('a', { source: 'hub' });
  const b = spec('b', { source: 'hub' });

  test('a shared source is assumed once, and each connection from its source', async () => {
    const sts = fakeSts();
    const d = deps(sts);
    const r = await resolvePlan(
      plan({ named: true, connections: [hub, a, b], primary: 'b' }),
      STATIC_BASE,
      d,
    );
    expect(sts.assumedRoles.filter((arn) => arn === hub.role.arn)).toHaveLength(1);
    expect(sts.assumedRoles).toHaveLength(3);
    const hubSession = r.connections.find((c) => c.spec.name === 'hub')?.session;
    for (const name of ['a', 'b']) {
      const call = sts.callsOf('assumeRole').find((c) => c.request.roleArn === spec(name).role.arn);
      expect(call?.signer).toBe(hubSession?.credentials);
    }
    expect(r.primary).toBe(r.connections.find((c) => c.spec.name === 'b')?.session);
    expect(d.lines.every((l) => l.startsWith('connection "'))).toBe(true);
  });

  test('siblings run concurrently: both calls are in flight before either answers', async () => {
    const sts = fakeSts().hold();
    const done = resolvePlan(
      plan({ named: true, connections: [hub, a, b] }),
      STATIC_BASE,
      deps(sts),
    );
    await flush();
    expect(sts.held.map((h) => h.call)).toHaveLength(1);
    sts.releaseAll(); // the hub answers
    await flush();
    const inFlight = sts.held.map((h) => ('request' in h.call ? h.call.request.roleArn : ''));
    expect(inFlight.sort()).toEqual([a.role.arn, b.role.arn].sort());
    sts.releaseAll();
    const r = await done;
    expect(r.connections.map((c) => c.spec.name)).toEqual(['hub', 'a', 'b']);
    expect(r).not.toHaveProperty('primary');
  });

  test('independent connections on the base start together', async () => {
    const x = spec('x');
    const y = spec('y');
    const sts = fakeSts().hold();
    const done = resolvePlan(plan({ named: true, connections: [x, y] }), STATIC_BASE, deps(sts));
    await flush();
    expect(sts.held).toHaveLength(2);
    sts.releaseAll();
    await done;
  });

  test('all or nothing: a failure is thrown only once every call in flight has settled', async () => {
    const x = spec('x');
    const y = spec('y');
    const sts = fakeSts().fail(x.role.arn, awsError('AccessDenied', 'no')).hold();
    let settled = false;
    const done = resolvePlan(
      plan({ named: true, connections: [x, y] }),
      STATIC_BASE,
      deps(sts),
    ).finally(() => {
      settled = true;
    });
    await flush();
    sts.held.find((h) => 'request' in h.call && h.call.request.roleArn === x.role.arn)?.release();
    await flush();
    expect(settled).toBe(false);
    sts.releaseAll();
    const err = await rejection(done);
    expect(err.message).toMatch(
      /^connection "x" \(arn:aws:iam::123456789012:role\/x\) failed: AccessDenied: no — /,
    );
  });

  test('a failed source fails once, with its own message; its connections are never called', async () => {
    const sts = fakeSts().fail(hub.role.arn, awsError('AccessDenied', 'no'));
    const err = await rejection(
      resolvePlan(plan({ named: true, connections: [hub, a, b] }), STATIC_BASE, deps(sts)),
    );
    expect(sts.assumedRoles).toEqual([hub.role.arn]);
    expect(err.message).toMatch(/^connection "hub" /);
  });

  test('a temporary default-chain base caps named connections on the base, named by connection', async () => {
    const long = spec('long', { durationSeconds: 7200 });
    const p = plan({ named: true, base: { kind: 'default-chain' }, connections: [long] });
    const base: BaseCredentials = {
      kind: 'credentials',
      credentials: credentials('instance'),
      origin: 'default chain',
    };
    const err = await rejection(resolvePlan(p, base, deps(fakeSts())));
    expect(err.message).toMatch(/^connections \(connection "long", duration\): 7200 is above 3600/);
  });
});

describe('connectionLabel', () => {
  test.each([
    [chainPlan(3), hop(2), 'role 2 of 3'],
    [chainPlan(1), hop(1), 'role 1 of 1'],
    [
      plan({ named: true, connections: [spec('artifacts')] }),
      spec('artifacts'),
      'connection "artifacts"',
    ],
  ])('%#', (p, s, label) => {
    expect(connectionLabel(p, s)).toBe(label);
  });
});

describe('resolvePlan: special-characters-workaround', () => {
  /** An STS whose sessions have keys with `/` until the `plainAt`-th. */
  function keysWithSlashes(plainAt: number): FakeSts {
    const sts = fakeSts();
    const assume = sts.assumeRole.bind(sts);
    let n = 0;
    sts.assumeRole = async (signer, request) => {
      const session = await assume(signer, request);
      n += 1;
      const secret = n >= plainAt ? `plainSecretKey${n}0123456789` : `with/slash+plus${n}`;
      return {
        ...session,
        credentials: {
          ...session.credentials,
          accessKeyId: `ASIAPLAIN${n}`,
          secretAccessKey: secret,
        },
      };
    };
    return sts;
  }

  test('the exported role is assumed again until its keys are letters and digits, and the log says how often', async () => {
    const sts = keysWithSlashes(4);
    const d = deps(sts);
    const r = await resolvePlan(
      { ...chainPlan(2), specialCharactersWorkaround: true },
      STATIC_BASE,
      d,
    );
    // Hop 1 is assumed once; hop 2, the exported one, three times.
    expect(sts.assumedRoles).toEqual([
      hop(1).role.arn,
      hop(2).role.arn,
      hop(2).role.arn,
      hop(2).role.arn,
    ]);
    expect(r.primary?.credentials.secretAccessKey).toBe('plainSecretKey40123456789');
    expect(d.lines).toContain(
      'special-characters-workaround: role 2 of 2 assumed 3 times for keys of letters and digits only',
    );
  });

  test('keys that are plain at once: one call, no line', async () => {
    const sts = keysWithSlashes(1);
    const d = deps(sts);
    await resolvePlan({ ...chainPlan(1), specialCharactersWorkaround: true }, STATIC_BASE, d);
    expect(sts.assumedRoles).toHaveLength(1);
    expect(d.lines.some((l) => l.startsWith('special-characters-workaround'))).toBe(false);
  });

  test(`gives up after ${PLAIN_KEY_TRIES} sessions, naming the role`, async () => {
    const sts = keysWithSlashes(1000);
    const err = await rejection(
      resolvePlan({ ...chainPlan(1), specialCharactersWorkaround: true }, STATIC_BASE, deps(sts)),
    );
    expect(sts.assumedRoles).toHaveLength(PLAIN_KEY_TRIES);
    expect(err.message).toContain('role 1 of 1');
    expect(err.message).toContain(
      `special-characters-workaround: ${PLAIN_KEY_TRIES} sessions all had a key with characters other than letters and digits`,
    );
  });

  test('off: keys with / are kept', async () => {
    const sts = keysWithSlashes(1000);
    const r = await resolvePlan(chainPlan(1), STATIC_BASE, deps(sts));
    expect(sts.assumedRoles).toHaveLength(1);
    expect(r.primary?.credentials.secretAccessKey).toBe('with/slash+plus1');
  });

  test.each([
    ['ASIAABC', 'abcDEF123', true],
    ['ASIAABC', 'abc/DEF', false],
    ['ASIAABC', 'abc+DEF', false],
    ['ASIA-ABC', 'abcDEF', false],
  ])('hasPlainKeys(%s, %s) is %s', (accessKeyId, secretAccessKey, plain) => {
    expect(hasPlainKeys({ accessKeyId, secretAccessKey })).toBe(plain);
  });
});
