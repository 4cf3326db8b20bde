import { initialState, parseRotationState, postAction } from '../../../src/rotate/state.js';

describe('rotation state', () => {
  it('round-trips', () => {
    const s = { newKeyId: 'AKIA1', pending: ['repo:o/r A B'], committed: false, finished: false };
    expect(parseRotationState(JSON.stringify(s))).toEqual(s);
    expect(parseRotationState(JSON.stringify(initialState()))).toEqual(initialState());
  });

  it.each([
    '',
    'not json',
    'null',
    '[]',
    '{"newKeyId":1,"pending":[],"committed":false,"finished":false}',
    '{"newKeyId":"","pending":[1],"committed":false,"finished":false}',
    '{"newKeyId":"","pending":[],"committed":"no","finished":false}',
  ])('refuses %j', (text) => {
    expect(parseRotationState(text)).toBeUndefined();
  });

  it.each([
    [undefined, 'none'],
    [{ newKeyId: '', pending: [], committed: false, finished: false }, 'none'],
    [{ newKeyId: 'K', pending: ['t'], committed: false, finished: true }, 'none'],
    [{ newKeyId: 'K', pending: [], committed: true, finished: false }, 'none'],
    [{ newKeyId: 'K', pending: [], committed: false, finished: false }, 'undo'],
    [{ newKeyId: 'K', pending: ['t'], committed: false, finished: false }, 'undo'],
  ] as const)('%j: %s', (state, action) => {
    expect(postAction(state ? { ...state, pending: [...state.pending] } : undefined)).toBe(action);
  });
});
