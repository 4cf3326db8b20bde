/** The rotate post step's run(): undo from the saved state only, and never a failed job. */
import { run as cleanup } from '../../../src/rotate/post.js';
import { RotateState } from '../../../src/rotate/state.js';
import { OLD } from '../../../__fixtures__/rotate-fakes.js';
import { entrySetup as setup } from '../../../__fixtures__/rotate-entry.js';

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
