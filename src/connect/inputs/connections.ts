/**
 * Named connections: a YAML map of connection name to role, each assumed from the base
 * credentials or from another connection. Parsed with `yaml`, checked with a JSON schema
 * (ajv), then checked as a graph: unknown source, cycle, the chaining cap. Loaded only
 * when a workflow uses connections, so the single-role path does not pay for it.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { InputError, show } from '../../shared/errors.js';
import type { RepositoryIds } from '../plan/external-id.js';
import { CONNECTION_NAME, type ConnectionSpec } from '../model.js';
import { buildSpec, type HopSettings } from '../plan/spec.js';
import { tagsFromObject } from '../plan/tags.js';
import { booleanOf, parseRegion, parseRoleArn, partitionOfRegion } from '../../shared/validate.js';

/** The YAML text and the input it came from (for error messages). */
export interface ConnectionsSource {
  input: string;
  text: string;
}

/** What the step's other inputs contribute. */
export interface ConnectionsContext {
  region: string;
  sessionName: string;
  ids: RepositoryIds | undefined;
  /** The base is a web identity: connections on it use AssumeRoleWithWebIdentity. */
  webBase: boolean;
  /** The base credentials are temporary: connections on it are capped like chained roles. */
  temporaryBase: boolean;
  /** `refresh` is on: each connection's session is cached and renewed. */
  refresh: boolean;
  /** The `connection` input ('' when not given). */
  primary: string;
}

export { CONNECTION_NAME };

const SCHEMA = {
  type: 'object',
  minProperties: 1,
  maxProperties: 50,
  propertyNames: { pattern: CONNECTION_NAME.source },
  additionalProperties: {
    type: 'object',
    required: ['role-arn'],
    additionalProperties: false,
    properties: {
      source: { type: 'string' },
      'role-arn': { type: 'string' },
      'external-id': { type: 'string' },
      'session-name': { type: 'string' },
      duration: { type: 'integer' },
      region: { type: 'string' },
      tags: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      'transitive-tag-keys': { type: 'array', items: { type: 'string' } },
      'source-identity': { type: 'string' },
      policy: { type: ['string', 'object'] },
      'policy-arns': { type: 'array', items: { type: 'string' } },
      export: { type: 'boolean' },
    },
  },
} as const;

interface RawConnection {
  source?: string;
  'role-arn': string;
  'external-id'?: string;
  'session-name'?: string;
  duration?: number;
  region?: string;
  tags?: Record<string, unknown>;
  'transitive-tag-keys'?: string[];
  'source-identity'?: string;
  policy?: string | object;
  'policy-arns'?: string[];
  export?: boolean;
}

const validate = new Ajv({ allErrors: false, allowUnionTypes: true }).compile<
  Record<string, RawConnection>
>(SCHEMA);

/** Parses, checks and orders the connections (each after its source). */
export function parseConnections(
  source: ConnectionsSource,
  ctx: ConnectionsContext,
): { connections: ConnectionSpec[]; primary?: string } {
  const { input } = source;
  // The failsafe schema reads every scalar as its text: under the core schema a name `0042`
  // would become 42 (another profile, another external ID) and a tag `007` would be 7.
  const doc = parseDocument(source.text, {
    uniqueKeys: true,
    prettyErrors: false,
    schema: 'failsafe',
  });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const duplicate = /unique/i.test(yamlError.message);
    // With prettyErrors off the parser sets no linePos: count the lines up to the error.
    const where = ` (line ${source.text.slice(0, yamlError.pos[0]).split('\n').length})`;
    throw new InputError(
      input,
      duplicate
        ? `a connection name is used twice${where}`
        : `is not valid YAML${where}: ${yamlError.message.split('\n')[0] ?? ''}`,
    );
  }
  const raw = withNumbers(doc.toJS());
  if (!validate(raw)) throw new InputError(input, schemaMessage(validate.errors?.[0]));
  const specs = Object.entries(raw).map(([name, c]) => toSpec(input, name, c, ctx));
  const ordered = order(input, specs);

  let primary: string | undefined;
  if (ctx.primary !== '') {
    if (!specs.some((s) => s.name === ctx.primary)) {
      throw new InputError(
        'connection',
        `${show(ctx.primary)} is not one of the connections (${specs.map((s) => s.name).join(', ')})`,
      );
    }
    primary = ctx.primary;
  } else if (specs.length === 1) {
    primary = specs[0]?.name;
  }
  return primary === undefined ? { connections: ordered } : { connections: ordered, primary };
}

/**
 * The one number a connection holds, `duration`, read from its text: decimal digits only
 * (`0x384` or `9e2` stay text, which the schema then refuses as not an integer); and the one
 * boolean, `export` (`true` / `false`, as boolean inputs are read; `yes` stays text).
 */
function withNumbers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, c]: [string, unknown]) => {
      if (typeof c !== 'object' || c === null) return [name, c];
      const typed: Record<string, unknown> = { ...c };
      const { duration, export: exported } = typed;
      if (typeof duration === 'string' && /^\d{1,9}$/.test(duration))
        typed['duration'] = Number(duration);
      if (typeof exported === 'string') typed['export'] = booleanOf(exported) ?? exported;
      return [name, typed];
    }),
  );
}

/** One line out of ajv's first error: which connection, which key, what rule. */
function schemaMessage(error: ErrorObject | undefined): string {
  if (!error) return 'is not a map of connection names to connections';
  const path = error.instancePath.split('/').filter(Boolean);
  const [name, key] = path;
  const where =
    name === undefined
      ? ''
      : key === undefined
        ? `connection ${show(name)}: `
        : `connection ${show(name)}, ${key}: `;
  switch (error.keyword) {
    case 'required':
      return `${where}needs ${String(error.params['missingProperty'])}`;
    case 'additionalProperties':
      return `${where}unknown key ${show(String(error.params['additionalProperty']))}`;
    case 'propertyNames':
      return `connection name ${show(String(error.params['propertyName']))} must be 1 to 64 letters, digits and _.- starting with a letter or digit`;
    case 'pattern':
      // ajv reports the name's pattern first (with the name in propertyName), then propertyNames.
      return `connection name ${show(error.propertyName ?? '')} must be 1 to 64 letters, digits and _.- starting with a letter or digit`;
    case 'minProperties':
      return 'has no connections';
    case 'maxProperties':
      return 'has more than 50 connections';
    case 'type':
      return name === undefined
        ? 'must be a map of connection names to connections'
        : `${where}must be ${String(error.params['type'])}`;
    default:
      return `${where}${error.message ?? 'is not valid'}`;
  }
}

/** One connection's YAML, checked and built by the one spec builder. */
function toSpec(
  input: string,
  name: string,
  c: RawConnection,
  ctx: ConnectionsContext,
): ConnectionSpec {
  const at = (key: string): string => `${input} (connection ${show(name)}, ${key})`;
  const region = c.region === undefined ? ctx.region : parseRegion(at('region'), c.region);
  // STS calls go to the step's region: a connection's region must be in the same partition.
  if (partitionOfRegion(region) !== partitionOfRegion(ctx.region)) {
    throw new InputError(
      at('region'),
      `${show(region)} is in partition ${partitionOfRegion(region)}, but aws-region ${ctx.region} is in partition ${partitionOfRegion(ctx.region)}: connections of one step share a partition`,
    );
  }
  if (c.source === undefined && ctx.webBase) {
    for (const key of ['external-id', 'tags', 'transitive-tag-keys', 'source-identity'] as const) {
      if (c[key] !== undefined)
        throw new InputError(
          input,
          `connection ${show(name)}: ${key} cannot be set on a connection assumed with a web identity (the token carries it)`,
        );
    }
  }
  const hop: HopSettings = {
    kind: { type: 'connection' },
    name,
    role: parseRoleArn(at('role-arn'), c['role-arn'], region),
    region,
    sessionName: c['session-name'] ?? ctx.sessionName,
    tags: c.tags === undefined ? [] : tagsFromObject(at('tags'), '', c.tags),
    transitiveTagKeys: c['transitive-tag-keys'] ?? [],
    policyArns: c['policy-arns'] ?? [],
  };
  if (c.source !== undefined) hop.source = c.source;
  if (c.duration !== undefined) hop.duration = c.duration;
  if (c['external-id'] !== undefined) hop.externalId = c['external-id'];
  if (c['source-identity'] !== undefined) hop.sourceIdentity = c['source-identity'];
  if (c.export !== undefined) hop.export = c.export;
  if (c.policy !== undefined)
    hop.policy = typeof c.policy === 'string' ? c.policy : JSON.stringify(c.policy);
  return buildSpec(hop, {
    webBase: ctx.webBase,
    temporaryBase: ctx.temporaryBase,
    temporaryReason: '',
    refresh: ctx.refresh,
    chainLength: 0,
    ids: ctx.ids,
    inputOf: at,
  });
}

/** Orders connections so each comes after its source; refuses unknown sources and cycles. */
export function order(input: string, specs: ConnectionSpec[]): ConnectionSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const s of specs) {
    if (s.source !== undefined && !byName.has(s.source)) {
      throw new InputError(
        input,
        `connection ${show(s.name)}: source ${show(s.source)} is not a connection (omit source to use the base credentials)`,
      );
    }
  }
  const done = new Set<string>();
  const result: ConnectionSpec[] = [];
  const visit = (spec: ConnectionSpec, path: string[]): void => {
    if (done.has(spec.name)) return;
    if (path.includes(spec.name)) {
      throw new InputError(
        input,
        `connections form a cycle: ${[...path.slice(path.indexOf(spec.name)), spec.name].join(' -> ')}`,
      );
    }
    const parent = spec.source === undefined ? undefined : byName.get(spec.source);
    if (parent) visit(parent, [...path, spec.name]);
    done.add(spec.name);
    result.push(spec);
  };
  for (const s of specs) visit(s, []);
  return result;
}
