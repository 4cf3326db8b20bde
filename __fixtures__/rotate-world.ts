/**
 * The world of the rotation integration tests: moto (signature checking on) behind the fault
 * proxy, the GitHub secrets fake, an IAM user `ci-bot` (path `/ci/`) whose policy is exactly
 * the one the README asks for, and three targets (repository, environment, organization)
 * seeded with the user's key. `run()` runs the BUNDLED dist/rotate as the runner does;
 * `post()` runs dist/rotate-cleanup with main's state and inputs.
 *
 * moto facts the checks rely on: a deleted key gets InvalidClientTokenId; an Inactive key
 * still authenticates in moto (AWS refuses it), so "Inactive" is read from ListAccessKeys
 * (moto's state), never inferred from a failed call.
 */
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  startGithubFake,
  type GithubFake,
  type SecretTarget,
} from '../__tests__/integration/support/github-fake.js';
import { assertNoLeaks } from '../__tests__/integration/support/leaks.js';
import {
  allowPolicy,
  startMoto,
  type Moto,
  type MotoUser,
} from '../__tests__/integration/support/moto.js';
import { startProxy, type StsProxy } from '../__tests__/integration/support/proxy.js';
import { runPost, runStep, type StepResult } from '../__tests__/integration/support/runner.js';
import { NODE24 } from '../__tests__/integration/support/nodes.js';

const ROOT = process.cwd();
export const ROTATE = resolve(ROOT, 'dist/rotate/index.js');
export const ROTATE_CLEANUP = resolve(ROOT, 'dist/rotate-cleanup/index.js');
/** The action runs on node24 (rotate/action.yml). */
export const NODE = NODE24;

/** The policy the README gives, on the user itself (moto evaluates `Resource: *` only). */
export const ROTATION_ACTIONS = [
  'iam:ListAccessKeys',
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:DeleteAccessKey',
  'iam:GetAccessKeyLastUsed',
];

/** A target as the tests name it. */
export interface TestTarget {
  line: string;
  where: SecretTarget;
  idName: string;
  secretName: string;
}

export const REPO: TestTarget = {
  line: 'repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  where: { kind: 'repo', repo: 'octo/app' },
  idName: 'AWS_ACCESS_KEY_ID',
  secretName: 'AWS_SECRET_ACCESS_KEY',
};
export const ENV: TestTarget = {
  line: 'env:octo/app/production AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  where: { kind: 'env', repo: 'octo/app', env: 'production' },
  idName: 'AWS_ACCESS_KEY_ID',
  secretName: 'AWS_SECRET_ACCESS_KEY',
};
export const ORG: TestTarget = {
  line: 'org:octo CI_AWS_KEY_ID CI_AWS_SECRET',
  where: { kind: 'org', org: 'octo' },
  idName: 'CI_AWS_KEY_ID',
  secretName: 'CI_AWS_SECRET',
};

/** A key pair. */
export interface Pair {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Options of one run. */
export interface RunOptions {
  /** Inputs on top of the defaults (fast verification). */
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  token?: string;
}

/** One test's world; make it with `createWorld` in beforeEach and `close` it after. */
export class World {
  /** Every secret that appeared in this test (input and new secrets): the leak detector's list. */
  readonly secrets = new Set<string>();
  /** Every step result, for the leak check at the end. */
  readonly results: StepResult[] = [];
  targets: TestTarget[] = [REPO, ENV, ORG];

  constructor(
    readonly moto: Moto,
    readonly proxy: StsProxy,
    readonly gh: GithubFake,
    public user: MotoUser,
  ) {
    this.secrets.add(user.secretAccessKey);
    // The tokens are secrets too: the action masks the one it is given and must print neither.
    this.secrets.add(gh.token);
    this.secrets.add(gh.readOnlyToken);
  }

  get initial(): Pair {
    return { accessKeyId: this.user.accessKeyId, secretAccessKey: this.user.secretAccessKey };
  }

  /** Inputs for a run with `pair`: short verification delays so the suite stays fast. */
  inputs(
    pair: Pair,
    extra: Record<string, string> = {},
    token = this.gh.token,
  ): Record<string, string> {
    return {
      'aws-access-key-id': pair.accessKeyId,
      'aws-secret-access-key': pair.secretAccessKey,
      'aws-region': 'eu-west-1',
      'github-token': token,
      targets: this.targets.map((t) => t.line).join('\n'),
      'verify-successes': '3',
      'verify-interval-seconds': '0.01',
      'verify-timeout-seconds': '3',
      ...extra,
    };
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { AWS_ENDPOINT_URL: this.proxy.url, GITHUB_API_URL: this.gh.url, ...extra };
  }

  /** Runs the bundled main step with `pair` as the input key. */
  async run(pair: Pair, o: RunOptions = {}): Promise<StepResult> {
    const result = await runStep({
      entry: ROTATE,
      node: NODE,
      inputs: this.inputs(pair, o.inputs, o.token),
      env: this.env(o.env),
      timeoutMs: o.timeoutMs ?? 30_000,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    await this.collect(result);
    return result;
  }

  /** Runs the bundled post step after `main`, as the runner does (same inputs, main's state). */
  async post(main: StepResult): Promise<StepResult> {
    const result = await runPost(main, { entry: ROTATE_CLEANUP, node: NODE, timeoutMs: 30_000 });
    await this.collect(result);
    return result;
  }

  /** Records every secret moto knows for the user (new keys included) and checks the run leaked none. */
  private async collect(result: StepResult): Promise<void> {
    this.results.push(result);
    for (const k of (await this.moto.state()).accessKeys)
      if (k.userName === this.user.userName) this.secrets.add(k.secretAccessKey);
    for (const t of this.targets) {
      const s = this.gh.secret(t.where, t.secretName)?.value;
      if (s) this.secrets.add(s);
    }
    assertNoLeaks(result, [...this.secrets]);
  }

  /** The pair a target holds now (the fake opened the sealed boxes). */
  stored(t: TestTarget): Pair {
    return {
      accessKeyId: this.gh.secret(t.where, t.idName)?.value ?? '',
      secretAccessKey: this.gh.secret(t.where, t.secretName)?.value ?? '',
    };
  }

  /**
   * The user's keys: ListAccessKeys (as admin) for which exist and their status, and moto's
   * state for their secrets. (moto's data.json still lists deleted keys, so it alone is not enough.)
   */
  async keys(): Promise<{ id: string; status: string; secret: string }[]> {
    const listed =
      (await this.moto.iam().send(new ListAccessKeysCommand({ UserName: this.user.userName })))
        .AccessKeyMetadata ?? [];
    const state = (await this.moto.state()).accessKeys;
    return listed.map((k) => ({
      id: k.AccessKeyId ?? '',
      status: k.Status ?? '',
      secret: state.find((s) => s.accessKeyId === k.AccessKeyId)?.secretAccessKey ?? '',
    }));
  }

  /**
   * The invariant: every target's stored pair authenticates against moto as the user, and its
   * key is Active (moto lets an Inactive key authenticate, so the status comes from moto's list).
   */
  async assertInvariant(targets = this.targets): Promise<void> {
    const keys = await this.keys();
    for (const t of targets) {
      const pair = this.stored(t);
      const arn = await this.moto
        .whoAmI(pair)
        .catch((err: unknown) => `refused: ${(err as Error).name}`);
      expect({ target: t.line, arn }).toEqual({ target: t.line, arn: this.user.arn });
      expect({
        target: t.line,
        status: keys.find((k) => k.id === pair.accessKeyId)?.status,
      }).toEqual({ target: t.line, status: 'Active' });
      expect({
        target: t.line,
        secretMatchesKey:
          keys.find((k) => k.id === pair.accessKeyId)?.secret === pair.secretAccessKey,
      }).toEqual({ target: t.line, secretMatchesKey: true });
    }
  }

  /** Every target holds the same pair; returns it. */
  sharedPair(): Pair {
    const pairs = this.targets.map((t) => this.stored(t));
    for (const p of pairs) expect(p).toEqual(pairs[0]);
    return pairs[0] ?? { accessKeyId: '', secretAccessKey: '' };
  }

  /**
   * The convergence check: a second, fault-free run with the pair the workflow would read
   * (the first target's, or `input`) succeeds; then the user has exactly one key, Active,
   * and every target holds it.
   */
  async assertConverges(
    input: Pair = this.stored(this.targets[0] ?? REPO),
    o: RunOptions = {},
  ): Promise<StepResult> {
    this.proxy.clearFaults();
    this.gh.clearFaults();
    const result = await this.run(input, o);
    expect({ code: result.code, outputs: result.outputs }).toEqual({
      code: 0,
      outputs: expect.objectContaining({ rotated: 'true' }) as unknown,
    });
    const keys = await this.keys();
    expect(keys).toHaveLength(1);
    expect(keys[0]?.status).toBe('Active');
    const pair = this.sharedPair();
    expect(pair.accessKeyId).toBe(keys[0]?.id);
    expect(result.outputs['new-access-key-id']).toBe(pair.accessKeyId);
    await this.assertInvariant();
    return result;
  }

  /** Shares the organization target's secrets with `count` more repositories (visibility selected). */
  shareOrg(count: number): number[] {
    const ids = [42, ...Array.from({ length: count }, (_, i) => 1000 + i)];
    for (const id of ids.slice(1)) this.gh.addRepo(`octo/r${id}`, id);
    const pair = this.stored(ORG);
    this.gh.setSecret(ORG.where, ORG.idName, pair.accessKeyId, {
      visibility: 'selected',
      selectedRepositoryIds: ids,
    });
    this.gh.setSecret(ORG.where, ORG.secretName, pair.secretAccessKey, {
      visibility: 'selected',
      selectedRepositoryIds: ids,
    });
    return ids;
  }

  async close(): Promise<void> {
    await this.gh.stop();
  }
}

/** Resets moto and the proxy, starts a fresh GitHub fake, makes the user and seeds every target. */
export async function createWorld(moto: Moto, proxy: StsProxy): Promise<World> {
  await moto.reset();
  proxy.clearFaults();
  proxy.clear();
  const user = await moto.createUser('ci-bot', {
    path: '/ci/',
    policy: allowPolicy(ROTATION_ACTIONS),
  });
  const gh = await startGithubFake();
  gh.addOrg('octo');
  gh.addRepo('octo/app', 42);
  gh.addEnvironment('octo/app', 'production');
  const world = new World(moto, proxy, gh, user);
  for (const t of world.targets) {
    const sharing = t.where.kind === 'org' ? { visibility: 'private' as const } : undefined;
    gh.setSecret(t.where, t.idName, user.accessKeyId, sharing);
    gh.setSecret(t.where, t.secretName, user.secretAccessKey, sharing);
  }
  return world;
}

/** Resolves once `check` holds (polled), or throws after `ms`. */
export async function waitFor(
  check: () => boolean,
  ms = 15_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

/** The shared parts of a rotation test file: one moto and proxy per file, a fresh world per test. */
export interface Suite {
  readonly moto: Moto;
  readonly proxy: StsProxy;
  readonly w: World;
}

/** Registers the hooks of a rotation test file (call it at the top level of the file). */
export function rotationSuite(): Suite {
  let moto: Moto | undefined;
  let proxy: StsProxy | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    for (const bundle of [ROTATE, ROTATE_CLEANUP])
      if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
    moto = await startMoto();
    proxy = await startProxy({ moto });
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    if (!moto || !proxy) throw new Error('moto did not start');
    world = await createWorld(moto, proxy);
  });
  afterEach(async () => {
    await world?.close();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the suite is not set up');
    return v;
  };
  return {
    get moto() {
      return need(moto);
    },
    get proxy() {
      return need(proxy);
    },
    get w() {
      return need(world);
    },
  };
}
