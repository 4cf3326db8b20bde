/**
 * `npm run demo`: the action end to end on this machine. Starts moto_server on a free
 * loopback port with signature checking on, creates an IAM user and a chain of two roles
 * whose trust policies require the derived external IDs, runs the bundled main step as a
 * runner would, shows its log (masked, as the runner shows it), what a later step sees and
 * who the AWS CLI says it is, the job summary, and then the post step's cleanup.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startMoto, trustPolicy } from '../__tests__/integration/support/moto.js';
import {
  laterStepEnv,
  runPost,
  runStep,
  type StepResult,
} from '../__tests__/integration/support/runner.js';

const OWNER_ID = '4040';
const REPO_ID = '100200300';

/** The log as the runner shows it: masked values as ***, commands rendered or hidden. */
function show(result: StepResult): string {
  const masks: string[] = [];
  const out: string[] = [];
  for (const line of result.stdout.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      masks.push(decodeURIComponent(mask[1] ?? ''));
      continue;
    }
    let text = line
      .replace(/^::group::(.*)$/, '▸ $1')
      .replace(/^::endgroup::$/, '')
      .replace(/^::(error|warning)::(.*)$/, '$1: $2');
    if (/^::debug::/.test(text)) continue;
    for (const m of masks.sort((a, b) => b.length - a.length))
      if (m.length > 0) text = text.split(m).join('***');
    if (text !== '') out.push(`  ${text}`);
  }
  return out.join('\n');
}

function title(text: string): void {
  console.log(`\n\x1b[1m── ${text} ${'─'.repeat(Math.max(0, 76 - text.length))}\x1b[0m`);
}

async function main(): Promise<void> {
  title('starting moto_server (STS and IAM emulator) on loopback, signature checking on');
  const moto = await startMoto();
  try {
    const user = await moto.createUser('ci');
    const hub = await moto.createRole(
      'ci-hub',
      trustPolicy({
        principalArn: user.arn,
        externalId: `github:${OWNER_ID}:${REPO_ID}:chain:1:ci-hub`,
      }),
    );
    const deployer = await moto.createRole(
      'deployer',
      trustPolicy({
        principalArn: hub,
        externalId: `github:${OWNER_ID}:${REPO_ID}:chain:2:deployer`,
      }),
    );
    console.log(
      `  ${moto.endpoint}\n  user ${user.arn}\n  role ${hub}   (trusts the user, external ID github:${OWNER_ID}:${REPO_ID}:chain:1:ci-hub)\n  role ${deployer} (trusts ci-hub, external ID github:${OWNER_ID}:${REPO_ID}:chain:2:deployer)`,
    );

    const inputs = {
      'aws-region': 'us-east-1',
      'aws-access-key-id': user.accessKeyId,
      'aws-secret-access-key': user.secretAccessKey,
      'role-chain': `${hub}\n${deployer}`,
    };
    title('the workflow step');
    console.log(
      `  - uses: OWNER/aws-connection@v1\n    with:\n      aws-region: us-east-1\n      aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}\n      aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}\n      role-chain: |\n        ${hub}\n        ${deployer}`,
    );
    console.log(
      `  (repository ID ${REPO_ID}, owner ID ${OWNER_ID}, as GITHUB_REPOSITORY_ID / GITHUB_REPOSITORY_OWNER_ID)`,
    );

    const main = await runStep({
      entry: 'dist/main/index.js',
      inputs,
      env: { AWS_ENDPOINT_URL_STS: moto.endpoint },
    });
    title(`main step log, as the runner shows it (exit code ${String(main.code)})`);
    console.log(show(main));
    if (main.code !== 0) throw new Error('the main step failed');

    title('what a later step sees');
    const env = laterStepEnv(main);
    for (const name of [
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]) {
      const value = env[name] ?? '';
      console.log(
        `  ${name}=${name.startsWith('AWS_REGION') || name === 'AWS_DEFAULT_REGION' ? value : `*** (${value.length} characters)`}`,
      );
    }
    console.log('  outputs:');
    for (const [name, value] of Object.entries(main.outputs))
      if (name !== 'connections') console.log(`    ${name}: ${value}`);

    title('a later step runs: aws sts get-caller-identity');
    const cli = await promisify(execFile)(
      'aws',
      ['sts', 'get-caller-identity', '--endpoint-url', moto.endpoint, '--output', 'json'],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: env['HOME'] ?? '',
          AWS_ACCESS_KEY_ID: env['AWS_ACCESS_KEY_ID'],
          AWS_SECRET_ACCESS_KEY: env['AWS_SECRET_ACCESS_KEY'],
          AWS_SESSION_TOKEN: env['AWS_SESSION_TOKEN'],
          AWS_DEFAULT_REGION: 'us-east-1',
        },
        encoding: 'utf8',
      },
    );
    console.log(cli.stdout.replace(/^/gm, '  ').trimEnd());

    title('job summary (markdown)');
    console.log(main.summary.replace(/^/gm, '  ').trimEnd());

    const post = await runPost(main, { entry: 'dist/cleanup/index.js' });
    title(`post step log (exit code ${String(post.code)})`);
    console.log(show(post));
    const after = laterStepEnv(post);
    for (const name of Object.keys(main.env))
      console.log(`  ${name}=${after[name] === '' ? '(blank)' : 'STILL SET'}`);
  } finally {
    await moto.stop();
  }
}

await main();
