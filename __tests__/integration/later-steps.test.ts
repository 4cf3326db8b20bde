/**
 * What a later step sees is what the log says. Jobs of one or two steps of the bundled action
 * (plain: one role as AWS_* variables; connections: two profiles, one in a region of its own;
 * refresh: a credential_process profile), in every order, some after a `run:` step that left
 * AWS_PROFILE, a credentials file, a config file or keys behind. After each main step and
 * after each post step (in reverse order, as the runner runs them) the AWS CLI v1, boto3 and
 * the JS SDK v3 (Node 24) are run as later steps and must resolve exactly the identity and
 * region the last main step's "Later steps get:" lines name, or, after its post, what the
 * step before it left. Then each channel made unwritable in turn: the step fails, naming it,
 * and nothing is left exported.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trustPolicy } from './support/moto.js';
import { motoSuite } from './support/suite.js';
import { Job } from './support/job.js';
import { errorLines, type StepResult } from './support/runner.js';
import { agreeing, loggedLaterSteps, probeAll, type LoggedLaterSteps } from './support/probes.js';

const emulator = motoSuite();
const ACCOUNT = '123456789012';
const arn = (role: string): string => `arn:aws:iam::${ACCOUNT}:role/${role}`;
const session = (role: string): string =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/GitHubActions`;

type Kind = 'plain' | 'connections' | 'refresh';

beforeEach(async () => {
  for (const role of ['app', 'build', 'notify', 'renew'])
    await emulator.moto.createRole(role, trustPolicy());
});

function inputs(kind: Kind): Record<string, string> {
  const keys = {
    'aws-access-key-id': emulator.user.accessKeyId,
    'aws-secret-access-key': emulator.user.secretAccessKey,
  };
  switch (kind) {
    case 'plain':
      return { ...keys, 'aws-region': 'eu-west-1', 'role-to-assume': arn('app') };
    case 'connections':
      return {
        ...keys,
        'aws-region': 'eu-central-1',
        connections: [
          'build:',
          `  role-arn: ${arn('build')}`,
          'notify:',
          `  role-arn: ${arn('notify')}`,
          '  region: us-east-1',
        ].join('\n'),
      };
    case 'refresh':
      return {
        ...keys,
        'aws-region': 'ap-south-1',
        'role-to-assume': arn('renew'),
        refresh: 'true',
      };
  }
}

/** A job that reaches STS through the test proxy, as every later step of it does. */
function newJob(): Job {
  return new Job({ AWS_ENDPOINT_URL_STS: emulator.proxy.url });
}

async function main(job: Job, kind: Kind): Promise<LoggedLaterSteps> {
  const result = await job.main(inputs(kind));
  expect({ code: result.code, errors: errorLines(result) }).toEqual({ code: 0, errors: [] });
  return loggedLaterSteps(result.stdout);
}

/**
 * Every tool, naming no profile and naming each profile the log names, resolves what the log
 * says; carried profiles keep the identity `identities` knows for them, in the logged region.
 */
async function expectAgreement(
  job: Job,
  logged: LoggedLaterSteps,
  identities: Record<string, string> = {},
): Promise<void> {
  const env = job.stepEnv();
  const expected: [string | undefined, { arn?: string; region: string }][] = [
    [undefined, logged.plain],
    ...Object.entries(logged.profiles),
    ...Object.entries(logged.carried).flatMap(
      ([name, region]): [string, { arn: string; region: string }][] => {
        const arn = identities[name];
        return arn === undefined ? [] : [[name, { arn, region }]];
      },
    ),
  ];
  const resolved = await Promise.all(
    expected.map(async ([name]) => ({ name, ...(await probeAll(emulator.proxy, env, name)) })),
  );
  expect(resolved).toEqual(expected.map(([name, e]) => ({ name, ...agreeing(e) })));
}

const NOTHING: LoggedLaterSteps = {
  plain: { region: 'none' },
  profiles: {},
  carried: {},
};

/** What each kind's log must say, beyond agreeing with the tools. */
function expectLogged(kind: Kind, logged: LoggedLaterSteps): void {
  switch (kind) {
    case 'plain':
      expect(logged.plain.arn).toBe(session('app'));
      break;
    case 'connections':
      expect(logged.plain.arn).toBeUndefined();
      expect(Object.keys(logged.profiles).sort()).toEqual(['build', 'notify']);
      expect(logged.profiles['build']?.arn).toBe(session('build'));
      break;
    case 'refresh':
      expect(logged.plain).toEqual({ arn: session('renew'), region: 'ap-south-1' });
      break;
  }
}

describe('one step', () => {
  it.each<Kind>(['plain', 'connections', 'refresh'])(
    '%s: the tools resolve what the log says, and nothing after the post step',
    async (kind) => {
      const job = newJob();
      const logged = await main(job, kind);
      expectLogged(kind, logged);
      await expectAgreement(job, logged);
      if (kind === 'connections') {
        // No earlier region: each profile keeps its own, plain steps get the step's.
        expect(logged.profiles['notify']?.region).toBe('us-east-1');
        expect(logged.plain.region).toBe('eu-central-1');
      }
      await job.post();
      expect(await probeAll(emulator.proxy, job.stepEnv())).toEqual(agreeing(NOTHING.plain));
    },
    120_000,
  );
});

const ORDERS: [Kind, Kind][] = [
  ['plain', 'connections'],
  ['plain', 'refresh'],
  ['connections', 'plain'],
  ['connections', 'refresh'],
  ['refresh', 'plain'],
  ['refresh', 'connections'],
];

describe('two steps nest like a stack', () => {
  it.each(ORDERS)(
    '%s then %s: after each main and each post, the tools agree with the log in force',
    async (first, second) => {
      const job = newJob();
      const one = await main(job, first);
      expectLogged(first, one);
      await expectAgreement(job, one);
      const identities = Object.fromEntries(
        Object.entries(one.profiles).map(([name, p]) => [name, p.arn]),
      );

      const two = await main(job, second);
      expectLogged(second, two);
      await expectAgreement(job, two, identities);

      const post2 = await job.post();
      expect(post2.code).toBe(0);
      // As the first step left the job: its profiles and its plain identity.
      await expectAgreement(job, one);

      await job.post();
      expect(await probeAll(emulator.proxy, job.stepEnv())).toEqual(agreeing(NOTHING.plain));
    },
    240_000,
  );
});

/** What a `run:` step before the action left, and what the job resolves with it alone. */
interface Earlier {
  name: string;
  leave: (job: Job) => void;
  /** What a plain step resolves before the action's step (and after its post). */
  plain: () => { arn: string; region: string };
}

function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const EARLIER: Earlier[] = [
  {
    name: 'AWS_PROFILE with its own files',
    leave: (job) => {
      const config = join(job.dir, 'old-config');
      const credentials = join(job.dir, 'old-credentials');
      writeFileSync(config, '[profile old]\nregion = sa-east-1\n');
      writeFileSync(
        credentials,
        `[old]\naws_access_key_id = ${emulator.user.accessKeyId}\naws_secret_access_key = ${emulator.user.secretAccessKey}\n`,
      );
      job.set({
        AWS_PROFILE: 'old',
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
      });
    },
    plain: () => ({ arn: emulator.user.arn, region: 'sa-east-1' }),
  },
  {
    name: 'a credentials file holding the profile names the step uses, and a region',
    leave: (job) => {
      const credentials = join(job.dir, 'old-credentials');
      const keys = `aws_access_key_id = ${emulator.user.accessKeyId}\naws_secret_access_key = ${emulator.user.secretAccessKey}\n`;
      writeFileSync(
        credentials,
        ['default', 'aws-connection', 'build', 'notify'].map((p) => `[${p}]\n${keys}`).join('\n'),
      );
      job.set({
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_REGION: 'sa-east-1',
        AWS_DEFAULT_REGION: 'sa-east-1',
      });
    },
    plain: () => ({ arn: emulator.user.arn, region: 'sa-east-1' }),
  },
  {
    name: 'a config file with a credential_process default',
    leave: (job) => {
      const answer = writeJson(join(job.dir, 'answer.json'), {
        Version: 1,
        AccessKeyId: emulator.user.accessKeyId,
        SecretAccessKey: emulator.user.secretAccessKey,
      });
      const config = join(job.dir, 'old-config');
      writeFileSync(config, `[default]\nregion = sa-east-1\ncredential_process = cat ${answer}\n`);
      job.set({ AWS_CONFIG_FILE: config });
    },
    plain: () => ({ arn: emulator.user.arn, region: 'sa-east-1' }),
  },
  {
    name: 'keys, a region and a web identity',
    leave: (job) => {
      job.set({
        AWS_ACCESS_KEY_ID: emulator.user.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.user.secretAccessKey,
        AWS_REGION: 'sa-east-1',
        AWS_DEFAULT_REGION: 'sa-east-1',
        // Ahead of a profile's keys in botocore: the step must clear it, and put it back.
        AWS_ROLE_ARN: arn('app'),
        AWS_WEB_IDENTITY_TOKEN_FILE: join(job.dir, 'no-token'),
      });
    },
    plain: () => ({ arn: emulator.user.arn, region: 'sa-east-1' }),
  },
];

describe('after a step that left AWS settings behind', () => {
  const cases = EARLIER.flatMap((earlier) =>
    (['plain', 'connections', 'refresh'] as Kind[]).map((kind) => ({
      earlier,
      kind,
      label: `${earlier.name}, then ${kind}`,
    })),
  );
  it.each(cases)(
    '$label: the tools agree with the log, then resolve what was there before',
    async ({ earlier, kind }) => {
      const job = newJob();
      earlier.leave(job);
      expect(await probeAll(emulator.proxy, job.stepEnv())).toEqual(agreeing(earlier.plain()));

      const logged = await main(job, kind);
      expectLogged(kind, logged);
      await expectAgreement(job, logged);

      const post = await job.post();
      expect(post.code).toBe(0);
      expect(await probeAll(emulator.proxy, job.stepEnv())).toEqual(agreeing(earlier.plain()));
    },
    120_000,
  );
});

describe('all or nothing across channels', () => {
  const CHANNELS = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY'] as const;

  async function failed(job: Job, result: StepResult, channel: string): Promise<void> {
    expect(result.code).not.toBe(0);
    expect(errorLines(result).join('\n')).toContain(channel);
    expect(result.env).toEqual({});
    expect(result.outputs).toEqual({});
    // No profile files left behind, and the post step has nothing to put back.
    const temp = job.runnerTemp;
    const left = existsSync(temp)
      ? readdirSync(temp).filter((f) => f.startsWith('aws-connection-'))
      : [];
    expect(left).toEqual([]);
    expect(await probeAll(emulator.proxy, job.stepEnv())).toEqual(agreeing(NOTHING.plain));
    const post = await job.post();
    expect(post.stdout).toContain('put back 0 variables');
  }

  it.each(
    CHANNELS.flatMap((channel) =>
      (['plain', 'connections'] as Kind[]).map((kind) => ({ channel, kind })),
    ),
  )(
    '$kind with $channel unwritable: fails naming it, exports nothing',
    async ({ channel, kind }) => {
      const job = newJob();
      const result = await job.main(inputs(kind), { broken: channel });
      await failed(job, result, channel);
    },
    60_000,
  );

  it.each<Kind>(['connections', 'refresh'])(
    '%s with the profile files unwritable: fails naming them, exports nothing',
    async (kind) => {
      const job = newJob();
      // RUNNER_TEMP is a file: the step's directory cannot be made.
      const temp = join(job.dir, 'not-a-folder');
      writeFileSync(temp, '');
      const result = await job.main(inputs(kind), { env: { RUNNER_TEMP: temp } });
      expect(result.code).not.toBe(0);
      expect(errorLines(result).join('\n')).toContain('writing the profile files');
      expect(result.env).toEqual({});
      expect(result.outputs).toEqual({});
      expect(await probeAll(emulator.proxy, job.stepEnv())).toEqual(agreeing(NOTHING.plain));
    },
    60_000,
  );
});

describe('a connection that only feeds others', () => {
  it.each([
    ['is not a profile: no later step can use its session', false],
    ['is a profile with export: true', true],
  ])(
    '%s',
    async (_what, exported) => {
      const hub = await emulator.moto.createRole('hub', trustPolicy());
      const job = newJob();
      const result = await job.main({
        'aws-access-key-id': emulator.user.accessKeyId,
        'aws-secret-access-key': emulator.user.secretAccessKey,
        'aws-region': 'eu-west-1',
        connections: [
          'hub:',
          `  role-arn: ${hub}`,
          ...(exported ? ['  export: true'] : []),
          'app:',
          '  source: hub',
          `  role-arn: ${arn('app')}`,
        ].join('\n'),
      });
      expect(result.code).toBe(0);
      const later = loggedLaterSteps(result.stdout);
      expect(Object.keys(later.profiles).sort()).toEqual(exported ? ['app', 'hub'] : ['app']);
      const outputs = JSON.parse(result.outputs['connections'] ?? '{}') as Record<
        string,
        Record<string, string>
      >;
      expect(outputs['hub']?.['exported']).toBe(String(exported));
      const env = job.stepEnv();
      const asHub = await probeAll(emulator.proxy, env, 'hub');
      if (exported) expect(asHub).toEqual(agreeing({ arn: session('hub'), region: 'eu-west-1' }));
      else
        for (const tool of Object.values(asHub))
          expect(tool).toEqual({ error: expect.stringMatching(/hub|credentials/) as unknown });
      expect(await probeAll(emulator.proxy, env, 'app')).toEqual(
        agreeing({ arn: session('app'), region: 'eu-west-1' }),
      );
    },
    120_000,
  );
});
