/** src/shared/state.ts: saved step state read back as JSON, or nothing. */
import { parseJsonState } from '../../../src/shared/state.js';

describe('parseJsonState', () => {
  test.each<[string, unknown]>([
    ['', undefined],
    ['not json', undefined],
    ['{"variables":', undefined],
    ['{"a":[1,"b"]}', { a: [1, 'b'] }],
    ['null', null],
    ['"text"', 'text'],
  ])('%j', (text, value) => {
    expect(parseJsonState(text)).toEqual(value);
  });
});
