/**
 * Every input of the main action with its default, as action.yml declares them (a unit test
 * parses action.yml and holds the two to each other). The code takes its defaults from here.
 */
import { inputDefaults, inputNames, type InputDef } from '../../shared/input-table.js';

/** The inputs of `action.yml`, in its order. */
export const INPUTS = {
  Region: { name: 'aws-region' },
  AccessKeyId: { name: 'aws-access-key-id' },
  SecretAccessKey: { name: 'aws-secret-access-key' },
  SessionToken: { name: 'aws-session-token' },
  RoleToAssume: { name: 'role-to-assume' },
  RoleChain: { name: 'role-chain' },
  RoleChaining: { name: 'role-chaining', default: 'false' },
  SessionName: { name: 'role-session-name', default: 'GitHubActions' },
  Duration: { name: 'role-duration-seconds' },
  ExternalId: { name: 'role-external-id' },
  Audience: { name: 'audience', default: 'sts.amazonaws.com' },
  WebIdentityTokenFile: { name: 'web-identity-token-file' },
  ForceSkipOidc: { name: 'force-skip-oidc', default: 'false' },
  InlineSessionPolicy: { name: 'inline-session-policy' },
  ManagedSessionPolicies: { name: 'managed-session-policies' },
  AllowedAccountIds: { name: 'allowed-account-ids' },
  OutputCredentials: { name: 'output-credentials', default: 'false' },
  // No default: true, unless aws-profile is given (as configure-aws-credentials reads it).
  OutputEnvCredentials: { name: 'output-env-credentials' },
  AwsProfile: { name: 'aws-profile' },
  OverwriteAwsProfile: { name: 'overwrite-aws-profile', default: 'false' },
  StsEndpoint: { name: 'sts-endpoint' },
  MaskAccountId: { name: 'mask-aws-account-id', default: 'false' },
  HttpProxy: { name: 'http-proxy' },
  NoProxy: { name: 'no-proxy' },
  SessionCredentials: { name: 'session-credentials', default: 'true' },
  SourceIdentity: { name: 'source-identity' },
  SessionTags: { name: 'session-tags', default: 'false' },
  TransitiveTagKeys: { name: 'transitive-tag-keys' },
  CustomTags: { name: 'custom-tags' },
  RoleSkipSessionTagging: { name: 'role-skip-session-tagging' },
  RetryMaxAttempts: { name: 'retry-max-attempts', default: '4' },
  DisableRetry: { name: 'disable-retry', default: 'false' },
  SpecialCharactersWorkaround: { name: 'special-characters-workaround', default: 'false' },
  UnsetCurrentCredentials: { name: 'unset-current-credentials', default: 'false' },
  UseExistingCredentials: { name: 'use-existing-credentials', default: 'false' },
  ActionTimeout: { name: 'action-timeout-s' },
  Connections: { name: 'connections' },
  ConnectionsFile: { name: 'connections-file' },
  Connection: { name: 'connection' },
  Refresh: { name: 'refresh', default: 'false' },
  RefreshWindow: { name: 'refresh-window', default: '6h' },
} as const satisfies Record<string, InputDef>;

/** Every input of the main action, by its name in action.yml. */
export const Input = inputNames(INPUTS);
export type InputName = (typeof Input)[keyof typeof Input];

/** Each input's default ('' for none), what an empty input is read as. */
export const INPUT_DEFAULTS = inputDefaults(INPUTS);
