/**
 * Self-tests of the integration support library: moto with auth on, the fault-injecting STS
 * proxy and the behaviour it adds to moto, the runner emulation, the leak detector and the
 * OIDC endpoint.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type AssumeRoleWithWebIdentityCommandOutput,
  type Credentials,
} from '@aws-sdk/client-sts';
import { startMoto, trustPolicy, type AwsCredentials, type Moto } from './support/moto.js';
import { startProxy, type StsProxy } from './support/proxy.js';
import { laterStepEnv, parseFileCommands, runPost, runStep } from './support/runner.js';
import { assertNoLeaks, collectSecrets, type LeakSubject } from './support/leaks.js';
import { fakeJwt, githubClaims, startOidc } from './support/oidc.js';

let moto: Moto;
let proxy: StsProxy;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ moto });
}, 30_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

beforeEach(() => {
  proxy.clear();
  proxy.clearFaults();
});

/** The error name (STS error code) a promise rejects with. */
async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.name : String(e);
  }
  throw new Error('expected a rejection');
}

const toCreds = (c: Credentials | undefined): AwsCredentials => ({
  accessKeyId: c?.AccessKeyId ?? '',
  secretAccessKey: c?.SecretAccessKey ?? '',
  sessionToken: c?.SessionToken ?? '',
});

const viaProxy = (creds: AwsCredentials): STSClient => moto.sts(creds, { endpoint: proxy.url });
const identity = new GetCallerIdentityCommand({});

describe('moto with signature checking on', () => {
  it('accepts the right secret and refuses a wrong one, an unknown key and a user key with a token', async () => {
    expect(await moto.whoAmI(moto.admin)).toBe('arn:aws:iam::123456789012:user/admin');
    expect(await errorName(moto.whoAmI({ ...moto.admin, secretAccessKey: 'wrong-secret' }))).toBe(
      'SignatureDoesNotMatch',
    );
    expect(
      await errorName(moto.whoAmI({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' })),
    ).toBe('InvalidClientTokenId');
    expect(await errorName(moto.whoAmI({ ...moto.admin, sessionToken: 'made-up' }))).toBe(
      'InvalidClientTokenId',
    );
  });

  it('fails clearly when moto_server is missing', async () => {
    await expect(startMoto({ command: 'moto_server_missing_for_test' })).rejects.toThrow(
      /moto_server_missing_for_test not found on PATH/,
    );
  });

  it('reset wipes everything and mints a new admin key', async () => {
    const old = moto.admin;
    const user = await moto.createUser('temp');
    await moto.reset();
    expect(moto.admin.accessKeyId).not.toBe(old.accessKeyId);
    expect(await errorName(moto.whoAmI(old))).toBe('InvalidClientTokenId');
    expect(await errorName(moto.whoAmI(user))).toBe('InvalidClientTokenId');
    expect(await moto.whoAmI(moto.admin)).toBe('arn:aws:iam::123456789012:user/admin');
  });

  it('evaluates a same-account trust policy with an external ID (a missing one is a moto gap)', async () => {
    const ci = await moto.createUser('ci', { path: '/deploy/' });
    expect(ci.arn).toBe('arn:aws:iam::123456789012:user/deploy/ci');
    const other = await moto.createUser('other');
    const role = await moto.createRole(
      'hub',
      trustPolicy({ principalArn: ci.arn, externalId: 'octo-100200300' }),
    );
    const assume = (creds: AwsCredentials, ExternalId?: string): Promise<unknown> =>
      moto.sts(creds).send(
        new AssumeRoleCommand({
          RoleArn: role,
          RoleSessionName: 's1',
          ...(ExternalId ? { ExternalId } : {}),
        }),
      );

    const ok = await moto.sts(ci).send(
      new AssumeRoleCommand({
        RoleArn: role,
        RoleSessionName: 's1',
        ExternalId: 'octo-100200300',
      }),
    );
    expect(await moto.whoAmI(toCreds(ok.Credentials))).toBe(
      'arn:aws:sts::123456789012:assumed-role/hub/s1',
    );
    expect(await errorName(assume(ci, 'octo-999'))).toBe('AccessDenied');
    expect(await errorName(assume(other, 'octo-100200300'))).toBe('AccessDenied');
    await expect(assume(ci)).resolves.toBeDefined(); // moto lets a missing external ID through; AWS would not
  });
});

describe('proxy', () => {
  it('forwards and counts requests by action', async () => {
    const sts = viaProxy(moto.admin);
    expect((await sts.send(identity)).Arn).toBe('arn:aws:iam::123456789012:user/admin');
    await sts.send(identity);
    expect(proxy.count('GetCallerIdentity')).toBe(2);
    expect(proxy.count('AssumeRole')).toBe(0);
    expect(proxy.count()).toBe(2);
    expect(proxy.requests[0]?.body).toContain('Action=GetCallerIdentity');
  });

  it('throttles N times, then passes', async () => {
    proxy.inject({ action: 'GetCallerIdentity', times: 2, fault: { kind: 'throttle' } });
    const sts = viaProxy(moto.admin);
    expect(await errorName(sts.send(identity))).toBe('Throttling');
    expect(await errorName(sts.send(identity))).toBe('Throttling');
    await expect(sts.send(identity)).resolves.toBeDefined();
    expect(proxy.requests.map((r) => r.fault)).toEqual(['throttle', 'throttle', undefined]);
  });

  it('only faults the matching action', async () => {
    proxy.inject({ action: 'AssumeRole', fault: { kind: 'throttle' } });
    await expect(viaProxy(moto.admin).send(identity)).resolves.toBeDefined();
  });

  it('answers status and error faults with STS XML', async () => {
    const sts = viaProxy(moto.admin);
    proxy.inject({ times: 1, fault: { kind: 'status', status: 503 } });
    proxy.inject({ times: 1, fault: { kind: 'status', status: 500 } });
    proxy.inject({
      times: 1,
      fault: { kind: 'error', status: 403, code: 'AccessDenied', message: 'nope' },
    });
    const caught: { name: string; status: number | undefined }[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        await sts.send(identity);
      } catch (e) {
        const err = e as Error & { $metadata?: { httpStatusCode?: number } };
        caught.push({ name: err.name, status: err.$metadata?.httpStatusCode });
      }
    }
    expect(caught).toEqual([
      { name: 'ServiceUnavailable', status: 503 },
      { name: 'InternalFailure', status: 500 },
      { name: 'AccessDenied', status: 403 },
    ]);
  });

  it('delays, resets, truncates and garbles', async () => {
    const sts = viaProxy(moto.admin);
    proxy.inject({ times: 1, fault: { kind: 'latency', ms: 300 } });
    const t0 = Date.now();
    await expect(sts.send(identity)).resolves.toBeDefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

    for (const kind of ['reset', 'truncated', 'malformed'] as const) {
      proxy.inject({ times: 1, fault: { kind } });
      await expect(sts.send(identity)).rejects.toThrow();
    }
    await expect(sts.send(identity)).resolves.toBeDefined();
    expect(proxy.requests.map((r) => r.fault)).toEqual([
      'latency',
      'reset',
      'truncated',
      'malformed',
      undefined,
    ]);
  });

  it('hangs until the caller gives up, and releases hanging requests on stop', async () => {
    proxy.inject({ times: 1, fault: { kind: 'hang' } });
    const t0 = Date.now();
    await expect(
      viaProxy(moto.admin).send(identity, { abortSignal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);

    const second = await startProxy({ moto });
    second.inject({ fault: { kind: 'hang' } });
    const pending = fetch(second.url, { method: 'POST', body: 'Action=GetCallerIdentity' });
    await new Promise((r) => setTimeout(r, 100));
    await second.stop();
    await expect(pending).rejects.toThrow();
  });

  it('rate-limits per rolling second', async () => {
    proxy.rateLimit(2);
    const sts = viaProxy(moto.admin);
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push(
        await sts.send(identity).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    expect(results).toEqual(['ok', 'ok', 'Throttling', 'Throttling']);
    proxy.rateLimit(null);
    await expect(sts.send(identity)).resolves.toBeDefined();
  });
});

describe('proxy: STS behaviour added to moto', () => {
  it('GetSessionToken yields working session credentials that resolve to the user', async () => {
    const user = await moto.createUser('rotator', { path: '/ci/' });
    const role = await moto.createRole('target', trustPolicy({ principalArn: user.arn }));
    // moto alone hands out the documentation's example key
    expect(
      (await moto.sts(user).send(new GetSessionTokenCommand({}))).Credentials?.AccessKeyId,
    ).toBe('AKIAIOSFODNN7EXAMPLE');

    const out = await viaProxy(user).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const session = toCreds(out.Credentials);
    expect(session.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now());
    expect(await moto.whoAmI(session, { endpoint: proxy.url })).toBe(user.arn);
    expect(
      await errorName(moto.whoAmI({ ...session, sessionToken: 'forged' }, { endpoint: proxy.url })),
    ).toBe('InvalidClientTokenId');
    expect(
      await errorName(
        moto.whoAmI({ ...session, secretAccessKey: 'wrong' }, { endpoint: proxy.url }),
      ),
    ).toBe('SignatureDoesNotMatch');
    expect(await errorName(viaProxy(session).send(new GetSessionTokenCommand({})))).toBe(
      'AccessDenied',
    );
    expect(
      await errorName(
        viaProxy({ ...user, secretAccessKey: 'wrong' }).send(new GetSessionTokenCommand({})),
      ),
    ).toBe('SignatureDoesNotMatch');

    // session credentials are temporary: AssumeRole is capped at one hour (role chaining rule)
    const assume = (DurationSeconds: number): Promise<unknown> =>
      viaProxy(session).send(
        new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'chained', DurationSeconds }),
      );
    expect(await errorName(assume(7200))).toBe('ValidationError');
    await expect(assume(3600)).resolves.toBeDefined();
  });

  it('enforces DurationSeconds ranges and MaxSessionDuration', async () => {
    const user = await moto.createUser('dur');
    const role = await moto.createRole('short', trustPolicy({ principalArn: user.arn }), {
      maxSessionDuration: 3600,
    });
    const assume = (DurationSeconds: number): Promise<unknown> =>
      viaProxy(user).send(
        new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 's', DurationSeconds }),
      );
    expect(await errorName(assume(899))).toBe('ValidationError');
    expect(await errorName(assume(7200))).toBe('ValidationError');
    await expect(assume(3600)).resolves.toBeDefined();
  });

  it('AssumeRoleWithWebIdentity checks the token and the trust policy (moto alone crashes)', async () => {
    const oidc = await startOidc();
    try {
      await moto.createGitHubOidcProvider();
      const role = await moto.createRole('gh', trustPolicy({ webIdentity: true }));
      const getToken = async (audience: string, bearer = oidc.requestToken): Promise<Response> =>
        fetch(`${oidc.url}&audience=${encodeURIComponent(audience)}`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
      expect((await getToken('sts.amazonaws.com', 'wrong')).status).toBe(401);
      const { value } = (await (await getToken('sts.amazonaws.com')).json()) as { value: string };
      expect(oidc.requests).toEqual([{ audience: 'sts.amazonaws.com' }]);
      expect(oidc.refused).toBe(1);

      const anon = { accessKeyId: 'unused', secretAccessKey: 'unused' };
      const assume = (
        token: string,
        endpoint = proxy.url,
      ): Promise<AssumeRoleWithWebIdentityCommandOutput> =>
        moto.sts(anon, { endpoint }).send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: role,
            RoleSessionName: 'gh-run',
            WebIdentityToken: token,
          }),
        );
      await expect(assume(value, moto.endpoint)).rejects.toThrow(); // moto: HTML 500 with auth on

      const ok = await assume(value);
      expect(ok.SubjectFromWebIdentityToken).toBe('repo:octo/app:ref:refs/heads/main');
      expect(await moto.whoAmI(toCreds(ok.Credentials))).toBe(
        'arn:aws:sts::123456789012:assumed-role/gh/gh-run',
      );

      const claims = githubClaims('sts.amazonaws.com');
      expect(
        await errorName(assume(fakeJwt({ ...claims, sub: 'repo:evil/app:ref:refs/heads/main' }))),
      ).toBe('AccessDenied');
      expect(await errorName(assume(fakeJwt({ ...claims, aud: 'other' })))).toBe(
        'InvalidIdentityTokenException',
      );
      expect(await errorName(assume(fakeJwt(githubClaims('sts.amazonaws.com', -60))))).toBe(
        'ExpiredTokenException',
      );
      expect(await errorName(assume('not-a-jwt'))).toBe('InvalidIdentityTokenException');
    } finally {
      await oidc.stop();
    }
  });
});

describe('runner emulation', () => {
  const scripts = mkdtempSync(join(tmpdir(), 'support-test-'));
  const script = (name: string, body: string): string => {
    const file = join(scripts, name);
    writeFileSync(
      file,
      `import { appendFileSync } from 'node:fs';\nconst env = process.env;\n${body}\n`,
    );
    return file;
  };

  it('parses NAME=value and heredoc file commands, later entries winning', () => {
    const text = [
      'A=1',
      'B=x=y<<z',
      'MULTI<<ghadelimiter_1',
      'line one',
      '',
      'A=not a command',
      'ghadelimiter_1',
      'A=2',
      'EMPTY<<EOF',
      'EOF',
      '',
    ].join('\n');
    expect(parseFileCommands(text)).toEqual({
      A: '2',
      B: 'x=y<<z',
      MULTI: 'line one\n\nA=not a command',
      EMPTY: '',
    });
    expect(parseFileCommands('W=1\r\nV<<D\r\na\r\nb\r\nD\r\n')).toEqual({ W: '1', V: 'a\nb' });
    expect(() => parseFileCommands('X<<EOF\nno end')).toThrow(/no closing EOF/);
    expect(() => parseFileCommands('just text')).toThrow(/invalid format/);
  });

  it('runs main with inputs and a minimal env, then post with state and exported env', async () => {
    const main = script(
      'main.mjs',
      `appendFileSync(env.GITHUB_ENV, 'EXPORTED<<EOF\\nmulti\\nline\\nEOF\\n');
appendFileSync(env.GITHUB_OUTPUT, 'role=' + env['INPUT_ROLE-TO-ASSUME'] + '\\n');
appendFileSync(env.GITHUB_STATE, 'token=' + env.INPUT_MY_INPUT + '\\n');
appendFileSync(env.GITHUB_PATH, '/opt/tool/bin\\n');
appendFileSync(env.GITHUB_STEP_SUMMARY, '# done\\n');
console.log(JSON.stringify({ aws: Object.keys(env).filter((k) => k.startsWith('AWS_')), temp: env.RUNNER_TEMP, repo: env.GITHUB_REPOSITORY_ID }));`,
    );
    const post = script(
      'post.mjs',
      `console.log(JSON.stringify({ state: env.STATE_token, exported: env.EXPORTED, temp: env.RUNNER_TEMP, input: env.INPUT_MY_INPUT, path: env.PATH.split(':')[0] }));`,
    );
    process.env['AWS_SECRET_ACCESS_KEY'] = 'parent-secret-must-not-leak';
    const first = await runStep({
      entry: main,
      inputs: { 'role-to-assume': 'arn:aws:iam::123456789012:role/x', 'my input': 'v' },
      env: { AWS_REGION: 'eu-west-1' },
    }).finally(() => delete process.env['AWS_SECRET_ACCESS_KEY']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      aws: ['AWS_EC2_METADATA_DISABLED', 'AWS_REGION'],
      temp: first.runnerTemp,
      repo: '100200300',
    });
    expect(first.env).toEqual({ EXPORTED: 'multi\nline' });
    expect(first.outputs).toEqual({ role: 'arn:aws:iam::123456789012:role/x' });
    expect(first.state).toEqual({ token: 'v' });
    expect(first.path).toEqual(['/opt/tool/bin']);
    expect(first.summary).toBe('# done\n');
    expect(laterStepEnv(first)['EXPORTED']).toBe('multi\nline');

    const second = await runPost(first, { entry: post });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      state: 'v',
      exported: 'multi\nline',
      temp: first.runnerTemp,
      input: 'v',
      path: '/opt/tool/bin',
    });
    expect(second.dir).toBe(first.dir);
  });

  it('kills a step that runs too long', async () => {
    const slow = script('slow.mjs', 'setTimeout(() => {}, 60_000);');
    const result = await runStep({ entry: slow, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.code).toBeNull();
  });
});

describe('leak detector', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRET01';
  const clean: LeakSubject = {
    stdout: `::add-mask::${secret}\nAssumed role arn:aws:iam::123456789012:role/x\n`,
    stderr: '',
    outputs: { 'aws-account-id': '123456789012' },
    state: { stage: 'main' },
    summary: '# ok',
  };

  it('passes a clean sample and counts its checks', () => {
    expect(assertNoLeaks(clean, [secret, '', 'abc'], { requireMasked: true })).toBe(5);
  });

  it('catches unmasked, early, output, state and summary leaks without printing the secret', () => {
    const cases: [Partial<LeakSubject>, RegExp][] = [
      [
        { stdout: `key is ${secret}\n` },
        /secret #0 \("wJal"…, 39 chars\) printed in stdout line 1 before any ::add-mask::/,
      ],
      [
        { stdout: `debug ${secret}\n::add-mask::${secret}\n` },
        /stdout line 1 before any ::add-mask::/,
      ],
      [
        { stdout: `::add-mask::${secret}\nagain ${secret}\n` },
        /stdout line 2 outside its ::add-mask:: line/,
      ],
      [{ stderr: `oops ${secret}` }, /printed in stderr line 1/],
      [{ outputs: { token: secret } }, /found in output "token"/],
      [{ state: { saved: `x${secret}` } }, /found in state "saved"/],
      [{ summary: `| ${secret} |` }, /found in the step summary/],
    ];
    for (const [change, message] of cases) {
      let error: Error | undefined;
      try {
        assertNoLeaks({ ...clean, ...change }, [secret]);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(secret);
    }
    expect(() =>
      assertNoLeaks({ ...clean, stdout: '' }, [secret], { requireMasked: true }),
    ).toThrow(/never masked/);
    expect(
      assertNoLeaks({ ...clean, outputs: { token: secret } }, [secret], { allowInOutputs: true }),
    ).toBe(4);
  });

  it('collects exported credentials and extra values', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'ASIAX',
      AWS_SECRET_ACCESS_KEY: 's3cr3t',
      AWS_REGION: 'us-east-1',
    };
    expect(collectSecrets({ env }, 'extra', undefined, 's3cr3t')).toEqual([
      'ASIAX',
      's3cr3t',
      'extra',
    ]);
  });
});
