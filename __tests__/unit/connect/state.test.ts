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

describe('parseCleanupState: the credential agent', () => {
  test('the agent main started is kept', () => {
    const agent = { pid: 4242, socket: '/t/d/agent.sock' };
    expect(parseCleanupState(JSON.stringify({ variables: [], paths: [], agent }))).toEqual({
      variables: [],
      paths: [],
      agent,
    });
  });
  test.each([
    ['a pid that is not a number', { pid: '4242', socket: '/s' }],
    ['a pid that is not whole', { pid: 1.5, socket: '/s' }],
    ['no socket', { pid: 4242 }],
  ])('%s: no agent, the rest kept', (_what, agent) => {
    expect(parseCleanupState(JSON.stringify({ variables: ['A'], paths: [], agent }))).toEqual({
      variables: ['A'],
      paths: [],
    });
  });
});
