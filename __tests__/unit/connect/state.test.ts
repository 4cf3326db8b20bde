import { digest, parseCleanupState, State } from '../../../src/connect/state.js';

const record = { name: 'AWS_REGION', previous: 'us-east-1', set: digest('eu-west-1') };

describe('parseCleanupState', () => {
  test.each([
    [
      'what main writes',
      JSON.stringify({ variables: [record], paths: ['/tmp/x'] }),
      { variables: [record], paths: ['/tmp/x'] },
    ],
    [
      'a variable that was absent before',
      JSON.stringify({ variables: [{ ...record, previous: null }], paths: [] }),
      { variables: [{ ...record, previous: null }], paths: [] },
    ],
    ['empty lists', JSON.stringify({ variables: [], paths: [] }), { variables: [], paths: [] }],
    [
      'extra keys are dropped',
      JSON.stringify({ variables: [], paths: [], other: 1 }),
      { variables: [], paths: [] },
    ],
    ['nothing saved', '', undefined],
    ['not JSON', '{variables', undefined],
    ['null', 'null', undefined],
    ['a list', '[]', undefined],
    ['a number', '42', undefined],
    ['no paths', JSON.stringify({ variables: [] }), undefined],
    ['no variables', JSON.stringify({ paths: [] }), undefined],
    ['a path that is not text', JSON.stringify({ variables: [], paths: [1] }), undefined],
    ['a bare name (an older state)', JSON.stringify({ variables: ['A'], paths: [] }), undefined],
    [
      'a previous value that is not text',
      JSON.stringify({ variables: [{ ...record, previous: 1 }], paths: [] }),
      undefined,
    ],
    [
      'no digest',
      JSON.stringify({ variables: [{ name: 'A', previous: null }], paths: [] }),
      undefined,
    ],
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

describe('digest', () => {
  test('SHA-256 in hex: the same value, the same digest; the value cannot be read in it', () => {
    expect(digest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(digest('secret')).toBe(digest('secret'));
    expect(digest('secret')).not.toContain('secret');
    expect(digest('a')).not.toBe(digest('b'));
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
    expect(parseCleanupState(JSON.stringify({ variables: [], paths: [], agent }))).toEqual({
      variables: [],
      paths: [],
    });
  });
});
