/**
 * The narrow interfaces the rotation talks through. The engine sees only these; the AWS SDK
 * and Octokit live in the adapters (iam.ts, github.ts), and tests pass fakes.
 */
import type { Credentials } from '../aws/credentials.js';
import type { Scope } from './targets.js';

export type KeyStatus = 'Active' | 'Inactive';

/** An access key as ListAccessKeys describes it (never with its secret). */
export interface AccessKey {
  id: string;
  status: KeyStatus;
  createdAt?: Date;
}

/** A key CreateAccessKey just returned: the only moment its secret exists. */
export interface NewAccessKey {
  id: string;
  secret: string;
}

/** GetAccessKeyLastUsed: no date when the key was never used. */
export interface KeyLastUsed {
  date?: Date;
  service?: string;
}

/** The IAM calls of a rotation; each is signed with the credentials passed to it. */
export interface IamPort {
  listAccessKeys(signer: Credentials, userName: string): Promise<AccessKey[]>;
  /** The caller masks the secret the moment this returns. */
  createAccessKey(signer: Credentials, userName: string): Promise<NewAccessKey>;
  updateAccessKey(
    signer: Credentials,
    userName: string,
    keyId: string,
    status: KeyStatus,
  ): Promise<void>;
  deleteAccessKey(signer: Credentials, userName: string, keyId: string): Promise<void>;
  getAccessKeyLastUsed(signer: Credentials, keyId: string): Promise<KeyLastUsed>;
}

/** GetCallerIdentity, signed with the credentials given. */
export interface IdentityPort {
  getCallerIdentity(signer: Credentials): Promise<{ arn: string; accountId: string }>;
}

/** A scope's public key for sealing secrets. */
export interface PublicKey {
  keyId: string;
  /** Base64 curve25519 public key. */
  key: string;
}

/** Who may read an organization secret; kept exactly as found. */
export interface OrgSharing {
  visibility: 'all' | 'private' | 'selected';
  /** With `selected`: every repository ID, all pages. */
  selectedRepositoryIds?: number[];
}

/** A sealed value ready for the PUT body. */
export interface SealedValue {
  encryptedValue: string;
  keyId: string;
}

/** GitHub's secrets endpoints. Errors carry `status` (HTTP) as Octokit's do. */
export interface SecretsPort {
  getPublicKey(scope: Scope): Promise<PublicKey>;
  /** Whether an environment exists (false on 404). */
  environmentExists(owner: string, repo: string, environment: string): Promise<boolean>;
  /** An organization secret's visibility and selected repositories; undefined when it does not exist. */
  getOrgSecret(org: string, name: string): Promise<OrgSharing | undefined>;
  /** Creates or replaces a secret; organization secrets need their sharing. */
  putSecret(scope: Scope, name: string, value: SealedValue, sharing?: OrgSharing): Promise<void>;
  /** Names of the secrets of a repository or environment (all pages). */
  listSecretNames(scope: Scope): Promise<string[]>;
  /** Names of a repository's environments (all pages). */
  listEnvironments(owner: string, repo: string): Promise<string[]>;
}

/** Seals `value` for a scope's base64 public key (libsodium crypto_box_seal, base64 out). */
export type Seal = (value: string, publicKey: string) => Promise<string>;

/** Where the engine logs: the runner port's logging part. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
