/** One run's shared state: the report it starts from, saved copies, outcomes, and what each target holds. */
import { RotationContext } from '../../../src/rotate/context.js';
import type { RotationState } from '../../../src/rotate/state.js';
import { world } from '../../../__fixtures__/rotate-engine.js';

function context(): { ctx: RotationContext; saved: RotationState[] } {
  const w = world({ 'dry-run': 'true' });
  const saved: RotationState[] = [];
  return { ctx: new RotationContext(w.settings, { ...w.deps, save: (s) => saved.push(s) }), saved };
}

describe('RotationContext', () => {
  it('starts with every target unchanged and nothing rotated', () => {
    const { ctx } = context();
    expect(ctx.report).toMatchObject({ rotated: false, dryRun: true, plan: [] });
    expect(ctx.report.targets.map((t) => t.outcome)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(ctx.infos.map((i) => i.label)).toEqual(ctx.report.targets.map((t) => t.label));
  });

  it('saves a copy that later changes to pending never reach', () => {
    const { ctx, saved } = context();
    ctx.state.pending.push('a');
    ctx.save();
    ctx.state.pending.push('b');
    expect(saved).toEqual([{ newKeyId: '', pending: ['a'], committed: false, finished: false }]);
  });

  it('records an outcome with its note, and ignores an unknown label', () => {
    const { ctx } = context();
    const label = ctx.report.targets[0]!.label;
    ctx.outcome(label, 'rotated', 'a note');
    ctx.outcome('nowhere', 'restored');
    expect(ctx.report.targets[0]).toEqual({ label, outcome: 'rotated', note: 'a note' });
    expect(ctx.report.targets.map((t) => t.outcome)).not.toContain('restored');
  });

  it('says which pair a target holds complete, or none when its secrets disagree', () => {
    const { ctx } = context();
    expect(ctx.complete('t')).toBe('old');
    ctx.holding('t').secret = 'new';
    expect(ctx.complete('t')).toBeUndefined();
    ctx.holding('t').id = 'new';
    expect(ctx.complete('t')).toBe('new');
    ctx.holding('t').id = 'unknown';
    ctx.holding('t').secret = 'unknown';
    expect(ctx.complete('t')).toBeUndefined();
  });
});
