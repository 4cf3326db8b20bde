/**
 * In-memory fakes of the rotation's ports, for engine tests: one IAM user whose keys
 * authenticate exactly like moto's with signature checking on (a deleted key or a wrong
 * secret is refused), and GitHub secrets scopes that "seal" with a readable envelope and
 * check the key id like GitHub does. Faults are queued per operation.
 */
import type { Credentials } from '../src/aws/credentials.js';
import type {
  AccessKey,
  IamPort,
  IdentityPort,
  KeyStatus,
  OrgSharing,
  PublicKey,
  SealedValue,
  SecretsPort,
  Seal,
} from '../src/rotate/ports.js';
import { scopeLabel, type Scope } from '../src/rotate/targets.js';
import { awsError } from './sts.js';

export { awsError };

export const ACCOUNT = '123456789012';
export const USER_NAME = 'ci-bot';
export const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/ci/${USER_NAME}`;
export const OLD: Credentials = {
  accessKeyId: 'AKIAOLDOLDOLDOLD0001',
  secretAccessKey: 'oldSecretOldSecretOldSecret0000000000001',
};

/** A GitHub error as Octokit throws it. */
export function githubError(
  status: number,
  message = `HTTP ${status}`,
  headers: Record<string, string> = {},
): Error {
  return Object.assign(new Error(message), { status, response: { headers } });
}

/** When a fault applies, and whether the operation happens before the error (a lost answer). */
export interface FaultOptions {
  /** How many matching calls fail (default 1). */
  times?: number;
  /** Matching calls to let through first. */
  skip?: number;
  /** Only calls this accepts. */
  when?: (call: Call) => boolean;
  /** Perform the operation, then throw (an answer lost after the work was done). */
  after?: boolean;
}

/** One recorded call. */
export interface Call {
  op: string;
  signer?: string;
  keyId?: string;
  scope?: string;
  name?: string;
}

interface Fault extends Required<Omit<FaultOptions, 'when'>> {
  op: string;
  when?: (call: Call) => boolean;
  error: Error | (() => Error);
}

class Faults {
  private readonly list: Fault[] = [];
  readonly calls: Call[] = [];

  add(op: string, error: Error | (() => Error), o: FaultOptions = {}): void {
    this.list.push({
      op,
      error,
      times: o.times ?? 1,
      skip: o.skip ?? 0,
      after: o.after ?? false,
      ...(o.when ? { when: o.when } : {}),
    });
  }

  /** Records the call; runs `act` and throws per the first matching fault. */
  async run<T>(call: Call, act: () => T | Promise<T>): Promise<T> {
    this.calls.push(call);
    const fault = this.list.find(
      (f) =>
        f.op === call.op &&
        f.times > 0 &&
        (f.when?.(call) ?? true) &&
        (f.skip > 0 ? (f.skip--, false) : true),
    );
    if (!fault) return act();
    fault.times--;
    if (fault.after) await act();
    throw typeof fault.error === 'function' ? fault.error() : fault.error;
  }

  count(op: string, when?: (c: Call) => boolean): number {
    return this.calls.filter((c) => c.op === op && (when?.(c) ?? true)).length;
  }
}

interface StoredKey {
  secret: string;
  status: KeyStatus;
  createdAt: Date;
  lastUsed?: Date;
}

/** IAM and STS for one user. */
export class FakeAws implements IamPort, IdentityPort {
  readonly keys = new Map<string, StoredKey>();
  readonly faults = new Faults();
  arn = USER_ARN;
  /**
   * Whom GetCallerIdentity names for a key: the user by default. A test replaces it to make a
   * key answer as another principal of the account (a key of someone else, pasted by mistake).
   */
  identityOf: (accessKeyId: string) => string = () => this.arn;
  private seq = 1;

  constructor(now = new Date('2026-01-01T00:00:00Z')) {
    this.keys.set(OLD.accessKeyId, {
      secret: OLD.secretAccessKey,
      status: 'Active',
      createdAt: now,
    });
  }

  fail(op: string, error: Error | (() => Error), o?: FaultOptions): void {
    this.faults.add(op, error, o);
  }

  get calls(): Call[] {
    return this.faults.calls;
  }

  /** Adds a key (a second key, or a key from a past run). */
  addKey(id: string, status: KeyStatus, o: { lastUsed?: Date; createdAt?: Date } = {}): void {
    this.keys.set(id, {
      secret: `secret-of-${id}-padding-padding`,
      status,
      createdAt: o.createdAt ?? new Date('2025-06-01T00:00:00Z'),
      ...(o.lastUsed ? { lastUsed: o.lastUsed } : {}),
    });
  }

  /** IDs of the keys, in creation order. */
  ids(): string[] {
    return [...this.keys.keys()];
  }

  status(id: string): KeyStatus | undefined {
    return this.keys.get(id)?.status;
  }

  /** Whether a pair authenticates (like moto: Inactive keys do too). */
  works(c: Credentials): boolean {
    return this.keys.get(c.accessKeyId)?.secret === c.secretAccessKey;
  }

  private auth(signer: Credentials): void {
    if (!this.works(signer))
      throw awsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
  }

  private call(op: string, signer: Credentials, extra: Partial<Call> = {}): Call {
    return { op, signer: signer.accessKeyId, ...extra };
  }

  getCallerIdentity(signer: Credentials): Promise<{ arn: string; accountId: string }> {
    return this.faults.run(this.call('GetCallerIdentity', signer), () => {
      this.auth(signer);
      return { arn: this.identityOf(signer.accessKeyId), accountId: ACCOUNT };
    });
  }

  listAccessKeys(signer: Credentials, userName: string): Promise<AccessKey[]> {
    return this.faults.run(this.call('ListAccessKeys', signer), () => {
      this.auth(signer);
      expect(userName).toBe(USER_NAME);
      return [...this.keys].map(([id, k]) => ({ id, status: k.status, createdAt: k.createdAt }));
    });
  }

  createAccessKey(signer: Credentials, userName: string): Promise<{ id: string; secret: string }> {
    return this.faults.run(this.call('CreateAccessKey', signer), () => {
      this.auth(signer);
      expect(userName).toBe(USER_NAME);
      if (this.keys.size >= 2)
        throw awsError(
          'LimitExceededException',
          'Cannot exceed quota for AccessKeysPerUser: 2',
          409,
        );
      const id = `AKIANEWNEWNEWNEW000${this.seq++}`;
      const secret = `newSecret${id}newSecretnewSecret`;
      this.keys.set(id, { secret, status: 'Active', createdAt: new Date() });
      return { id, secret };
    });
  }

  updateAccessKey(
    signer: Credentials,
    userName: string,
    keyId: string,
    status: KeyStatus,
  ): Promise<void> {
    return this.faults.run(this.call('UpdateAccessKey', signer, { keyId, name: status }), () => {
      this.auth(signer);
      expect(userName).toBe(USER_NAME);
      const key = this.keys.get(keyId);
      if (!key)
        throw awsError(
          'NoSuchEntityException',
          `The Access Key with id ${keyId} cannot be found`,
          404,
        );
      key.status = status;
    });
  }

  deleteAccessKey(signer: Credentials, userName: string, keyId: string): Promise<void> {
    return this.faults.run(this.call('DeleteAccessKey', signer, { keyId }), () => {
      this.auth(signer);
      expect(userName).toBe(USER_NAME);
      if (!this.keys.delete(keyId))
        throw awsError(
          'NoSuchEntityException',
          `The Access Key with id ${keyId} cannot be found`,
          404,
        );
    });
  }

  getAccessKeyLastUsed(signer: Credentials, keyId: string): Promise<{ date?: Date }> {
    return this.faults.run(this.call('GetAccessKeyLastUsed', signer, { keyId }), () => {
      this.auth(signer);
      const used = this.keys.get(keyId)?.lastUsed;
      return used ? { date: used } : {};
    });
  }
}

/** The fake's sealed envelope: readable, and bound to the public key it was sealed for. */
export const fakeSeal: Seal = async (value, publicKey) =>
  `sealed(${publicKey}):${Buffer.from(value).toString('base64')}`;

function open(sealed: string, publicKey: string): string | undefined {
  const prefix = `sealed(${publicKey}):`;
  return sealed.startsWith(prefix)
    ? Buffer.from(sealed.slice(prefix.length), 'base64').toString()
    : undefined;
}

interface FakeScope {
  key: PublicKey;
  secrets: Map<string, { value: string; sharing?: OrgSharing; writes: number }>;
}

/** GitHub secrets scopes. */
export class FakeGithub implements SecretsPort {
  readonly faults = new Faults();
  private readonly scopes = new Map<string, FakeScope>();
  readonly environments = new Set<string>();
  private seq = 1;

  fail(op: string, error: Error | (() => Error), o?: FaultOptions): void {
    this.faults.add(op, error, o);
  }

  get calls(): Call[] {
    return this.faults.calls;
  }

  private scope(scope: Scope | string): FakeScope {
    const label = typeof scope === 'string' ? scope : scopeLabel(scope);
    let s = this.scopes.get(label);
    if (!s) {
      s = { key: { keyId: `kid-${this.seq}`, key: `pk-${this.seq++}` }, secrets: new Map() };
      this.scopes.set(label, s);
    }
    return s;
  }

  /** Seeds a secret. */
  set(scope: Scope | string, name: string, value: string, sharing?: OrgSharing): void {
    this.scope(scope).secrets.set(name, { value, writes: 0, ...(sharing ? { sharing } : {}) });
  }

  remove(scope: Scope | string, name: string): void {
    this.scope(scope).secrets.delete(name);
  }

  get(scope: Scope | string, name: string): string | undefined {
    return this.scope(scope).secrets.get(name)?.value;
  }

  sharing(scope: Scope | string, name: string): OrgSharing | undefined {
    return this.scope(scope).secrets.get(name)?.sharing;
  }

  writes(scope: Scope | string, name: string): number {
    return this.scope(scope).secrets.get(name)?.writes ?? 0;
  }

  /** Gives a scope a new public key (a client holding the old key id then gets 422). */
  rotateKey(scope: Scope | string): void {
    this.scope(scope).key = { keyId: `kid-${this.seq}`, key: `pk-${this.seq++}` };
  }

  getPublicKey(scope: Scope): Promise<PublicKey> {
    return this.faults.run({ op: 'getPublicKey', scope: scopeLabel(scope) }, () => ({
      ...this.scope(scope).key,
    }));
  }

  environmentExists(owner: string, repo: string, environment: string): Promise<boolean> {
    return this.faults.run(
      { op: 'environmentExists', scope: `env:${owner}/${repo}/${environment}` },
      () => this.environments.has(`env:${owner}/${repo}/${environment}`),
    );
  }

  getOrgSecret(org: string, name: string): Promise<OrgSharing | undefined> {
    return this.faults.run({ op: 'getOrgSecret', scope: `org:${org}`, name }, () => {
      const s = this.scope(`org:${org}`).secrets.get(name);
      return s?.sharing ? structuredClone(s.sharing) : undefined;
    });
  }

  putSecret(scope: Scope, name: string, value: SealedValue, sharing?: OrgSharing): Promise<void> {
    return this.faults.run({ op: 'putSecret', scope: scopeLabel(scope), name }, () => {
      const s = this.scope(scope);
      if (value.keyId !== s.key.keyId)
        throw githubError(
          422,
          `Invalid request.\n\nkey_id ${value.keyId} is not the current public key.`,
        );
      const plain = open(value.encryptedValue, s.key.key);
      if (plain === undefined)
        throw githubError(422, 'Invalid request.\n\nencrypted_value could not be decrypted.');
      if (scope.kind === 'org' && !sharing)
        throw githubError(422, 'Invalid request.\n\n"visibility" wasn\'t supplied.');
      const old = s.secrets.get(name);
      s.secrets.set(name, {
        value: plain,
        writes: (old?.writes ?? 0) + 1,
        ...(sharing ? { sharing: structuredClone(sharing) } : {}),
      });
    });
  }

  listSecretNames(scope: Scope): Promise<string[]> {
    return this.faults.run({ op: 'listSecretNames', scope: scopeLabel(scope) }, () => [
      ...this.scope(scope).secrets.keys(),
    ]);
  }

  listEnvironments(owner: string, repo: string): Promise<string[]> {
    return this.faults.run({ op: 'listEnvironments', scope: `repo:${owner}/${repo}` }, () =>
      [...this.environments]
        .filter((e) => e.startsWith(`env:${owner}/${repo}/`))
        .map((e) => e.slice(`env:${owner}/${repo}/`.length)),
    );
  }
}
