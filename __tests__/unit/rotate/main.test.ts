/** The rotate entry's run(): inputs, masking first, outputs, summary, state, one setFailed. */
import { run } from '../../../src/rotate/main.js';
import { run as cleanup } from '../../../src/rotate/post.js';
import { parseRotationState, RotateState } from '../../../src/rotate/state.js';
import { fakeRunner, type FakeRunner } from '../../../__fixtures__/runner.js';
import {
  FakeAws,
  fakeSeal,
  FakeGithub,
  githubError,
  OLD,
} from '../../../__fixtures__/rotate-fakes.js';

const INPUTS = {
  'aws-access-key-id': OLD.accessKeyId,
  'aws-secret-access-key': OLD.secretAccessKey,
  'aws-region': 'eu-west-1',
  'github-token': 'ghs_secret_token_value',
  targets: 'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'verify-interval-seconds': '1',
};

function setup(inputs: Record<string, string> = {}): {
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

let clock = 0;
const time = { sleep: async (ms: number) => void (clock += ms), now: () => clock };

describe('rotate main run()', () => {
  it('masks the key, the secret and the token before anything else', async () => {
    const { runner, ports } = setup();
    await run({ runner, env: {}, ports, ...time });
    expect(runner.events.slice(0, 3).map((e) => [e.kind, e.value])).toEqual([
      ['secret', OLD.accessKeyId],
      ['secret', OLD.secretAccessKey],
      ['secret', 'ghs_secret_token_value'],
    ]);
    for (const s of [
      OLD.secretAccessKey,
      'ghs_secret_token_value',
      ports.secrets.get('repo:octo/app', 'AWS_SECRET_ACCESS_KEY') ?? '',
    ]) {
      expect(runner.leaksOf(s)).toEqual([]);
    }
  });

  it('sets the outputs, the summary and the state; never a secret', async () => {
    const { runner, ports, gh } = setup();
    await run({ runner, env: {}, ports, ...time });
    expect(runner.failures).toEqual([]);
    const newId = gh.get('repo:octo/app', 'AWS_ACCESS_KEY_ID') ?? '';
    const newSecret = gh.get('repo:octo/app', 'AWS_SECRET_ACCESS_KEY') ?? '';
    expect(runner.outputs).toEqual({
      'new-access-key-id': newId,
      'old-access-key-id': OLD.accessKeyId,
      rotated: 'true',
    });
    expect(runner.summaries).toHaveLength(1);
    expect(runner.summaries[0]).toMatch(/rotation: rotated/);
    const state = runner.getState(RotateState.Rotation);
    expect(parseRotationState(state)).toEqual({
      newKeyId: newId,
      pending: [],
      committed: true,
      finished: true,
    });
    for (const e of runner.events.filter((ev) => ev.kind !== 'secret')) {
      expect(e.value).not.toContain(newSecret);
      expect(e.value).not.toContain(OLD.secretAccessKey);
    }
  });

  it('fails once, with the input named, on a bad input; touches nothing', async () => {
    const { runner, ports, aws } = setup({ 'min-age': 'soon' });
    await run({ runner, env: {}, ports, ...time });
    expect(runner.failures).toEqual([
      'min-age: "soon" is not an age: a whole number and a unit, such as 30d, 12h, 90m or 3600s',
    ]);
    expect(aws.calls).toEqual([]);
  });

  it('reports a failed rotation: outputs, summary, then one setFailed', async () => {
    const { runner, ports, gh } = setup();
    gh.fail('getPublicKey', githubError(403, 'Resource not accessible by integration'));
    await run({ runner, env: {}, ports, ...time });
    expect(runner.outputs).toEqual({
      'new-access-key-id': '',
      'old-access-key-id': OLD.accessKeyId,
      rotated: 'false',
    });
    expect(runner.summaries[0]).toMatch(
      /rotation: failed[\s\S]*\*\*Error:\*\* reading the public key/,
    );
    expect(runner.failures).toHaveLength(1);
    expect(runner.failures[0]).toMatch(/default GITHUB_TOKEN cannot write secrets/);
  });

  it('a skip (min-age) succeeds with rotated false', async () => {
    const { runner, ports, aws } = setup({ 'min-age': '3650d' });
    clock = Date.parse('2026-02-01T00:00:00Z');
    aws.keys.get(OLD.accessKeyId)!.createdAt = new Date('2026-01-01T00:00:00Z');
    await run({ runner, env: {}, ports, ...time });
    expect(runner.failures).toEqual([]);
    expect(runner.outputs['rotated']).toBe('false');
    expect(runner.infos.at(-1)).toMatch(
      /^Nothing was changed: the key …0001 is 31d old, younger than min-age 3650d\.$/,
    );
  });
});

describe('rotate post step', () => {
  it('does nothing without state, after a finished run, or once committed', async () => {
    for (const state of [
      undefined,
      { newKeyId: 'K', pending: [], committed: false, finished: true },
      { newKeyId: 'K', pending: ['x'], committed: true, finished: false },
    ]) {
      const { runner, ports, aws } = setup();
      if (state) runner.state.set(RotateState.Rotation, JSON.stringify(state));
      await cleanup(runner, {}, ports);
      expect(aws.calls).toEqual([]);
      expect(runner.warnings).toEqual([]);
    }
  });

  it('warns on unreadable state', async () => {
    const { runner, ports } = setup();
    runner.state.set(RotateState.Rotation, '{bad');
    await cleanup(runner, {}, ports);
    expect(runner.warnings).toEqual([
      'The saved rotation state is unreadable; nothing was undone.',
    ]);
  });

  it('undoes an unfinished run: restores the old pair and deletes the new key', async () => {
    const { runner, ports, aws, gh } = setup();
    const fresh = await aws.createAccessKey(OLD, 'ci-bot');
    gh.set('repo:octo/app', 'AWS_SECRET_ACCESS_KEY', fresh.secret);
    runner.state.set(
      RotateState.Rotation,
      JSON.stringify({
        newKeyId: fresh.id,
        pending: ['repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY'],
        committed: false,
        finished: false,
      }),
    );
    await cleanup(runner, {}, ports);
    expect(gh.get('repo:octo/app', 'AWS_SECRET_ACCESS_KEY')).toBe(OLD.secretAccessKey);
    expect(gh.get('repo:octo/app', 'AWS_ACCESS_KEY_ID')).toBe(OLD.accessKeyId);
    expect(aws.ids()).toEqual([OLD.accessKeyId]);
    expect(runner.warnings).toEqual([
      'The rotation did not finish: restoring the old key in 1 target(s) and deleting the new key.',
    ]);
    expect(runner.failures).toEqual([]);
  });

  it('turns its own failures into warnings, never a failed job', async () => {
    const { runner, ports } = setup({ targets: 'bad' });
    runner.state.set(
      RotateState.Rotation,
      JSON.stringify({ newKeyId: 'K', pending: [], committed: false, finished: false }),
    );
    await cleanup(runner, {}, ports);
    expect(runner.failures).toEqual([]);
    expect(runner.warnings).toEqual([
      expect.stringMatching(/^Rotation cleanup failed: targets: line 1/),
    ]);
  });
});
