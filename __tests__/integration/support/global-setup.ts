/** Jest global setup for integration tests: moto_server must be on PATH (we never skip). */
import { spawnSync } from 'node:child_process';

/** Throws when `moto_server` cannot be run. */
export default async function globalSetup(): Promise<void> {
  const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error === undefined && probe.status === 0) return;
  const why = probe.error
    ? probe.error.message
    : `exit ${probe.status}: ${probe.stderr.trim().slice(0, 300)}`;
  const install = 'pip install "moto[server]==5.2.1"';
  if (process.env['CI'] === 'true') {
    throw new Error(
      `moto_server is required in CI for the integration tests (${why}); the CI script must run: ${install}`,
    );
  }
  throw new Error(
    `moto_server is required for the integration tests (${why}). Install it with: ${install}, or run only the unit tests.`,
  );
}
