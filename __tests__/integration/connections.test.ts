/**
 * Named connections through the bundled action: one set of base keys, three connections (two
 * siblings on the base, one grandchild), each a profile that real consumers read — the AWS SDK
 * for JavaScript's fromIni and the AWS CLI — against moto with signature checking on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import { startMoto, trustPolicy, type Moto, type MotoUser } from './support/moto.js';
import { startProxy, type StsProxy } from './support/proxy.js';
import { laterStepEnv, runPost, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';

const MAIN = 'dist/main/index.js';
const POST = 'dist/cleanup/index.js';
const ID = (name: string): string => `github:4040:100200300:connection:${name}`;
const ACCOUNT = '123456789012';

let moto: Moto;
let proxy: StsProxy;
let user: MotoUser;
let roles: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ moto });
}, 30_000);
afterAll(async () => {
  await proxy.stop();
  await moto.stop();
});
beforeEach(async () => {
  await moto.reset();
  proxy.clear();
  user = await moto.createUser('ci');
  roles = {};
  roles['artifacts'] = await moto.createRole(
    's3-writer',
    trustPolicy({ principalArn: user.arn, externalId: ID('artifacts') }),
  );
  roles['notify'] = await moto.createRole(
    'sns-sender',
    trustPolicy({ principalArn: user.arn, externalId: ID('notify') }),
  );
  roles['audit'] = await moto.createRole(
    'auditor',
    trustPolicy({
      principalArn: roles['artifacts'] ?? '',
      externalId: ID('audit'),
    }),
  );
});

function connectionsYaml(extra: Partial<Record<string, string>> = {}): string {
  return [
    'artifacts:',
    `  role-arn: ${roles['artifacts'] ?? ''}`,
    ...(extra['artifacts'] === undefined ? [] : [`  external-id: ${extra['artifacts']}`]),
    'notify:',
    `  role-arn: ${roles['notify'] ?? ''}`,
    '  region: eu-west-1',
    '  duration: 900',
    'audit:',
    '  source: artifacts',
    `  role-arn: ${roles['audit'] ?? ''}`,
  ].join('\n');
}

async function runMain(inputs: Record<string, string>): Promise<StepResult> {
  const result = await runStep({
    entry: MAIN,
    inputs: {
      'aws-region': 'us-east-1',
      'aws-access-key-id': user.accessKeyId,
      'aws-secret-access-key': user.secretAccessKey,
      ...inputs,
    },
    env: { AWS_ENDPOINT_URL_STS: proxy.url },
  });
  const secrets = collectSecrets(result, user.accessKeyId, user.secretAccessKey);
  const credentialsFile = result.env['AWS_SHARED_CREDENTIALS_FILE'];
  if (credentialsFile && existsSync(credentialsFile)) {
    for (const m of readFileSync(credentialsFile, 'utf8').matchAll(/= (.+)$/gm))
      secrets.push(m[1] ?? '');
  }
  assertNoLeaks(result, secrets);
  return result;
}

/** The AWS CLI, run asynchronously: the proxy it talks to lives in this process. */
async function aws(env: Record<string, string>, profile: string): Promise<string> {
  const out = await promisify(execFile)(
    'aws',
    [
      'sts',
      'get-caller-identity',
      '--profile',
      profile,
      '--endpoint-url',
      proxy.url,
      '--output',
      'text',
      '--query',
      'Arn',
    ],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: env['HOME'] ?? '',
        AWS_CONFIG_FILE: env['AWS_CONFIG_FILE'] ?? '',
        AWS_SHARED_CREDENTIALS_FILE: env['AWS_SHARED_CREDENTIALS_FILE'] ?? '',
      },
      encoding: 'utf8',
    },
  );
  return out.stdout.trim();
}

// Four AWS CLI runs, a Python start each, take more than jest's default 5 s on a busy machine.
test('each connection is a profile that fromIni and the AWS CLI resolve to its role', async () => {
  const result = await runMain({ connections: connectionsYaml(), connection: 'artifacts' });
  expect(result.code).toBe(0);
  expect(proxy.count('AssumeRole')).toBe(3);
  expect(proxy.count()).toBe(3);

  const env = laterStepEnv(result);
  const config = env['AWS_CONFIG_FILE'] ?? '';
  const credentials = env['AWS_SHARED_CREDENTIALS_FILE'] ?? '';
  expect(dirname(config)).toBe(dirname(credentials));
  expect(config.startsWith(`${result.runnerTemp}/`)).toBe(true);
  expect(statSync(dirname(config)).mode & 0o777).toBe(0o700);
  expect(statSync(config).mode & 0o777).toBe(0o600);
  expect(statSync(credentials).mode & 0o777).toBe(0o600);
  expect(readFileSync(config, 'utf8')).toContain('[profile notify]\nregion = eu-west-1');

  const expected: Record<string, string> = {
    artifacts: `arn:aws:sts::${ACCOUNT}:assumed-role/s3-writer/GitHubActions`,
    notify: `arn:aws:sts::${ACCOUNT}:assumed-role/sns-sender/GitHubActions`,
    audit: `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/GitHubActions`,
  };
  for (const [profile, arn] of Object.entries(expected)) {
    const creds = await fromIni({ profile, filepath: credentials, configFilepath: config })();
    expect(await moto.whoAmI(creds, { endpoint: proxy.url })).toBe(arn);
    expect(await aws(env, profile)).toBe(arn);
  }
  // AWS_* variables hold the chosen connection.
  expect(
    await moto.whoAmI(
      {
        accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '',
        secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '',
        sessionToken: env['AWS_SESSION_TOKEN'] ?? '',
      },
      { endpoint: proxy.url },
    ),
  ).toBe(expected['artifacts']);

  const output = JSON.parse(result.outputs['connections'] ?? '{}') as Record<
    string,
    Record<string, string>
  >;
  expect(Object.keys(output).sort()).toEqual(['artifacts', 'audit', 'notify']);
  expect(output['audit']).toMatchObject({
    'external-id': ID('audit'),
    'aws-account-id': ACCOUNT,
    'authenticated-arn': expected['audit'],
  });
  expect(result.summary).toContain('**Connection `audit`** · ');
  expect(result.summary).toContain('- Assumed from connection `artifacts`');

  const post = await runPost(result, { entry: POST });
  expect(post.code).toBe(0);
  expect(existsSync(config)).toBe(false);
  expect(existsSync(credentials)).toBe(false);
  expect(existsSync(dirname(config))).toBe(false);
  const after = laterStepEnv(post);
  // As before the step: no keys, and the files a tool reads when none is named.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
    expect(after[name]).toBe('');
  expect(after['AWS_CONFIG_FILE']).toBe(join(result.dir, 'home', '.aws', 'config'));
  expect(after['AWS_SHARED_CREDENTIALS_FILE']).toBe(
    join(result.dir, 'home', '.aws', 'credentials'),
  );
}, 30_000);

test("swapping two connections' external IDs is refused, and nothing is exported", async () => {
  const result = await runMain({ connections: connectionsYaml({ artifacts: ID('notify') }) });
  expect(result.code).toBe(1);
  expect(result.env).toEqual({});
  expect(result.outputs).toEqual({});
  expect(result.stdout).toMatch(
    /::error::connection "artifacts" \(arn:aws:iam::123456789012:role\/s3-writer\) failed: AccessDenied/,
  );
  // The grandchild was never attempted: its source failed.
  expect(proxy.count('AssumeRole')).toBe(2);
});

test('connections from .github/aws-connections.yml in the workspace, named by connections-file', async () => {
  const { mkdirSync, writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'aws-connection-ws-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github', 'aws-connections.yml'), connectionsYaml());
  const result = await runStep({
    entry: MAIN,
    inputs: {
      'aws-region': 'us-east-1',
      'aws-access-key-id': user.accessKeyId,
      'aws-secret-access-key': user.secretAccessKey,
      'connections-file': '.github/aws-connections.yml',
    },
    env: { AWS_ENDPOINT_URL_STS: proxy.url, GITHUB_WORKSPACE: dir },
  });
  expect(result.code).toBe(0);
  expect(Object.keys(JSON.parse(result.outputs['connections'] ?? '{}') as object).sort()).toEqual([
    'artifacts',
    'audit',
    'notify',
  ]);
  // No `connection` input and three connections: no AWS_* key variables, only profiles.
  expect(result.env['AWS_ACCESS_KEY_ID']).toBeUndefined();
});
