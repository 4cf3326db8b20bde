import { parseCleanupState, State } from '../../../src/connect/state.js';

describe('parseCleanupState', () => {
  test.each([
    [
      'what main writes',
      JSON.stringify({ variables: ['AWS_REGION'], paths: ['/tmp/x'] }),
      { variables: ['AWS_REGION'], paths: ['/tmp/x'] },
    ],
    ['empty lists', JSON.stringify({ variables: [], paths: [] }), { variables: [], paths: [] }],
    [
      'extra keys are dropped',
      JSON.stringify({ variables: ['A'], paths: [], other: 1 }),
      { variables: ['A'], paths: [] },
    ],
    ['nothing saved', '', undefined],
    ['not JSON', '{variables', undefined],
    ['null', 'null', undefined],
    ['a list', '[]', undefined],
    ['a number', '42', undefined],
    ['no paths', JSON.stringify({ variables: [] }), undefined],
    ['no variables', JSON.stringify({ paths: [] }), undefined],
    ['a path that is not text', JSON.stringify({ variables: [], paths: [1] }), undefined],
    [
      'variables that are not a list',
      JSON.stringify({ variables: 'AWS_REGION', paths: [] }),
      undefined,
    ],
  ])('%s', (_what, text, state) => {
    expect(parseCleanupState(text)).toEqual(state);
  });
  test('the state key', () => {
    expect(State.Cleanup).toBe('cleanup');
  });
});
