import { Input, INPUT_DEFAULTS, INPUTS } from '../../../../src/connect/inputs/table.js';
import { manifestInputs } from '../../../../__fixtures__/manifest.js';

describe('the inputs table', () => {
  test('action.yml declares exactly these inputs, with exactly these defaults', () => {
    expect(manifestInputs('action.yml')).toEqual(
      Object.values(INPUTS).map((def) => [def.name, 'default' in def ? def.default : '']),
    );
  });

  test.each([
    [Input.SessionName, 'GitHubActions'],
    [Input.Audience, 'sts.amazonaws.com'],
    [Input.RetryMaxAttempts, '4'],
    [Input.RefreshWindow, '6h'],
    [Input.SessionTags, 'false'],
    [Input.Region, ''],
  ])('%s defaults to %j', (name, value) => {
    expect(INPUT_DEFAULTS[name]).toBe(value);
  });
});
