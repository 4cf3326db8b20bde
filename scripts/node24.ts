/**
 * `node build/tools/scripts/node24.js SCRIPT [ARGS]`: runs SCRIPT under Node 24 (the runtime
 * action.yml declares), picked for this host by support/nodes.ts, so `npm run demo` and
 * `npm run bench` need no platform-specific path in package.json. Exits with the child's code.
 */
import { spawnSync } from 'node:child_process';
import { NODE24 } from '../__tests__/integration/support/nodes.js';

const child = spawnSync(NODE24, process.argv.slice(2), { stdio: 'inherit' });
if (child.error) throw child.error;
process.exit(child.status ?? 1);
