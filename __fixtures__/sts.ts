/**
 * A fake {@link StsPort}: records every call with the credentials that signed it, answers
 * with credentials derived from the role (so tests can tell hops apart), fails on demand,
 * and can hold calls open to prove which ones are in flight together.
 */
import type { Credentials, Session } from '../src/aws/credentials.js';
import type { AssumeRequest, StsPort } from '../src/aws/sts.js';

export type StsCall =
  | { op: 'assumeRole'; signer: Credentials; request: AssumeRequest }
  | { op: 'assumeRoleWithWebIdentity'; token: string; request: AssumeRequest }
  | { op: 'getSessionToken'; signer: Credentials; durationSeconds: number }
  | { op: 'getCallerIdentity'; signer: Credentials };

/** An error shaped like the AWS SDK's service exceptions. */
export function awsError(name: string, message = `${name} error`, httpStatusCode?: number): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, {
    $fault: httpStatusCode !== undefined && httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });
}

/** A promise with its resolve and reject exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
  settled: boolean;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const d: Deferred<T> = {
    promise: new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    }),
    resolve: (v) => {
      d.settled = true;
      resolve(v);
    },
    reject: (e) => {
      d.settled = true;
      reject(e);
    },
    settled: false,
  };
  return d;
}

/** Lets pending promise callbacks run (a few turns of the microtask and timer queues). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** The account and role name out of a role ARN. */
function partsOf(roleArn: string): { account: string; name: string } {
  const [, , , , account = '', resource = ''] = roleArn.split(':');
  return { account, name: resource.split('/').at(-1) ?? '' };
}

/** A call held open by {@link FakeSts.hold}. */
export interface HeldCall {
  call: StsCall;
  /** Lets the call go on: it answers (or fails) as it would have without the hold. */
  release: () => void;
}

export interface FakeStsOptions {
  /** The identity of the base credentials (GetCallerIdentity with a key not issued here). */
  baseIdentity?: { arn: string; accountId: string };
  /** Account that an assumed role lands in, by role ARN (default: the ARN's account). */
  accountOf?: Record<string, string>;
}

export class FakeSts implements StsPort {
  readonly calls: StsCall[] = [];
  /** Calls in flight, while {@link hold} is on. */
  readonly held: HeldCall[] = [];
  private readonly failures = new Map<string, Error[]>();
  private readonly issued = new Map<string, { arn: string; accountId: string }>();
  private holding = false;
  private seq = 0;

  constructor(private readonly options: FakeStsOptions = {}) {}

  /** Makes the next calls for `key` (a role ARN, or an op name) fail with `errors`, in order. */
  fail(key: string, ...errors: Error[]): this {
    this.failures.set(key, [...(this.failures.get(key) ?? []), ...errors]);
    return this;
  }

  /** Holds every later call until released. */
  hold(): this {
    this.holding = true;
    return this;
  }

  /** Releases every held call. */
  releaseAll(): void {
    for (const h of this.held.splice(0)) h.release();
  }

  /** The calls of one kind. */
  callsOf<K extends StsCall['op']>(op: K): Extract<StsCall, { op: K }>[] {
    return this.calls.filter((c): c is Extract<StsCall, { op: K }> => c.op === op);
  }

  /** Role ARNs of AssumeRole / AssumeRoleWithWebIdentity calls, in call order. */
  get assumedRoles(): string[] {
    return this.calls.flatMap((c) => ('request' in c ? [c.request.roleArn] : []));
  }

  /** Every secret this fake handed out (access key IDs, secrets, tokens). */
  readonly secretsIssued: string[] = [];

  assumeRole(signer: Credentials, request: AssumeRequest): Promise<Session> {
    return this.answer({ op: 'assumeRole', signer, request }, () => this.session(request));
  }

  assumeRoleWithWebIdentity(token: string, request: AssumeRequest): Promise<Session> {
    return this.answer({ op: 'assumeRoleWithWebIdentity', token, request }, () =>
      this.session(request),
    );
  }

  getSessionToken(signer: Credentials, durationSeconds: number): Promise<Credentials> {
    return this.answer({ op: 'getSessionToken', signer, durationSeconds }, () => {
      const identity = this.identityOf(signer);
      const credentials = this.credentials('session');
      this.issued.set(credentials.accessKeyId, identity);
      return credentials;
    });
  }

  getCallerIdentity(signer: Credentials): Promise<{ arn: string; accountId: string }> {
    return this.answer({ op: 'getCallerIdentity', signer }, () => this.identityOf(signer));
  }

  private identityOf(signer: Credentials): { arn: string; accountId: string } {
    return (
      this.issued.get(signer.accessKeyId) ??
      this.options.baseIdentity ?? {
        arn: 'arn:aws:iam::111122223333:user/ci',
        accountId: '111122223333',
      }
    );
  }

  private session(request: AssumeRequest): Session {
    const { account, name } = partsOf(request.roleArn);
    const accountId = this.options.accountOf?.[request.roleArn] ?? account;
    const arn = `arn:aws:sts::${accountId}:assumed-role/${name}/${request.sessionName}`;
    const credentials = this.credentials(name);
    this.issued.set(credentials.accessKeyId, { arn, accountId });
    return { credentials, arn, accountId };
  }

  private credentials(label: string): Credentials {
    const n = ++this.seq;
    const credentials: Credentials = {
      accessKeyId: `ASIA${label.toUpperCase().replace(/[^A-Z0-9]/g, '')}${String(n).padStart(4, '0')}`,
      secretAccessKey: `secret-${label}-${n}-wJalrXUtnFEMI`,
      sessionToken: `token-${label}-${n}-FwoGZXIvYXdzEJr`,
      expiration: new Date(Date.UTC(2030, 0, 1, 0, n)),
    };
    for (const v of [
      credentials.accessKeyId,
      credentials.secretAccessKey,
      credentials.sessionToken ?? '',
    ]) {
      this.secretsIssued.push(v);
    }
    return credentials;
  }

  private answer<T>(call: StsCall, succeed: () => T): Promise<T> {
    this.calls.push(call);
    const key = 'request' in call ? call.request.roleArn : call.op;
    const go = (): Promise<T> => {
      const err = this.failures.get(key)?.shift();
      if (err) return Promise.reject(err);
      return Promise.resolve(succeed());
    };
    if (!this.holding) return go();
    const gate = deferred<void>();
    this.held.push({ call, release: () => gate.resolve() });
    return gate.promise.then(go);
  }
}

export function fakeSts(options: FakeStsOptions = {}): FakeSts {
  return new FakeSts(options);
}
