/**
 * The job summary as the bundled main step writes it to GITHUB_STEP_SUMMARY, against moto with
 * signature checking on (behind the test proxy, which evaluates web-identity trust policies):
 * a successful chain, named connections with their own regions, and failed steps, which write
 * a summary too. Every run goes through the leak detector.
 */
import { trustPolicy } from './support/moto.js';
import { motoSuite } from './support/suite.js';
import { errorLines, runStep, type StepResult } from './support/runner.js';
import { assertNoLeaks, collectSecrets } from './support/leaks.js';
import { NODE24 } from './support/nodes.js';
import { startOidc } from './support/oidc.js';

const MAIN = 'dist/main/index.js';
/** The IDs the runner fake sets (support/runner.ts). */
const PREFIX = 'github:4040:100200300';
const ACCOUNT = '123456789012';

const emulator = motoSuite();

async function runMain(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StepResult> {
  const result = await runStep({
    entry: MAIN,
    node: NODE24,
    inputs: { 'aws-region': 'us-east-1', ...inputs },
    // The runner's time zone is the summary's.
    env: { AWS_ENDPOINT_URL_STS: emulator.proxy.url, TZ: 'UTC', ...env },
  });
  assertNoLeaks(
    result,
    collectSecrets(result, emulator.user.accessKeyId, emulator.user.secretAccessKey),
  );
  return result;
}

const keys = (): Record<string, string> => ({
  'aws-access-key-id': emulator.user.accessKeyId,
  'aws-secret-access-key': emulator.user.secretAccessKey,
});

/** A chain of roles r1…rn, each trusting the one before with its derived external ID. */
async function chainOfRoles(n: number): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 1; i <= n; i++) {
    const principal = i === 1 ? emulator.user.arn : (arns[i - 2] ?? '');
    const externalId = `${PREFIX}:chain:${i}:r${i}`;
    arns.push(
      await emulator.moto.createRole(`r${i}`, trustPolicy({ principalArn: principal, externalId })),
    );
  }
  return arns;
}

/** The lines of a block that starts with `heading`, up to the next blank line after its list. */
function block(summary: string, heading: string): string {
  const start = summary.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = summary.indexOf('\n\n', summary.indexOf('\n- ', start));
  return summary.slice(start, end === -1 ? undefined : end);
}

test('a chain of two: one block per hop, the expiry as a time, the variables set', async () => {
  const roles = await chainOfRoles(2);
  const result = await runMain({ ...keys(), 'role-chain': roles.join('\n') });
  expect(errorLines(result)).toEqual([]);
  const summary = result.summary;
  expect(summary).toMatch(/^### AWS connection\n\n\*\*Base:\*\* static keys/);
  expect(block(summary, '**Role 1 of 2**')).toMatch(
    new RegExp(
      [
        `\\*\\*Role 1 of 2\\*\\* · \`arn:aws:iam::${ACCOUNT}:role/r1\``,
        '',
        `- External ID sent: \`${PREFIX}:chain:1:r1\``,
        '- Region `us-east-1` · expires \\*\\*\\d\\d:\\d\\d UTC\\*\\* \\(in 60 min\\)',
        '- Used to assume role 2; not exported',
      ].join('\n'),
    ),
  );
  expect(block(summary, '**Role 2 of 2**')).toContain('- Later steps get it: see below');
  expect(block(summary, '**Later steps get**')).toContain(
    '- Set: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`, `AWS_REGION`, `AWS_DEFAULT_REGION`',
  );
  // No wide table, no raw timestamp; the hops do not repeat the role's plain session (the
  // later-steps block names it once).
  expect(summary).not.toMatch(/\| --- \||\d\d:\d\d:\d\d\.\d{3}Z/);
  expect(summary.split('**Later steps get**')[0]).not.toContain('assumed-role');
  expect(summary.match(/assumed-role/g)).toHaveLength(1);
});

test('named connections: each one with its region and its profile', async () => {
  const hub = await emulator.moto.createRole(
    'hub',
    trustPolicy({ principalArn: emulator.user.arn, externalId: `${PREFIX}:connection:hub` }),
  );
  const s3 = await emulator.moto.createRole(
    's3',
    trustPolicy({ principalArn: hub, externalId: `${PREFIX}:connection:s3` }),
  );
  const connections = [
    `hub:\n  role-arn: ${hub}`,
    `s3:\n  role-arn: ${s3}\n  source: hub\n  region: eu-west-1`,
  ].join('\n');
  const result = await runMain({ ...keys(), connections, connection: 's3' });
  expect(errorLines(result)).toEqual([]);
  const s3Block = block(result.summary, '**Connection `s3`**');
  expect(s3Block).toContain('- Assumed from connection `hub`');
  expect(s3Block).toContain('- Region `eu-west-1` · expires');
  expect(s3Block).toContain('- Use: `--profile s3`, or name no profile');
  expect(block(result.summary, '**Connection `hub`**')).toContain(
    '- Not exported: it only feeds other connections (`export: true` exports it)',
  );
  expect(block(result.summary, '**Later steps get**')).toContain(
    `- Naming no profile: \`arn:aws:sts::${ACCOUNT}:assumed-role/s3/GitHubActions\` in \`eu-west-1\` (the \`AWS_*\` variables)`,
  );
});

test('a refused hop: the failure summary names it, the external ID sent and the fix', async () => {
  const [r1 = ''] = await chainOfRoles(1);
  const r2 = await emulator.moto.createRole(
    'r2',
    trustPolicy({ principalArn: r1, externalId: 'something-else' }),
  );
  const result = await runMain({ ...keys(), 'role-chain': `${r1}\n${r2}` });
  expect(result.code).toBe(1);
  expect(result.env).toEqual({});
  expect(errorLines(result)).toHaveLength(1);
  const summary = result.summary;
  expect(summary).toContain(
    `### AWS connection failed\n\n**Role 2 of 2** · \`${r2}\`: \`AccessDenied\``,
  );
  expect(summary).toContain(`- External ID sent: \`${PREFIX}:chain:2:r2\``);
  expect(summary).toContain(
    `**To fix:** the trust policy of \`${r2}\` must allow sts:AssumeRole for \`${r1}\` with the condition StringEquals sts:ExternalId = \`${PREFIX}:chain:2:r2\`.`,
  );
});

test('mask-aws-account-id: neither summary shows an account ID', async () => {
  const [r1 = ''] = await chainOfRoles(1);
  const ok = await runMain({ ...keys(), 'role-to-assume': r1, 'mask-aws-account-id': 'true' });
  expect(errorLines(ok)).toEqual([]);
  expect(ok.summary).toContain('`arn:aws:iam::***:role/r1`');
  const refusing = await emulator.moto.createRole(
    'refusing',
    trustPolicy({ principalArn: emulator.user.arn, externalId: 'something-else' }),
  );
  const failed = await runMain({
    ...keys(),
    'role-to-assume': refusing,
    'mask-aws-account-id': 'true',
  });
  expect(failed.code).toBe(1);
  expect(failed.summary).toContain('**Role 1 of 1** · `arn:aws:iam::***:role/refusing`');
  for (const summary of [ok.summary, failed.summary]) expect(summary).not.toContain(ACCOUNT);
});

test("an OIDC refusal: the token's claims and the admitting statement as a JSON block", async () => {
  const sub = 'repo:octo@4040/app@100200300:ref:refs/heads/main';
  const oidc = await startOidc({ claims: { sub } });
  try {
    await emulator.moto.createGitHubOidcProvider();
    const role = await emulator.moto.createRole(
      'classic',
      trustPolicy({ webIdentity: true, subject: 'repo:octo/app:*' }),
    );
    const result = await runMain(
      { 'role-to-assume': role },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
      },
    );
    expect(result.code).toBe(1);
    const summary = result.summary;
    expect(summary).toContain('- No external ID sent (AssumeRoleWithWebIdentity takes none)');
    expect(summary).toContain(`| \`sub\` | \`${sub}\` (immutable form) |`);
    const json = /```json\n([\s\S]*?)\n```/.exec(summary)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual({
      Effect: 'Allow',
      Principal: {
        Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': sub,
        },
      },
    });
  } finally {
    await oidc.stop();
  }
}, 30_000);
