/** src/connect/refresh/args.ts: the refresh program's command line. */
import { parseArgs, UsageError } from '../../../../src/connect/refresh/args.js';

describe('parseArgs', () => {
  test.each<[string[], { config: string; profile: string }]>([
    [
      ['--config', '/t/refresh.json', '--profile', 'aws-connection'],
      { config: '/t/refresh.json', profile: 'aws-connection' },
    ],
    [
      ['--profile=hub', '--config=/t/a b/refresh.json'],
      { config: '/t/a b/refresh.json', profile: 'hub' },
    ],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  test.each<[string[], RegExp]>([
    [[], /^usage: refresh --config/],
    [['--config', '/t/r.json'], /^usage/],
    [['--profile', 'x'], /^usage/],
    [['--config'], /--config needs a value/],
    [['--config=', '--profile', 'x'], /--config needs a value/],
    [['--config', 'r.json', '--profile', 'x'], /--config must be an absolute path/],
    [['--config', '/r.json', '--profile', 'x y'], /is not a profile name/],
    [['--config', '/r.json', '--profile', 'x', '--profile', 'y'], /--profile is given twice/],
    [['--config', '/r.json', '--profile', 'x', '--verbose'], /unknown argument "--verbose"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
