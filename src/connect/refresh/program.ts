/**
 * The refresh program (`dist/refresh/index.js`), run by AWS SDKs and the AWS CLI through a
 * profile's `credential_process` whenever the credentials they hold are about to expire. It
 * prints fresh credentials for one profile as the documented JSON on stdout, or one line on
 * stderr and a non-zero exit.
 *
 * When the profiles renew from session credentials (a key base, not on Windows), this program
 * is a thin client: it asks the credential agent the main step started (agent.ts) for the
 * profile's credentials over the agent's socket and prints them; no credential is in a file.
 * Run with the single argument `agent`, it is that agent.
 *
 * For the other bases, each answer is cached next to refresh.json until
 * {@link RENEW_MARGIN_MS} before it expires (main puts its first credentials there too), so a
 * burst of calls costs one resolution; a lock makes concurrent callers wait for the one that
 * is resolving. A resolution gets the base anew (session.json on Windows, a fresh OIDC token,
 * the token file, or the default chain) and
 * assumes the profile's connection and its sources again with the action's own resolver.
 *
 * Kept light: a cached answer loads no AWS SDK at all; a resolution loads the STS client
 * (resolve-profile.ts) and what the base needs, the default chain only on that path; never
 * `@actions/core`. Nothing is logged: stdout is the answer.
 */
import { dirname, join } from 'node:path';
import { messageOf } from '../../shared/errors.js';
import { parseArgs } from './args.js';
import { AgentGoneError, ask } from './agent-protocol.js';
import {
  cacheFileName,
  parseRefreshConfig,
  type RefreshBase,
  type RefreshConfig,
} from './config.js';
import {
  isFresh,
  parseProcessCredentials,
  renderProcessCredentials,
  type ProcessCredentials,
} from './output.js';
import { readIfExists } from '../../shared/files.js';
// Type only: the module itself is loaded lazily, when the cache cannot answer.
import type { ResolveProfileDeps } from './resolve-profile.js';
import { DEFAULT_LOCK_TIMING, withLock, writeAtomic, type LockTiming } from './store.js';

/** Seams; the entry point uses the defaults. Those a resolution reads are its own. */
export interface RefreshDeps extends ResolveProfileDeps {
  argv: readonly string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  lock: LockTiming;
  /** How long the agent may take to answer (a renewal with retries); default 60 s. */
  agentTimeoutMs?: number;
}

/** The argument that runs the credential agent instead of the program. */
export const AGENT_COMMAND = 'agent';

/** Runs the program and sets the exit code; `agent` as the only argument runs the agent. */
export async function run(deps: Partial<RefreshDeps> = {}): Promise<void> {
  const argv = deps.argv ?? process.argv.slice(2);
  if (argv.length === 1 && argv[0] === AGENT_COMMAND) {
    const { runAgent } = await import('./agent.js');
    if (!(await runAgent())) process.exitCode = 1;
    return;
  }
  process.exitCode = await refresh({
    argv: process.argv.slice(2),
    env: process.env,
    now: Date.now,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    lock: DEFAULT_LOCK_TIMING,
    ...deps,
  });
}

/** Prints the credentials of the profile named on the command line; returns the exit code. */
export async function refresh(deps: RefreshDeps): Promise<number> {
  let who = 'aws-connection refresh';
  try {
    const args = parseArgs(deps.argv);
    who = `aws-connection refresh (profile ${args.profile})`;
    const cachePath = join(dirname(args.config), cacheFileName(args.profile));
    const cached = (): Promise<ProcessCredentials | undefined> => {
      const c = parseProcessCredentials(readIfExists(cachePath) ?? '');
      return Promise.resolve(c && isFresh(c, deps.now()) ? c : undefined);
    };
    let answer = await cached();
    if (!answer) {
      const config = loadConfig(args.config);
      if (config.base.kind === 'agent') {
        const agentAnswer = await askAgent(dirname(args.config), config.base, args.profile, deps);
        deps.stdout(renderProcessCredentials(agentAnswer));
        return 0;
      }
      const connection = config.profiles[args.profile];
      if (connection === undefined) {
        throw new Error(
          `${args.config} has no profile ${args.profile} (it has ${Object.keys(config.profiles).join(', ')})`,
        );
      }
      answer = await withLock(
        `${cachePath}.lock`,
        cached,
        async () => {
          // The STS client is loaded only here: a cached answer costs little more than node.
          const { resolveProfile } = await import('./resolve-profile.js');
          const fresh = await resolveProfile(config, connection, args.config, deps);
          // A cache that cannot be written costs the next caller a round trip, nothing more.
          await writeAtomic(cachePath, renderProcessCredentials(fresh)).catch(() => undefined);
          return fresh;
        },
        deps.lock,
      );
    }
    deps.stdout(renderProcessCredentials(answer));
    return 0;
  } catch (err) {
    deps.stderr(`${who}: ${messageOf(err)}\n`);
    return 1;
  }
}

/**
 * The agent's answer for `profile`. The agent holds the renewal material; this program only
 * carries its answer to the consumer.
 */
async function askAgent(
  dir: string,
  base: Extract<RefreshBase, { kind: 'agent' }>,
  profile: string,
  deps: RefreshDeps,
): Promise<ProcessCredentials> {
  const socket = join(dir, base.socket);
  let answer;
  try {
    answer = await ask(socket, { op: 'credentials', profile }, deps.agentTimeoutMs ?? 60_000);
  } catch (err) {
    if (!(err instanceof AgentGoneError)) throw err;
    const over = Date.parse(base.until) <= deps.now();
    throw new Error(
      `the aws-connection credential agent that renews this profile is gone (${err.message}): ${
        over
          ? `it stopped at the end of refresh-window (${base.until})`
          : 'the post step stopped it, or it was killed'
      }. Run the aws-connection step again for fresh profiles.`,
      { cause: err },
    );
  }
  if (!answer.ok) throw new Error(`the credential agent refused: ${answer.error}`);
  if (!('credentials' in answer)) throw new Error('the credential agent answered no credentials');
  return answer.credentials;
}

function loadConfig(path: string): RefreshConfig {
  const text = readIfExists(path);
  if (text === undefined) {
    throw new Error(
      `${path} does not exist: the aws-connection post step has removed the profile (the job is over), or RUNNER_TEMP was cleaned`,
    );
  }
  return parseRefreshConfig(text);
}
