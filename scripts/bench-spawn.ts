/** Timed child processes for the benchmark. */
import { spawn } from 'node:child_process';

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
