/**
 * Mutation testing (StrykerJS) of the modules where a bug is a security or data-loss bug.
 * `npm run mutate` runs every mutant; `npm run mutate:incremental` only those whose code or
 * covering tests changed since the last run (reports/mutation/incremental.json, local only).
 * Not part of `npm test` or CI: a full run takes minutes. See the README, "Mutation testing".
 */
import { unit } from './jest.config.js';

/**
 * MUTATE_TESTS='GLOB [GLOB…]' (paths under __tests__/unit/) runs only those test files on each
 * mutant: a module's own tests, instead of every file that imports it (for `validate.ts`, nearly
 * all of them, each loading the SDK anew). The score is then the module's own tests' score.
 */
const focus = process.env['MUTATE_TESTS']
  ?.split(' ')
  .filter(Boolean)
  .map((glob) => `<rootDir>/__tests__/unit/${glob}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'src/connect/plan/external-id.ts',
    'src/shared/runner.ts',
    'src/connect/mask.ts',
    'src/connect/export/exports.ts',
    'src/connect/export/apply.ts',
    'src/aws/sts.ts',
    'src/aws/client.ts',
    'src/shared/retry.ts',
    'src/connect/resolve/resolve.ts',
    'src/shared/validate.ts',
    'src/connect/post.ts',
    'src/connect/refresh/store.ts',
    'src/connect/refresh/output.ts',
    'src/rotate/engine.ts',
    'src/rotate/make-room.ts',
    'src/rotate/new-key.ts',
    'src/rotate/write-targets.ts',
    'src/rotate/retire.ts',
    'src/rotate/undo.ts',
    'src/rotate/keys.ts',
    'src/rotate/writer.ts',
  ],
  testRunner: 'jest',
  // The unit project only (the integration tests run the bundles: minutes per mutant).
  jest: {
    config: {
      ...unit,
      ...(focus === undefined ? {} : { testMatch: focus }),
      projects: undefined,
      reporters: ['default'],
      collectCoverageFrom: undefined,
      coverageThreshold: undefined,
    },
    enableFindRelatedTests: true,
  },
  // ESM test files: jest needs Node's VM modules, as in `npm test`.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Stryker gives half to type checkers (idle most of the time), half to test runners: two
  // runners for the machine's two cores.
  concurrency: 4,
  // Generous: on a loaded machine, loading the covering test files alone can take seconds.
  timeoutMS: 15_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/incremental.json',
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'build', 'coverage', 'reports', '.bench'],
  thresholds: { high: 90, low: 80, break: null },
};
