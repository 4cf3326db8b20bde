/** The rotate entry's run(): inputs, masking first, outputs, summary, state, one setFailed. */
import { run } from '../../../src/rotate/main.js';
import { parseRotationState, RotateState } from '../../../src/rotate/state.js';
import { githubError, OLD } from '../../../__fixtures__/rotate-fakes.js';
import { entrySetup as setup } from '../../../__fixtures__/rotate-entry.js';

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
