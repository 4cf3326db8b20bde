/** Two projects: fast unit tests on the sources, and integration tests that run the bundles. */
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: tsJest,
  testEnvironment: 'node',
  // A mutation run's sandboxes are copies of the repository: never tests or modules of ours.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

/** The unit project alone: also what the mutation runs use (stryker.config.mjs). */
export const unit = {
  ...common,
  displayName: 'unit',
  testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
};

export default {
  projects: [
    unit,
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/integration/support/timeout.ts'],
      globalSetup: '<rootDir>/__tests__/integration/support/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/integration/support/global-teardown.ts',
    },
  ],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.cjs'],
  collectCoverageFrom: ['src/**/*.ts', '!src/entrypoints/**'],
  coverageReporters: ['text-summary', 'json-summary'],
  // Reached 97.2 / 91.5 / 95.1 / 98.1 when set; raise it with the code, never lower it.
  coverageThreshold: { global: { statements: 96, branches: 90, functions: 94, lines: 97 } },
};
