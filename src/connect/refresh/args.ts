/** The refresh program's command line: `--config <absolute path> --profile <name>`. */
import { isAbsolute } from 'node:path';
import { PROFILE_NAME } from './config.js';

export interface RefreshArgs {
  /** refresh.json, written by the main step. */
  config: string;
  profile: string;
}

export const USAGE = 'usage: refresh --config <absolute path of refresh.json> --profile <name>';

/** A command line this program does not take. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the arguments after the script (`--name value` or `--name=value`, each once). */
export function parseArgs(argv: readonly string[]): RefreshArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name !== '--config' && name !== '--profile') {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
    }
    if (values.has(name)) throw new UsageError(`${name} is given twice; ${USAGE}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '')
      throw new UsageError(`${name} needs a value; ${USAGE}`);
    values.set(name, value);
  }
  const config = values.get('--config');
  const profile = values.get('--profile');
  if (config === undefined || profile === undefined) throw new UsageError(USAGE);
  if (!isAbsolute(config))
    throw new UsageError(`--config must be an absolute path, not ${JSON.stringify(config)}`);
  if (!PROFILE_NAME.test(profile))
    throw new UsageError(`--profile ${JSON.stringify(profile)} is not a profile name`);
  return { config, profile };
}
