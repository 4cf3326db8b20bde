/** Timed child processes for the benchmark. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `node args` with exactly `env`; resolves with its wall time and whether it exited 0. */
export function spawnTimed(
  node: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ wallMs: number; ok: boolean }> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(node, args, { env, stdio: 'ignore' });
    child.once('error', fail);
    child.once('close', (code) =>
      done({ wallMs: Number(process.hrtime.bigint() - started) / 1e6, ok: code === 0 }),
    );
  });
}

/** `node -e 0` with the benchmark's preload and `env`: the floor. */
export function runFloor(
  node: string,
  usagePreload: string,
  usageFile: string,
  env: Record<string, string> = {},
): Promise<{ wallMs: number; ok: boolean }> {
  return spawnTimed(node, ['--require', usagePreload, '-e', '0'], {
    PATH: process.env['PATH'] ?? '',
    ...env,
    BENCH_USAGE_FILE: usageFile,
  });
}

/**
 * Variables that give the SDK's default chain `user`'s key through a profile of a credentials
 * file of its own: a base the refresh program finds again by itself, so its answers are cached
 * in a file (keys as inputs or as AWS_* variables renew through the credential agent instead).
 */
export function profileEnvironment(user: {
  accessKeyId: string;
  secretAccessKey: string;
}): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-profile-')), 'credentials');
  writeFileSync(
    file,
    `[bench]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  return { AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'bench' };
}
