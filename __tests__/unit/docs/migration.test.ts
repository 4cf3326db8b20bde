/**
 * The inputs of aws-actions/configure-aws-credentials v6, as its action.yml declares them:
 * each is declared in ours (none is silently dropped by the runner's "unexpected input"
 * warning), and each has its row in the migration table.
 */
import { readFileSync } from 'node:fs';
import { manifestInputs } from '../../../__fixtures__/manifest.js';

/** configure-aws-credentials v6's inputs, in its action.yml order. */
const PEER_INPUTS = [
  'aws-region',
  'aws-profile',
  'overwrite-aws-profile',
  'role-to-assume',
  'aws-access-key-id',
  'aws-secret-access-key',
  'aws-session-token',
  'web-identity-token-file',
  'role-chaining',
  'audience',
  'http-proxy',
  'no-proxy',
  'mask-aws-account-id',
  'role-duration-seconds',
  'role-external-id',
  'role-session-name',
  'role-skip-session-tagging',
  'transitive-tag-keys',
  'inline-session-policy',
  'managed-session-policies',
  'output-credentials',
  'output-env-credentials',
  'unset-current-credentials',
  'disable-retry',
  'retry-max-attempts',
  'special-characters-workaround',
  'use-existing-credentials',
  'allowed-account-ids',
  'force-skip-oidc',
  'action-timeout-s',
  'custom-tags',
  'sts-endpoint',
];

/** Declared with the named profiles they write, which land separately. */
const WITH_NAMED_PROFILES = new Set(['aws-profile', 'overwrite-aws-profile']);

const table = readFileSync(
  new URL('../../../docs/configure-aws-credentials.md', import.meta.url),
  'utf8',
);
const ours = new Set(manifestInputs('action.yml').map(([name]) => name));

describe('configure-aws-credentials v6 inputs', () => {
  test.each(PEER_INPUTS.filter((name) => !WITH_NAMED_PROFILES.has(name)))(
    '%s is declared in action.yml',
    (name) => {
      expect(ours.has(name)).toBe(true);
    },
  );

  test.each(PEER_INPUTS)('%s has a row in the migration table', (name) => {
    expect(table).toMatch(new RegExp(`^\\| (?:\`[a-z-]+\`, )*\`${name}\`[,\` ]`, 'm'));
  });
});
