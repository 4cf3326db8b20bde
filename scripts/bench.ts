/**
 * `npm run bench`: runs the bundled action the way the runner does against moto_server on
 * loopback, interleaved with `node -e 0` as the floor, and prints for each scenario the
 * median wall time, CPU time, peak RSS and STS requests, as ratios to the floor measured in
 * the same run (this machine is shared and noisy: only ratios compare). Then bundle sizes.
 *
 * BENCH_ROUNDS (default 7) sets how many interleaved rounds; BENCH_NODE the node binary
 * (default: Node 24, the runtime action.yml declares, picked for the host by support/nodes.ts);
 * BENCH_DIST the build to measure (default dist); BENCH_BEFORE an older build's folder, whose STS
 * scenarios run beside ours in the same rounds. `npm run bench -- --network` runs the
 * real-network mode instead (HTTPS, round trips of a set time: see bench-network.ts).
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto, type MotoUser } from '../__tests__/integration/support/moto.js';
import { startProxy, type StsProxy } from '../__tests__/integration/support/proxy.js';
import {
  errorLines,
  runPost,
  runStep,
  type RunStepOptions,
  type StepResult,
} from '../__tests__/integration/support/runner.js';
import { makeRoles } from './bench-roles.js';
import { profileEnvironment, runFloor, spawnTimed } from './bench-spawn.js';
import { NODE24, NODE24_SOURCE } from '../__tests__/integration/support/nodes.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const NODE = process.env['BENCH_NODE'] ?? NODE24;
const USAGE = resolve('scripts/usage.cjs');
// BENCH_DIST: another build to measure (e.g. a commit's dist/ from git archive).
const DIST = process.env['BENCH_DIST'] ?? 'dist';
const MAIN = `${DIST}/main/index.js`;
// BENCH_BEFORE: an older build whose main step runs the same STS scenarios in the same rounds
// (rows "before: …"), so that the two compare under the same load.
const BEFORE = process.env['BENCH_BEFORE'];
const POST = `${DIST}/cleanup/index.js`;

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssKb: number;
  requests: number;
}

interface Scenario {
  name: string;
  /** Runs once and returns its sample (the usage file is read by the caller). */
  run: (usage: string) => Promise<{ wallMs: number; requests: number; ok: boolean }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** `node -e 0` with the same preload: the floor. */
async function floor(usage: string): Promise<{ wallMs: number; requests: number; ok: boolean }> {
  return { ...(await runFloor(NODE, USAGE, usage)), requests: 0 };
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const proxy = await startProxy({ moto });
  const slow = await startProxy({ moto });
  slow.inject({ fault: { kind: 'latency', ms: 200 } });
  const limited = await startProxy({ moto });
  limited.rateLimit(20);
  try {
    const user = await moto.createUser('ci');
    const roles = await makeRoles(moto, user);
    const step =
      (
        p: StsProxy,
        inputs: Record<string, string>,
        extra: Partial<RunStepOptions> = {},
        entry = MAIN,
      ) =>
      async (
        usage: string,
      ): Promise<{ wallMs: number; requests: number; ok: boolean; result: StepResult }> => {
        const before = p.count();
        const result = await runStep({
          entry,
          node: NODE,
          nodeArgs: ['--require', USAGE],
          inputs: {
            'aws-region': 'us-east-1',
            'aws-access-key-id': user.accessKeyId,
            'aws-secret-access-key': user.secretAccessKey,
            ...inputs,
          },
          env: { AWS_ENDPOINT_URL_STS: p.url, BENCH_USAGE_FILE: usage },
          ...extra,
        });
        return {
          wallMs: result.durationMs,
          requests: p.count() - before,
          ok: result.code === 0,
          result,
        };
      };
    const siblings = (n: number): string =>
      Array.from({ length: n }, (_, i) => `s${i}:\n  role-arn: ${roles.siblings[i] ?? ''}\n`).join(
        '',
      );

    // The scenarios of one STS call per hop, for this build and, with BENCH_BEFORE, the older one.
    const calls = (entry: string, prefix: string): Scenario[] => [
      { name: `${prefix}static keys alone`, run: step(proxy, {}, {}, entry) },
      {
        name: `${prefix}static keys + one role`,
        run: step(proxy, { 'role-to-assume': roles.chain[0] ?? '' }, {}, entry),
      },
      {
        name: `${prefix}three-hop chain`,
        run: step(proxy, { 'role-chain': roles.chain.join('\n') }, {}, entry),
      },
      {
        name: `${prefix}one connection, +200 ms per STS call`,
        run: step(slow, { connections: siblings(1) }, {}, entry),
      },
      {
        name: `${prefix}four sibling connections, +200 ms per call`,
        run: step(slow, { connections: siblings(4) }, {}, entry),
      },
    ];

    const scenarios: Scenario[] = [
      { name: 'node -e 0 (floor)', run: floor },
      ...calls(MAIN, ''),
      ...(BEFORE === undefined ? [] : calls(`${BEFORE}/main/index.js`, 'before: ')),
      {
        name: 'post step (cleanup)',
        run: async (usage) => {
          const main = await step(proxy, { connections: siblings(2) })('/dev/null');
          const post = await runPost(main.result, {
            entry: POST,
            node: NODE,
            nodeArgs: ['--require', USAGE],
            env: { BENCH_USAGE_FILE: usage },
          });
          return { wallMs: post.durationMs, requests: 0, ok: post.code === 0 };
        },
      },
      {
        name: 'wrong secret (time to fail)',
        run: async (usage) => {
          const r = await step(proxy, {
            'aws-secret-access-key': 'x'.repeat(40),
            'role-to-assume': roles.chain[0] ?? '',
          })(usage);
          return { ...r, ok: !r.ok && /SignatureDoesNotMatch/.test(r.result.stdout) };
        },
      },
    ];

    const samples = new Map<string, Sample[]>(scenarios.map((s) => [s.name, []]));
    const failures = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of scenarios) {
        const usage = join(mkdtempSync(join(tmpdir(), 'bench-')), 'usage');
        writeFileSync(usage, '');
        const r = await s.run(usage);
        if (!r.ok) failures.set(s.name, (failures.get(s.name) ?? 0) + 1);
        const lines = readFileSync(usage, 'utf8').trim().split('\n').filter(Boolean);
        const u = JSON.parse(lines.at(-1) ?? '{"cpuMs":0,"maxRssKb":0}') as {
          cpuMs: number;
          maxRssKb: number;
        };
        samples
          .get(s.name)
          ?.push({ wallMs: r.wallMs, cpuMs: u.cpuMs, rssKb: u.maxRssKb, requests: r.requests });
      }
    }

    const f = samples.get('node -e 0 (floor)') ?? [];
    const fw = median(f.map((x) => x.wallMs));
    const fc = median(f.map((x) => x.cpuMs));
    const fr = median(f.map((x) => x.rssKb));
    console.log(
      `\nNode ${NODE === NODE24 ? `24 (${NODE24_SOURCE})` : NODE}, ${ROUNDS} interleaved rounds; floor: node -e 0 = ${fw.toFixed(0)} ms wall, ${fc.toFixed(0)} ms CPU, ${(fr / 1024).toFixed(1)} MiB RSS\n`,
    );
    const rows = [
      [
        'scenario',
        'wall ms',
        'wall ×floor',
        'CPU ×floor',
        'peak RSS MiB',
        'RSS ×floor',
        'STS requests',
        'failed runs',
      ],
    ];
    for (const s of scenarios) {
      const xs = samples.get(s.name) ?? [];
      const w = median(xs.map((x) => x.wallMs));
      const c = median(xs.map((x) => x.cpuMs));
      const r = median(xs.map((x) => x.rssKb));
      rows.push([
        s.name,
        w.toFixed(0),
        (w / fw).toFixed(2),
        (c / fc).toFixed(2),
        (r / 1024).toFixed(1),
        (r / fr).toFixed(2),
        median(xs.map((x) => x.requests)).toString(),
        String(failures.get(s.name) ?? 0),
      ]);
    }
    printTable(rows);
    const one = median(
      (samples.get('one connection, +200 ms per STS call') ?? []).map((x) => x.wallMs),
    );
    const four = median(
      (samples.get('four sibling connections, +200 ms per call') ?? []).map((x) => x.wallMs),
    );
    console.log(
      `\nfour siblings / one connection, with 200 ms per STS call: ${(four / one).toFixed(2)}× (concurrent: target ≤ 1.3×)`,
    );

    await burst(limited, user, roles.chain[0] ?? '');
    await refreshTimes(proxy, user, roles.chain[0] ?? '', fw);
    bundleSizes();
  } finally {
    await Promise.all([proxy.stop(), slow.stop(), limited.stop()]);
    await moto.stop();
  }
}

/** 50 jobs at once against a proxy that throttles above 20 requests a second. */
async function burst(limited: StsProxy, user: MotoUser, role: string): Promise<void> {
  const jobs = 50;
  const before = limited.count();
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: jobs }, () =>
      runStep({
        entry: MAIN,
        node: NODE,
        timeoutMs: 120_000,
        inputs: {
          'aws-region': 'us-east-1',
          'aws-access-key-id': user.accessKeyId,
          'aws-secret-access-key': user.secretAccessKey,
          'role-to-assume': role,
        },
        env: { AWS_ENDPOINT_URL_STS: limited.url },
      }),
    ),
  );
  const requests = limited.count() - before;
  const throttled = limited.requests.filter((r) => r.fault === 'rate-limit').length;
  const ok = results.filter((r) => r.code === 0).length;
  console.log(
    `\nburst: ${jobs} concurrent jobs (static keys + one role) against 20 requests/s: ${ok}/${jobs} succeeded in ${Date.now() - started} ms; ${requests} STS requests (${throttled} throttled), ${(requests / jobs).toFixed(2)} per hop (target < 2)`,
  );
}

/**
 * The refresh program (credential_process), when it has been built: with the default chain
 * reading a profile (answers are cached in a file), cold and cached; with the key as inputs,
 * through the credential agent, which holds the session in memory.
 */
async function refreshTimes(
  proxy: StsProxy,
  user: MotoUser,
  role: string,
  floorMs: number,
): Promise<void> {
  if (!existsSync(`${DIST}/refresh/index.js`)) return;
  const keys = profileEnvironment(user);
  const inputs = {
    'aws-region': 'us-east-1',
    'aws-access-key-id': user.accessKeyId,
    'aws-secret-access-key': user.secretAccessKey,
  };
  const cached = await refreshProgram(proxy, { 'role-to-assume': role }, keys);
  const agent = await refreshProgram(proxy, { ...inputs, 'role-to-assume': role }, {});
  try {
    if (cached && agent) await timeRefresh(proxy, cached, agent, floorMs);
  } finally {
    // The post steps: the agent stops, the folders go.
    for (const main of [cached?.main, agent?.main])
      if (main) await runPost(main, { entry: POST, node: NODE });
  }
}

async function timeRefresh(
  proxy: StsProxy,
  cached: RefreshProgram,
  agent: RefreshProgram,
  floorMs: number,
): Promise<void> {
  const cold: number[] = [];
  const warm: number[] = [];
  const asked: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const f of readdirSync(cached.dir))
      if (/cache/.test(f)) writeFileSync(join(cached.dir, f), '');
    const before = proxy.count();
    cold.push(await cached.call());
    warm.push(await cached.call());
    if (i === 0)
      console.log(
        `\nrefresh program: a cold call and a cached one made ${proxy.count() - before} STS request(s)`,
      );
    asked.push(await agent.call());
  }
  const ratio = (xs: number[]): string =>
    `${median(xs).toFixed(0)} ms (${(median(xs) / floorMs).toFixed(2)}× floor)`;
  console.log(
    `refresh program per call, the default chain reading a profile: cold ${ratio(cold)}, cached ${ratio(warm)}; key as inputs, through the credential agent: ${ratio(asked)}`,
  );
}

/** A main step run with refresh on, and a timed call of the credential_process it wrote. */
interface RefreshProgram {
  main: StepResult;
  dir: string;
  call: () => Promise<number>;
}

async function refreshProgram(
  proxy: StsProxy,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<RefreshProgram | undefined> {
  const main = await runStep({
    entry: MAIN,
    node: NODE,
    inputs: { 'aws-region': 'us-east-1', ...inputs, refresh: 'true' },
    env: { AWS_ENDPOINT_URL_STS: proxy.url, ...env },
  });
  const config = main.env['AWS_CONFIG_FILE'];
  if (main.code !== 0 || !config) {
    console.log(`\nrefresh: main failed: ${errorLines(main)[0] ?? ''}`);
    return undefined;
  }
  const line =
    readFileSync(config, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('credential_process')) ?? '';
  const args = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '').slice(2);
  const [node, ...rest] = args;
  const call = async (): Promise<number> =>
    (
      await spawnTimed(node ?? NODE, rest, {
        PATH: process.env['PATH'] ?? '',
        AWS_ENDPOINT_URL_STS: proxy.url,
        ...env,
      })
    ).wallMs;
  return { main, dir: join(config, '..'), call };
}

function bundleSizes(): void {
  console.log('\nbundles (bytes loaded at start, and lazily loaded chunks):');
  for (const entry of readdirSync('dist')) {
    const dir = join('dist', entry);
    if (!statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const start = statSync(join(dir, 'index.js')).size;
    const chunks = files
      .filter((f) => f !== 'index.js')
      .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    console.log(
      `  dist/${entry}: index.js ${(start / 1024).toFixed(0)} KiB, ${files.length - 1} lazy chunks ${(chunks / 1024).toFixed(0)} KiB`,
    );
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const [n, r] of rows.entries()) {
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
    );
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

if (process.argv.includes('--network'))
  await (await import('./bench-network.js')).networkBench(process.argv.slice(2), NODE);
else await main();
