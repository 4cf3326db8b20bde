/**
 * `npm run bench -- --network [--rtt 40] [--before REF] [--peer PATH] [--only REGEX]`: the action
 * against STS over HTTPS with a set round-trip time (see net-lab.ts), beside the same runs with no
 * delay; --only keeps the scenarios whose name matches REGEX.
 * Per scenario: wall and CPU time, STS requests, TCP connections, TLS handshakes, and the
 * network time in round trips: the median over interleaved rounds of (wall at --rtt − wall at
 * 0 ms, run back to back) / rtt, and (fastest at --rtt − fastest at 0 ms) / rtt, which a loaded
 * machine disturbs less. Every program, the `node -e 0` floor included, gets the same
 * NODE_EXTRA_CA_CERTS.
 *
 * Rows: this tree's dist/ ("ours"), the dist/ of REF ("today", default the merge base with
 * main) and, with --peer, configure-aws-credentials' committed bundle run the same way (a
 * two-role chain is two of its steps, the second with role-chaining). Our regional-endpoint
 * path is reached through AWS_CONNECTION_STS_STAND_IN (so is today's, when REF knows it); the
 * others get AWS_ENDPOINT_URL_STS.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto, type MotoUser } from '../__tests__/integration/support/moto.js';
import { startProxy, type StsProxy } from '../__tests__/integration/support/proxy.js';
import { runStep, type StepResult } from '../__tests__/integration/support/runner.js';
import { makeRoles, type BenchRoles } from './bench-roles.js';
import { makeCa, startRelay, startTerminator, type Relay, type Terminator } from './net-lab.js';
import { profileEnvironment, runFloor, spawnTimed } from './bench-spawn.js';

const USAGE = resolve('scripts/usage.cjs');
const STAND_IN = 'AWS_CONNECTION_STS_STAND_IN';

/** What one run of a scenario measured. */
interface Sample {
  wallMs: number;
  cpuMs: number;
  requests: number;
  connections: number;
  handshakes: number;
  ok: boolean;
}

/** A program under test and how it is reached. */
interface Variant {
  label: string;
  dist: string;
  /** The environment that points it at `relay`. */
  endpointEnv: (relay: Relay) => Record<string, string>;
}

interface Scenario {
  name: string;
  run: (relay: Relay, usage: string) => Promise<{ wallMs: number; ok: boolean }>;
}

interface Options {
  rttMs: number;
  rounds: number;
  node: string;
  before: string;
  peer?: string;
  /** Only the scenarios whose name matches (the floor always runs). */
  only?: RegExp;
}

function parseArgs(argv: string[], node: string): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i < 0 ? undefined : argv[i + 1];
  };
  const peer = value('--peer') ?? process.env['BENCH_PEER'];
  const only = value('--only');
  return {
    ...(only === undefined ? {} : { only: new RegExp(only) }),
    rttMs: Number(value('--rtt') ?? 40),
    rounds: Number(process.env['BENCH_ROUNDS'] ?? 7),
    node,
    before: value('--before') ?? execSync('git merge-base HEAD main', { encoding: 'utf8' }).trim(),
    ...(peer === undefined ? {} : { peer: resolve(peer) }),
  };
}

/** The dist/ folder of `ref`, in a temporary folder. */
function distOf(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-before-'));
  execSync(`git archive ${ref} dist | tar -x -C ${dir}`);
  return join(dir, 'dist');
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Runs the network benchmark; `node` is the runtime to measure. */
export async function networkBench(argv: string[], node: string): Promise<void> {
  const opts = parseArgs(argv, node);
  const ca = makeCa();
  if (typeof ca === 'string') {
    console.error(`${ca}: the network mode needs the openssl CLI.`);
    process.exitCode = 1;
    return;
  }
  const moto = await startMoto();
  const proxy = await startProxy({ moto });
  const terminator = await startTerminator(ca, Number(new URL(proxy.url).port));
  const relays = [
    await startRelay(terminator.port, 0),
    await startRelay(terminator.port, opts.rttMs),
  ];
  try {
    const user = await moto.createUser('ci');
    const roles = await makeRoles(moto, user);
    const common = { NODE_EXTRA_CA_CERTS: ca.certFile };
    const ours: Variant = {
      label: 'ours',
      dist: 'dist',
      endpointEnv: (r) => ({ ...common, [STAND_IN]: r.url }),
    };
    const configured: Variant = {
      label: 'ours, sts endpoint configured',
      dist: 'dist',
      endpointEnv: (r) => ({ ...common, AWS_ENDPOINT_URL_STS: r.url }),
    };
    const todayDist = distOf(opts.before);
    // A REF that knows the stand-in takes the regional-endpoint path as ours does.
    const todayKnowsStandIn = readFileSync(join(todayDist, 'main/index.js'), 'utf8').includes(
      STAND_IN,
    );
    const today: Variant = {
      label: 'today',
      dist: todayDist,
      endpointEnv: (r) => ({
        ...common,
        [todayKnowsStandIn ? STAND_IN : 'AWS_ENDPOINT_URL_STS']: r.url,
      }),
    };
    const scenarios: Scenario[] = [
      {
        name: 'node -e 0 (floor)',
        run: (_r, usage) => runFloor(opts.node, USAGE, usage, common),
      },
    ];
    for (const v of [today, ours]) scenarios.push(...actionScenarios(v, opts, user, roles));
    scenarios.push(actionScenarios(configured, opts, user, roles)[1] as Scenario);
    for (const v of [today, ours])
      scenarios.push(await refreshScenario(v, opts, user, roles, relays));
    if (opts.peer) scenarios.push(...peerScenarios(opts.peer, opts, user, roles, common));
    if (opts.only !== undefined) {
      const only = opts.only;
      scenarios.splice(
        0,
        scenarios.length,
        ...scenarios.filter((s, i) => i === 0 || only.test(s.name)),
      );
    }

    const samples = new Map<string, Sample[][]>(scenarios.map((s) => [s.name, [[], []]]));
    for (let round = 0; round < opts.rounds; round++)
      for (const s of scenarios)
        for (const [i, relay] of relays.entries())
          samples.get(s.name)?.[i]?.push(await measure(s, relay, proxy, terminator));
    report(scenarios, samples, opts);
    await labParallelism(relays[0] as Relay, ca.cert, opts.rounds);
  } finally {
    await Promise.all([...relays.map((r) => r.stop()), terminator.stop(), proxy.stop()]);
    await moto.stop();
  }
}

async function measure(
  s: Scenario,
  relay: Relay,
  proxy: StsProxy,
  terminator: Terminator,
): Promise<Sample> {
  const usage = join(mkdtempSync(join(tmpdir(), 'bench-')), 'usage');
  writeFileSync(usage, '');
  const requests = proxy.count();
  const before = terminator.counts();
  const r = await s.run(relay, usage);
  // Connections close after the program exits: give the terminator a moment to count them.
  await new Promise((done) => setTimeout(done, 20));
  const after = terminator.counts();
  // Every process of the sample (a peer chain is two steps) appended its own line.
  const cpuMs = readFileSync(usage, 'utf8')
    .split('\n')
    .filter(Boolean)
    .reduce((n, l) => n + (JSON.parse(l) as { cpuMs: number }).cpuMs, 0);
  return {
    wallMs: r.wallMs,
    cpuMs,
    requests: proxy.count() - requests,
    connections: after.connections - before.connections,
    handshakes: after.handshakes - before.handshakes,
    ok: r.ok,
  };
}

const siblings = (roles: BenchRoles, n: number): string =>
  Array.from({ length: n }, (_, i) => `s${i}:\n  role-arn: ${roles.siblings[i] ?? ''}\n`).join('');

/**
 * One step of our action (or today's), run as the runner does. The user's key is an input, or
 * with `keysFrom: 'environment'` a profile that the SDK's default chain reads (see bench-spawn.ts).
 */
function step(
  v: Variant,
  opts: Options,
  user: MotoUser,
  inputs: Record<string, string>,
  keysFrom: 'inputs' | 'environment' = 'inputs',
): (relay: Relay, usage: string) => Promise<StepResult> {
  return (relay, usage) =>
    runStep({
      entry: join(v.dist, 'main/index.js'),
      node: opts.node,
      nodeArgs: ['--require', USAGE],
      inputs: {
        'aws-region': 'us-east-1',
        ...(keysFrom === 'inputs' && {
          'aws-access-key-id': user.accessKeyId,
          'aws-secret-access-key': user.secretAccessKey,
        }),
        ...inputs,
      },
      env: {
        ...v.endpointEnv(relay),
        ...(keysFrom === 'environment' && keyEnvironment(user)),
        BENCH_USAGE_FILE: usage,
      },
    });
}

const profiles = new Map<MotoUser, Record<string, string>>();
/** The user's profile environment, its file written once. */
function keyEnvironment(user: MotoUser): Record<string, string> {
  const env = profiles.get(user) ?? profileEnvironment(user);
  profiles.set(user, env);
  return env;
}

function actionScenarios(v: Variant, opts: Options, user: MotoUser, roles: BenchRoles): Scenario[] {
  const of = (name: string, inputs: Record<string, string>): Scenario => ({
    name: `${v.label}: ${name}`,
    run: async (relay, usage) => {
      const r = await step(v, opts, user, inputs)(relay, usage);
      if (r.code !== 0) console.error(`${v.label}: ${name}: ${r.stdout.slice(-400)}`);
      return { wallMs: r.durationMs, ok: r.code === 0 };
    },
  });
  return [
    of('keys alone', {}),
    of('one role', { 'role-to-assume': roles.chain[0] ?? '' }),
    of('two-role chain', { 'role-chain': roles.chain.slice(0, 2).join('\n') }),
    of('three-role chain', { 'role-chain': roles.chain.join('\n') }),
    of('one connection', { connections: siblings(roles, 1) }),
    of('four sibling connections', { connections: siblings(roles, 4) }),
  ];
}

/**
 * The refresh program on a cache miss, for the profile of one role that `v`'s main wrote. The
 * base is the default chain reading a profile: a key given as inputs (or as AWS_* variables)
 * renews through the credential agent, which holds the session in memory and leaves no file
 * cache to miss.
 */
async function refreshScenario(
  v: Variant,
  opts: Options,
  user: MotoUser,
  roles: BenchRoles,
  relays: Relay[],
): Promise<Scenario> {
  // One main per relay, run before measuring: today's main records its endpoint in the profile.
  const commands = new Map<Relay, { args: string[]; cache: string }>();
  for (const relay of relays) {
    const main = await step(
      v,
      opts,
      user,
      { 'role-to-assume': roles.chain[0] ?? '', refresh: 'true' },
      'environment',
    )(relay, '/dev/null');
    const config = main.env['AWS_CONFIG_FILE'];
    if (main.code !== 0 || !config) throw new Error(`${v.label}: refresh main failed`);
    const line =
      readFileSync(config, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('credential_process')) ?? '';
    // credential_process = NODE SCRIPT ARGS…: we run SCRIPT ARGS… with the measured node.
    const args = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '').slice(3);
    commands.set(relay, { args, cache: join(config, '..') });
  }
  return {
    name: `${v.label}: refresh program, cache miss`,
    run: async (relay, usage) => {
      const { args = [], cache = '' } = commands.get(relay) ?? {};
      for (const f of readdirSync(cache)) if (/cache/.test(f)) writeFileSync(join(cache, f), '');
      return spawnTimed(opts.node, ['--require', USAGE, ...args], {
        PATH: process.env['PATH'] ?? '',
        ...v.endpointEnv(relay),
        ...keyEnvironment(user),
        BENCH_USAGE_FILE: usage,
      });
    },
  };
}

/** configure-aws-credentials' committed bundle: one role, and a two-role chain in two steps. */
function peerScenarios(
  entry: string,
  opts: Options,
  user: MotoUser,
  roles: BenchRoles,
  common: Record<string, string>,
): Scenario[] {
  const run = (
    inputs: Record<string, string>,
    env: Record<string, string>,
    relay: Relay,
    usage: string,
  ) =>
    runStep({
      entry,
      node: opts.node,
      nodeArgs: ['--require', USAGE],
      inputs: { 'aws-region': 'us-east-1', ...inputs },
      env: {
        ...common,
        // Its session tags need what the runner sets for every action.
        GITHUB_ACTION: '__aws-actions_configure-aws-credentials',
        ...env,
        AWS_ENDPOINT_URL_STS: relay.url,
        BENCH_USAGE_FILE: usage,
      },
    });
  const keys = {
    'aws-access-key-id': user.accessKeyId,
    'aws-secret-access-key': user.secretAccessKey,
  };
  const hop = (i: number): Record<string, string> => ({
    'role-to-assume': roles.chain[i] ?? '',
    'role-external-id': `github:4040:100200300:chain:${i + 1}:r${i + 1}`,
  });
  const failed = (r: StepResult): boolean => {
    if (r.code !== 0) console.error(`peer: ${r.stdout.slice(-400)}`);
    return r.code !== 0;
  };
  return [
    {
      name: 'configure-aws-credentials: one role',
      run: async (relay, usage) => {
        const r = await run({ ...keys, ...hop(0) }, {}, relay, usage);
        return { wallMs: r.durationMs, ok: !failed(r) };
      },
    },
    {
      name: 'configure-aws-credentials: two-role chain (two steps)',
      run: async (relay, usage) => {
        const first = await run({ ...keys, ...hop(0) }, {}, relay, usage);
        const second = await run({ ...hop(1), 'role-chaining': 'true' }, first.env, relay, usage);
        return {
          wallMs: first.durationMs + second.durationMs,
          ok: !failed(first) && !failed(second),
        };
      },
    },
  ];
}

/**
 * What the lab itself adds to requests made together: one request (unsigned, so moto refuses it
 * at once) on a new TLS connection through the relay at 0 ms, against four of them in parallel.
 * The terminator and moto each answer one at a time on this machine, where STS would not: the
 * difference is time the sibling rows pay to the lab.
 */
async function labParallelism(relay: Relay, ca: Buffer, rounds: number): Promise<void> {
  const { request, Agent } = await import('node:https');
  const url = new URL(relay.url);
  const once = (): Promise<void> =>
    new Promise((done, fail) => {
      const r = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          agent: new Agent({ ca, keepAlive: false }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        (res) => {
          res.resume();
          res.on('end', done);
        },
      );
      r.on('error', fail);
      r.end('Action=GetCallerIdentity&Version=2011-06-15');
    });
  const one: number[] = [];
  const four: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await once();
    one.push(performance.now() - t);
    t = performance.now();
    await Promise.all([once(), once(), once(), once()]);
    four.push(performance.now() - t);
  }
  console.log(
    `the lab alone: one request on a new TLS connection ${median(one).toFixed(0)} ms, four in parallel ${median(four).toFixed(0)} ms (the terminator and moto answer one at a time; STS does not)`,
  );
}

function report(scenarios: Scenario[], samples: Map<string, Sample[][]>, opts: Options): void {
  const floor = samples.get('node -e 0 (floor)')?.[0] ?? [];
  const fw = median(floor.map((x) => x.wallMs));
  console.log(
    `\nNetwork mode: TLS terminator + relay, round trip ${opts.rttMs} ms, ${opts.rounds} interleaved rounds; "today" is ${opts.before.slice(0, 12)}; floor node -e 0 = ${fw.toFixed(0)} ms`,
  );
  const rows = [
    [
      'scenario',
      'wall ms @0',
      `wall ms @${opts.rttMs}`,
      'wall ×floor',
      'CPU ms',
      'requests',
      'TCP conns',
      'TLS handshakes',
      'network RTs',
      'RTs of minima',
      'failed',
    ],
  ];
  for (const s of scenarios) {
    const [zero = [], slow = []] = samples.get(s.name) ?? [];
    const w0 = median(zero.map((x) => x.wallMs));
    const w = median(slow.map((x) => x.wallMs));
    rows.push([
      s.name,
      w0.toFixed(0),
      w.toFixed(0),
      (w / fw).toFixed(2),
      median(slow.map((x) => x.cpuMs)).toFixed(0),
      median(slow.map((x) => x.requests)).toString(),
      median(slow.map((x) => x.connections)).toString(),
      median(slow.map((x) => x.handshakes)).toString(),
      // Each round ran both delays back to back: the paired differences share the machine's load.
      opts.rttMs > 0
        ? (median(slow.map((x, i) => x.wallMs - (zero[i]?.wallMs ?? 0))) / opts.rttMs).toFixed(2)
        : '-',
      // Load only ever adds time: the fastest run of each delay is the least disturbed one.
      opts.rttMs > 0
        ? (
            (Math.min(...slow.map((x) => x.wallMs)) - Math.min(...zero.map((x) => x.wallMs))) /
            opts.rttMs
          ).toFixed(2)
        : '-',
      String([...zero, ...slow].filter((x) => !x.ok).length),
    ]);
  }
  printRows(rows);
  const slowOf = (name: string): Sample[] => samples.get(name)?.[1] ?? [];
  for (const v of ['today', 'ours']) {
    const four = slowOf(`${v}: four sibling connections`);
    const one = slowOf(`${v}: one connection`);
    if (four.length === 0 || one.length === 0) continue;
    // Three estimates, each less disturbed by the machine's load than the one before: medians
    // over the rounds; the median of each round's own ratio (the two ran back to back);
    // the fastest run of each.
    const medians = median(four.map((x) => x.wallMs)) / median(one.map((x) => x.wallMs));
    const paired = median(four.map((x, i) => x.wallMs / (one[i]?.wallMs ?? NaN)));
    const minima = Math.min(...four.map((x) => x.wallMs)) / Math.min(...one.map((x) => x.wallMs));
    console.log(
      `${v}: four siblings / one connection at ${opts.rttMs} ms: ${medians.toFixed(2)}× (medians), ${paired.toFixed(2)}× (per round), ${minima.toFixed(2)}× (minima); target ≤ 1.2×`,
    );
  }
}

function printRows(rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const [n, r] of rows.entries()) {
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
    );
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
