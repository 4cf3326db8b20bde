/**
 * The `targets` input: one GitHub secret pair a line,
 * `repo:OWNER/NAME ID_SECRET KEY_SECRET`, `env:OWNER/NAME/ENVIRONMENT …` or `org:ORG …`.
 * Pure: parsed and validated here, used everywhere else as plain data.
 */
import { InputError, show } from '../shared/errors.js';
import { splitLines } from '../shared/validate.js';

/** Where a pair of secrets lives. */
export type Scope =
  | { kind: 'repo'; owner: string; repo: string }
  | { kind: 'env'; owner: string; repo: string; environment: string }
  | { kind: 'org'; org: string };

/** One pair of GitHub secrets that holds the key. */
export interface Target {
  scope: Scope;
  /** The secret that holds the access key ID. */
  idName: string;
  /** The secret that holds the secret access key. */
  secretName: string;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
/** Environment names: up to 255 characters; a space would split the line, so none here. */
const ENVIRONMENT = /^[^\s]{1,255}$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

const INPUT = 'targets';
const FORMAT =
  'expected "repo:OWNER/NAME", "env:OWNER/NAME/ENVIRONMENT" or "org:ORG", then the key ID secret and the secret key secret';

/** `repo:octo/app`, `env:octo/app/production`, `org:octo`. */
export function scopeLabel(scope: Scope): string {
  switch (scope.kind) {
    case 'repo':
      return `repo:${scope.owner}/${scope.repo}`;
    case 'env':
      return `env:${scope.owner}/${scope.repo}/${scope.environment}`;
    case 'org':
      return `org:${scope.org}`;
  }
}

/** The canonical text of a target, as written in the input: its identity in state and logs. */
export function targetLabel(t: Target): string {
  return `${scopeLabel(t.scope)} ${t.idName} ${t.secretName}`;
}

/** The repository a scope belongs to (`owner/name`), or undefined for an organization. */
export function repositoryOf(scope: Scope): string | undefined {
  return scope.kind === 'org' ? undefined : `${scope.owner}/${scope.repo}`;
}

/** The organization or user that owns a scope. */
export function ownerOf(scope: Scope): string {
  return scope.kind === 'org' ? scope.org : scope.owner;
}

function parseScope(line: number, text: string): Scope {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const parts = text.slice(colon + 1).split('/');
  const bad = (why: string): InputError =>
    new InputError(INPUT, `line ${line}: ${show(text)} ${why}`);
  const owner = (value: string): string => {
    if (!OWNER.test(value)) throw bad(`has ${show(value)}, not a GitHub user or organization name`);
    return value;
  };
  const repo = (value: string): string => {
    if (!REPO.test(value) || value === '.' || value === '..')
      throw bad(`has ${show(value)}, not a repository name`);
    return value;
  };
  if (kind === 'repo' && parts.length === 2)
    return { kind, owner: owner(parts[0] ?? ''), repo: repo(parts[1] ?? '') };
  if (kind === 'env' && parts.length >= 3) {
    const environment = parts.slice(2).join('/');
    if (!ENVIRONMENT.test(environment))
      throw bad(`has ${show(environment)}, not an environment name`);
    return { kind, owner: owner(parts[0] ?? ''), repo: repo(parts[1] ?? ''), environment };
  }
  if (kind === 'org' && parts.length === 1) return { kind, org: owner(parts[0] ?? '') };
  throw bad(`is not a scope: ${FORMAT}`);
}

function parseSecretName(line: number, value: string): string {
  if (!SECRET_NAME.test(value)) {
    throw new InputError(
      INPUT,
      `line ${line}: secret name ${show(value)} must be letters, digits and _, not starting with a digit`,
    );
  }
  if (value.toUpperCase().startsWith('GITHUB_')) {
    throw new InputError(
      INPUT,
      `line ${line}: secret name ${show(value)} must not start with GITHUB_`,
    );
  }
  // GitHub stores secret names in upper case; comparing and writing them so avoids false duplicates.
  return value.toUpperCase();
}

/**
 * Parses the `targets` input: one target a line; blank lines and `#` comments are ignored.
 * Refuses an empty list, a malformed line, a pair naming the same secret twice, and a secret
 * that two lines would both write.
 */
export function parseTargets(value: string): Target[] {
  const lines = value.split(/\r?\n/);
  const targets: Target[] = [];
  const written = new Map<string, number>();
  lines.forEach((raw, index) => {
    const text = splitLines(raw)[0];
    if (text === undefined) return;
    const line = index + 1;
    const fields = text.split(/\s+/);
    if (fields.length !== 3) {
      throw new InputError(
        INPUT,
        `line ${line}: ${show(text)} has ${fields.length} fields; ${FORMAT}`,
      );
    }
    const [scopeText = '', idText = '', secretText = ''] = fields;
    const target: Target = {
      scope: parseScope(line, scopeText),
      idName: parseSecretName(line, idText),
      secretName: parseSecretName(line, secretText),
    };
    if (target.idName === target.secretName) {
      throw new InputError(
        INPUT,
        `line ${line}: the key ID and the secret key must go to two different secrets, not both to ${target.idName}`,
      );
    }
    for (const name of [target.idName, target.secretName]) {
      const key = `${scopeLabel(target.scope).toLowerCase()} ${name}`;
      const first = written.get(key);
      if (first !== undefined)
        throw new InputError(
          INPUT,
          `line ${line}: ${scopeLabel(target.scope)} ${name} is already written by line ${first}`,
        );
      written.set(key, line);
    }
    targets.push(target);
  });
  if (targets.length === 0) throw new InputError(INPUT, `no target given: ${FORMAT}, one a line`);
  return targets;
}
