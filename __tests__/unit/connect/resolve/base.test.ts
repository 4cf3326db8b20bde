import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeBase,
  githubIdToken,
  resolveBase,
  type BaseDeps,
} from '../../../../src/connect/resolve/base.js';
import type { BaseSpec } from '../../../../src/connect/model.js';
import type { Credentials } from '../../../../src/aws/credentials.js';

const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'base-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function deps(
  overrides: Partial<BaseDeps> = {},
): BaseDeps & { masked: string[]; audiences: string[] } {
  const masked: string[] = [];
  const audiences: string[] = [];
  return {
    mask: (v) => masked.push(v),
    getIdToken: async (aud) => {
      audiences.push(aud);
      return 'eyJhbGciOi.oidc.token';
    },
    ...overrides,
    masked,
    audiences,
  };
}

describe('describeBase', () => {
  test.each<[BaseSpec, string]>([
    [
      { kind: 'static', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's' },
      'static keys from aws-access-key-id / aws-secret-access-key',
    ],
    [
      {
        kind: 'static',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 's',
        sessionToken: 't',
      },
      'temporary keys from aws-access-key-id / aws-secret-access-key / aws-session-token',
    ],
    [
      { kind: 'web-identity-file', path: '/var/run/token' },
      'a web identity token from the file /var/run/token',
    ],
    [
      { kind: 'oidc', audience: 'sts.amazonaws.com' },
      'a GitHub OIDC token for audience sts.amazonaws.com',
    ],
    [
      { kind: 'default-chain' },
      'the AWS default provider chain (environment, shared files, container or instance role)',
    ],
  ])('%j', (base, text) => {
    expect(describeBase(base)).toBe(text);
  });
  test('never holds a secret', () => {
    expect(
      describeBase({
        kind: 'static',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI',
        sessionToken: 'tok',
      }),
    ).not.toMatch(/AKIA|wJalr|tok\b/);
  });
});

describe('resolveBase', () => {
  test('static keys, as given (main masked them when it read the inputs)', async () => {
    const d = deps();
    await expect(
      resolveBase(
        { kind: 'static', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
        d,
      ),
    ).resolves.toEqual({
      kind: 'credentials',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
      origin: 'static keys from aws-access-key-id / aws-secret-access-key',
    });
    const withToken = await resolveBase(
      {
        kind: 'static',
        accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      },
      d,
    );
    expect(withToken.kind === 'credentials' && withToken.credentials.sessionToken).toBe('token');
  });

  test('a token file: read, trimmed and masked', async () => {
    const path = join(dir, 'token');
    await writeFile(path, '  eyJ.file.token\n');
    const d = deps();
    await expect(resolveBase({ kind: 'web-identity-file', path }, d)).resolves.toEqual({
      kind: 'web-identity',
      token: 'eyJ.file.token',
      origin: `a web identity token from the file ${path}`,
    });
    expect(d.masked).toEqual(['eyJ.file.token']);
  });

  test('a missing token file', async () => {
    const path = join(dir, 'missing');
    await expect(resolveBase({ kind: 'web-identity-file', path }, deps())).rejects.toThrow(
      `web-identity-token-file: cannot read ${path}: ENOENT`,
    );
  });

  test('an empty token file', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '\n');
    await expect(resolveBase({ kind: 'web-identity-file', path }, deps())).rejects.toThrow(
      `web-identity-token-file: ${path} is empty`,
    );
  });

  test('an OIDC token for the audience, masked', async () => {
    const d = deps();
    await expect(resolveBase({ kind: 'oidc', audience: 'my-aud' }, d)).resolves.toEqual({
      kind: 'web-identity',
      token: 'eyJhbGciOi.oidc.token',
      origin: 'a GitHub OIDC token for audience my-aud',
    });
    expect(d.audiences).toEqual(['my-aud']);
    expect(d.masked).toEqual(['eyJhbGciOi.oidc.token']);
  });

  test('an OIDC request that fails points at the id-token permission', async () => {
    const d = deps({
      getIdToken: async () => {
        throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
      },
    });
    await expect(resolveBase({ kind: 'oidc', audience: 'sts.amazonaws.com' }, d)).rejects.toThrow(
      'requesting a GitHub OIDC token failed (does the job have "permissions: id-token: write"?): Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable',
    );
  });

  test.each<[string, Credentials, string[]]>([
    [
      'temporary',
      { accessKeyId: 'ASIAINSTANCE', secretAccessKey: 'inst-secret', sessionToken: 'inst-token' },
      ['ASIAINSTANCE', 'inst-secret', 'inst-token'],
    ],
    [
      'long-term',
      { accessKeyId: 'AKIAUSER', secretAccessKey: 'user-secret' },
      ['AKIAUSER', 'user-secret'],
    ],
  ])('the default chain (%s), every secret masked', async (_what, credentials, masked) => {
    const d = deps({ defaultChain: async () => credentials });
    await expect(resolveBase({ kind: 'default-chain' }, d)).resolves.toMatchObject({
      kind: 'credentials',
      credentials,
    });
    expect(d.masked).toEqual(masked);
  });

  test('the SDK default chain reads the environment', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'ASIAENVIRONMENTKEY';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'env-secret';
    process.env['AWS_SESSION_TOKEN'] = 'env-token';
    process.env['AWS_CREDENTIAL_EXPIRATION'] = '2030-01-01T00:00:00Z';
    const d = deps();
    const base = await resolveBase({ kind: 'default-chain' }, d);
    expect(base).toEqual({
      kind: 'credentials',
      credentials: {
        accessKeyId: 'ASIAENVIRONMENTKEY',
        secretAccessKey: 'env-secret',
        sessionToken: 'env-token',
        expiration: new Date('2030-01-01T00:00:00Z'),
      },
      origin: describeBase({ kind: 'default-chain' }),
    });
    expect(d.masked).toEqual(['ASIAENVIRONMENTKEY', 'env-secret', 'env-token']);
  });

  test('the SDK default chain with long-term keys has no token', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAENVIRONMENTKEY';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'env-secret';
    delete process.env['AWS_SESSION_TOKEN'];
    delete process.env['AWS_CREDENTIAL_EXPIRATION'];
    const base = await resolveBase({ kind: 'default-chain' }, deps());
    expect(base).toEqual({
      kind: 'credentials',
      credentials: { accessKeyId: 'AKIAENVIRONMENTKEY', secretAccessKey: 'env-secret' },
      origin: describeBase({ kind: 'default-chain' }),
    });
  });

  test('the SDK default chain finding nothing says what was tried', async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'no-credentials');
    process.env['AWS_CONFIG_FILE'] = join(dir, 'no-config');
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
    await expect(resolveBase({ kind: 'default-chain' }, deps())).rejects.toThrow(
      /^no base credentials: no keys were given, the job cannot request an OIDC token \(permissions: id-token: write, with a role\), and the default provider chain found none \(.+\)$/,
    );
  });
});

describe('githubIdToken', () => {
  test("asks @actions/core, which needs the runner's token request variables", async () => {
    delete process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
    delete process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
    await expect(githubIdToken('sts.amazonaws.com')).rejects.toThrow(/ACTIONS_ID_TOKEN_REQUEST/);
  });
});
