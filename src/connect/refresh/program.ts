/**
 * The refresh program (`dist/refresh/index.js`), run by AWS SDKs and the AWS CLI through a
 * profile's `credential_process` whenever the credentials they hold are about to expire. It
 * prints fresh credentials for one profile as the documented JSON on stdout, or one line on
 * stderr and a non-zero exit.
 *
 * Each answer is cached next to refresh.json until {@link RENEW_MARGIN_MS} before it expires
 * (main puts its first credentials there too), so a burst of calls costs one resolution; a
 * lock makes concurrent callers wait for the one that is resolving. A resolution gets the
 * base anew (session.json, a fresh OIDC token, the token file, or the default chain) and
 * assumes the profile's connection and its sources again with the action's own resolver.
 *
 * Kept light: a cached answer loads no AWS SDK at all; a resolution loads the STS client
 * (resolve-profile.ts) and what the base needs, the default chain only on that path; never
 * `@actions/core`. Nothing is logged: stdout is the answer.
 */
import { dirname, join } from 'node:path';
import { messageOf } from '../../shared/errors.js';
import { parseArgs } from './args.js';
import { cacheFileName, parseRefreshConfig, type RefreshConfig } from './config.js';
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
}

/** Runs the program and sets the exit code. */
export async function run(deps: Partial<RefreshDeps> = {}): Promise<void> {
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

function loadConfig(path: string): RefreshConfig {
  const text = readIfExists(path);
  if (text === undefined) {
    throw new Error(
      `${path} does not exist: the aws-connection post step has removed the profile (the job is over), or RUNNER_TEMP was cleaned`,
    );
  }
  return parseRefreshConfig(text);
}
