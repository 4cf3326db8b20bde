import { inputDefaults, inputNames } from '../../../src/shared/input-table.js';

const TABLE = {
  Region: { name: 'aws-region' },
  Retry: { name: 'retry-max-attempts', default: '4' },
} as const;

describe('input tables', () => {
  test('names by key', () => {
    expect(inputNames(TABLE)).toEqual({ Region: 'aws-region', Retry: 'retry-max-attempts' });
  });
  test('defaults by name, empty for an input without one', () => {
    expect(inputDefaults(TABLE)).toEqual({ 'aws-region': '', 'retry-max-attempts': '4' });
  });
});
