/** One repository target holding the old pair, the step inputs that name it, and fake ports: for the main and post steps' run(). */
import { fakeRunner, type FakeRunner } from './runner.js';
import { FakeAws, fakeSeal, FakeGithub, OLD } from './rotate-fakes.js';

/** The inputs of a run against one repository target. */
export const INPUTS = {
  'aws-access-key-id': OLD.accessKeyId,
  'aws-secret-access-key': OLD.secretAccessKey,
  'aws-region': 'eu-west-1',
  'github-token': 'ghs_secret_token_value',
  targets: 'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'verify-interval-seconds': '1',
};

/** Fresh fakes, a runner with `INPUTS` (overridden by `inputs`), and the ports over the fakes. */
export function entrySetup(inputs: Record<string, string> = {}): {
  runner: FakeRunner;
  aws: FakeAws;
  gh: FakeGithub;
  ports: { iam: FakeAws; identity: FakeAws; secrets: FakeGithub; seal: typeof fakeSeal };
} {
  const aws = new FakeAws();
  const gh = new FakeGithub();
  gh.set('repo:octo/app', 'AWS_ACCESS_KEY_ID', OLD.accessKeyId);
  gh.set('repo:octo/app', 'AWS_SECRET_ACCESS_KEY', OLD.secretAccessKey);
  const runner = fakeRunner({ useDefaults: false, inputs: { ...INPUTS, ...inputs } });
  return { runner, aws, gh, ports: { iam: aws, identity: aws, secrets: gh, seal: fakeSeal } };
}
