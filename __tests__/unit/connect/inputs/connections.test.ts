import { jest } from '@jest/globals';
import { InputError } from '../../../../src/shared/errors.js';
import type { ConnectionsContext } from '../../../../src/connect/inputs/connections.js';
import { spec } from '../../../../__fixtures__/plans.js';

// Loaded here, not imported above, to hear what compiling the schema says on the console.
const consoleWarn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
const { CONNECTION_NAME, order, parseConnections } =
  await import('../../../../src/connect/inputs/connections.js');
const warnings = consoleWarn.mock.calls.map((args) => args.map(String).join(' '));
consoleWarn.mockRestore();

test('loading the module prints nothing (the action logs only through the runner)', () => {
  expect(warnings).toEqual([]);
});

const ARN = (name: string, account = '123456789012'): string =>
  `arn:aws:iam::${account}:role/${name}`;
const CTX: ConnectionsContext = {
  region: 'eu-west-1',
  sessionName: 'GitHubActions',
  ids: { ownerId: '1111', repositoryId: '2222' },
  webBase: false,
  temporaryBase: false,
  refresh: false,
  primary: '',
};

function parse(
  text: string,
  ctx: Partial<ConnectionsContext> = {},
): ReturnType<typeof parseConnections> {
  return parseConnections({ input: 'connections', text }, { ...CTX, ...ctx });
}

function refusal(text: string, ctx: Partial<ConnectionsContext> = {}): InputError {
  try {
    parse(text, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseConnections', () => {
  test('one connection with every key', () => {
    const { connections, primary } = parse(
      [
        'prod:',
        `  role-arn: ${ARN('deployer')}`,
        '  external-id: given-id',
        '  session-name: deploy-run',
        '  duration: 7200',
        '  region: us-east-1',
        '  tags: { Team: infra, Cost: 42 }',
        '  transitive-tag-keys: [Team]',
        '  source-identity: octocat',
        '  policy: { Version: "2012-10-17", Statement: [] }',
        '  policy-arns: [arn:aws:iam::aws:policy/ReadOnlyAccess]',
      ].join('\n'),
    );
    expect(primary).toBe('prod');
    expect(connections).toEqual([
      {
        kind: { type: 'connection' },
        name: 'prod',
        role: {
          arn: ARN('deployer'),
          partition: 'aws',
          accountId: '123456789012',
          name: 'deployer',
        },
        externalId: 'given-id',
        externalIdDerived: false,
        sessionName: 'deploy-run',
        durationSeconds: 7200,
        durationExplicit: true,
        region: 'us-east-1',
        tags: [
          { key: 'Team', value: 'infra' },
          { key: 'Cost', value: '42' },
        ],
        transitiveTagKeys: ['Team'],
        sourceIdentity: 'octocat',
        policy: '{"Version":"2012-10-17","Statement":[]}',
        policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      },
    ]);
  });

  test('defaults: derived external ID, the step session name and region, 3600 s', () => {
    const [c] = parse(`app:\n  role-arn: ${ARN('app')}\n`, {
      sessionName: 'step-name',
    }).connections;
    expect(c).toMatchObject({
      externalId: 'github:1111:2222:connection:app',
      externalIdDerived: true,
      sessionName: 'step-name',
      region: 'eu-west-1',
      durationSeconds: 3600,
      durationExplicit: false,
      tags: [],
      transitiveTagKeys: [],
      policyArns: [],
    });
    expect(c).not.toHaveProperty('source');
    expect(c).not.toHaveProperty('policy');
  });

  test('a policy given as JSON text is compacted', () => {
    const [c] = parse(
      `app:\n  role-arn: ${ARN('app')}\n  policy: '{ "Version": "2012-10-17" }'\n`,
    ).connections;
    expect(c?.policy).toBe('{"Version":"2012-10-17"}');
  });

  test('orders each connection after its source, whatever the YAML order', () => {
    const { connections, primary } = parse(
      [
        `deploy:\n  source: spoke\n  role-arn: ${ARN('deploy')}`,
        `spoke:\n  source: hub\n  role-arn: ${ARN('spoke')}`,
        `hub:\n  role-arn: ${ARN('hub')}`,
        `other:\n  role-arn: ${ARN('other')}`,
      ].join('\n'),
    );
    expect(connections.map((c) => c.name)).toEqual(['hub', 'spoke', 'deploy', 'other']);
    expect(primary).toBeUndefined();
  });

  test('the `connection` input picks the primary', () => {
    const { primary } = parse(`a:\n  role-arn: ${ARN('a')}\nb:\n  role-arn: ${ARN('b')}\n`, {
      primary: 'b',
    });
    expect(primary).toBe('b');
  });

  test('a web identity base: connections on the base take no external ID, the others do', () => {
    const { connections } = parse(
      `hub:\n  role-arn: ${ARN('hub')}\n  duration: 43200\napp:\n  source: hub\n  role-arn: ${ARN('app')}\n`,
      { webBase: true },
    );
    expect(
      connections.map((c) => [c.name, c.externalId, c.externalIdDerived, c.durationSeconds]),
    ).toEqual([
      ['hub', undefined, false, 43200],
      ['app', 'github:1111:2222:connection:app', true, 3600],
    ]);
  });

  test('an explicit external ID needs no repository IDs', () => {
    const [c] = parse(`a:\n  role-arn: ${ARN('a')}\n  external-id: given\n`, {
      ids: undefined,
    }).connections;
    expect(c?.externalId).toBe('given');
  });

  test.each([
    ['not YAML', 'a: [', /^connections: is not valid YAML \(line 1\): /],
    [
      'a name used twice',
      `a:\n  role-arn: ${ARN('a')}\na:\n  role-arn: ${ARN('b')}\n`,
      /^connections: a connection name is used twice \(line 3\)$/,
    ],
    [
      'bad YAML further down',
      `a:\n  role-arn: ${ARN('a')}\nb:\n  role-arn: [\n`,
      /^connections: is not valid YAML \(line \d\): /,
    ],
    ['a list', '- a\n- b', /^connections: must be a map of connection names to connections$/],
    ['a scalar', 'hello', /^connections: must be a map of connection names to connections$/],
    ['an empty map', '{}', /^connections: has no connections$/],
    ['a missing role', 'a:\n  source: b\n', /^connections: connection "a": needs role-arn$/],
    [
      'an unknown key',
      `a:\n  role-arn: ${ARN('a')}\n  role: x\n`,
      /^connections: connection "a": unknown key "role"$/,
    ],
    [
      'a bad name',
      `-bad:\n  role-arn: ${ARN('a')}\n`,
      /^connections: connection name "-bad" must be 1 to 64 letters, digits and _.- starting with a letter or digit$/,
    ],
    [
      'a name with a space',
      `has space:\n  role-arn: ${ARN('a')}\n`,
      /connection name "has space" must be/,
    ],
    ['a connection that is not a map', 'a: arn\n', /^connections: connection "a": must be object$/],
    [
      'a duration that is text',
      `a:\n  role-arn: ${ARN('a')}\n  duration: 1h\n`,
      /^connections: connection "a", duration: must be integer$/,
    ],
    [
      'a tag value that is a map',
      `a:\n  role-arn: ${ARN('a')}\n  tags: { T: { x: 1 } }\n`,
      /^connections: connection "a", tags: must be string,number,boolean$/,
    ],
    [
      '51 connections',
      Array.from({ length: 51 }, (_, i) => `c${i}:\n  role-arn: ${ARN(`r${i}`)}`).join('\n'),
      /^connections: has more than 50 connections$/,
    ],
    [
      'an unknown source',
      `a:\n  source: nope\n  role-arn: ${ARN('a')}\n`,
      /^connections: connection "a": source "nope" is not a connection/,
    ],
    [
      'a cycle',
      `a:\n  source: b\n  role-arn: ${ARN('a')}\nb:\n  source: a\n  role-arn: ${ARN('b')}\n`,
      /^connections: connections form a cycle: a -> b -> a$/,
    ],
    [
      'a self-cycle',
      `a:\n  source: a\n  role-arn: ${ARN('a')}\n`,
      /^connections: connections form a cycle: a -> a$/,
    ],
    [
      'a bad role ARN',
      'a:\n  role-arn: arn:aws:iam::1:role/x\n',
      /^connections \(connection "a", role-arn\): "arn:aws:iam::1:role\/x" is not an IAM role ARN/,
    ],
    [
      'a role in another partition than its region',
      `a:\n  role-arn: ${ARN('a')}\n  region: cn-north-1\n`,
      /connections \(connection "a", region\): "cn-north-1" is in partition aws-cn, but aws-region .* is in partition aws/,
    ],
    [
      'a region in another partition than the step, with a role there',
      `a:\n  role-arn: arn:aws-cn:iam::123456789012:role/a\n  region: cn-north-1\n`,
      /connections of one step share a partition$/,
    ],
    [
      'two tag keys that differ only in case',
      `a:\n  role-arn: ${ARN('a')}\n  tags:\n    Env: a\n    env: b\n`,
      /tag key "env" is given twice \(tag keys ignore case\)$/,
    ],
    [
      'a bad region',
      `a:\n  role-arn: ${ARN('a')}\n  region: mars\n`,
      /^connections \(connection "a", region\): "mars" is not an AWS region/,
    ],
    [
      'a duration below 900',
      `a:\n  role-arn: ${ARN('a')}\n  duration: 60\n`,
      /^connections \(connection "a", duration\): 60 is below 900, the least STS allows$/,
    ],
    [
      'a duration above 43200',
      `a:\n  role-arn: ${ARN('a')}\n  duration: 43201\n`,
      /^connections \(connection "a", duration\): 43201 is above 43200/,
    ],
    [
      'a chained duration above 3600',
      `a:\n  role-arn: ${ARN('a')}\nb:\n  source: a\n  role-arn: ${ARN('b')}\n  duration: 7200\n`,
      /^connections \(connection "b", duration\): 7200 is above 3600, the limit for a chained role \(its source is "a"\)$/,
    ],
    [
      'a bad session name',
      `a:\n  role-arn: ${ARN('a')}\n  session-name: x\n`,
      /^connections \(connection "a", session-name\): "x" must be 2 to 64/,
    ],
    [
      'a bad external ID',
      `a:\n  role-arn: ${ARN('a')}\n  external-id: "a b"\n`,
      /^connections \(connection "a", external-id\): "a b" must be 2 to 1224/,
    ],
    [
      'a bad source identity',
      `a:\n  role-arn: ${ARN('a')}\n  source-identity: "aws:x"\n`,
      /^connections \(connection "a", source-identity\): "aws:x" must be 2 to 64 characters/,
    ],
    [
      'a reserved tag key',
      `a:\n  role-arn: ${ARN('a')}\n  tags: { "aws:x": y }\n`,
      /^connections \(connection "a", tags\): tag key "aws:x" must not start with "aws:"$/,
    ],
    [
      'a transitive key that is no tag',
      `a:\n  role-arn: ${ARN('a')}\n  tags: { T: x }\n  transitive-tag-keys: [U]\n`,
      /^connections \(connection "a", transitive-tag-keys\): transitive tag key "U" is not one of the tags$/,
    ],
    [
      'a bad policy ARN',
      `a:\n  role-arn: ${ARN('a')}\n  policy-arns: [ReadOnly]\n`,
      /^connections \(connection "a", policy-arns\): "ReadOnly" is not an IAM policy ARN/,
    ],
    [
      '11 policy ARNs',
      `a:\n  role-arn: ${ARN('a')}\n  policy-arns: [${Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`).join(', ')}]\n`,
      /^connections \(connection "a", policy-arns\): has 11 ARNs, more than 10$/,
    ],
    [
      'a policy that is not JSON',
      `a:\n  role-arn: ${ARN('a')}\n  policy: "{"\n`,
      /^connections \(connection "a", policy\): "{" is not valid JSON$/,
    ],
    [
      'policies above 2048 characters together',
      `a:\n  role-arn: ${ARN('a')}\n  policy: { Resource: ${'x'.repeat(1900)} }\n  policy-arns: [${Array.from({ length: 5 }, (_, i) => `arn:aws:iam::aws:policy/${'P'.repeat(30)}${i}`).join(', ')}]\n`,
      /^connections \(connection "a", policy-arns\): with the policy comes to \d+ characters, above 2048, the limit for session policies$/,
    ],
    [
      'an unknown primary',
      `a:\n  role-arn: ${ARN('a')}\n`,
      /^connection: "nope" is not one of the connections \(a\)$/,
    ],
  ])('refuses %s', (what, text, message) => {
    const err = refusal(text, what === 'an unknown primary' ? { primary: 'nope' } : {});
    expect(err.message).toMatch(message);
  });

  test('a derived external ID needs the repository IDs', () => {
    expect(refusal(`a:\n  role-arn: ${ARN('a')}\n`, { ids: undefined }).message).toMatch(
      /^connections \(connection "a", external-id\): is empty and GITHUB_REPOSITORY_ID/,
    );
  });

  test.each(['external-id: x1', 'tags: { T: x }', 'source-identity: octocat'])(
    'refuses %s on a connection assumed with a web identity',
    (line) => {
      expect(refusal(`a:\n  role-arn: ${ARN('a')}\n  ${line}\n`, { webBase: true }).message).toBe(
        `connections: connection "a": ${line.split(':')[0] ?? ''} cannot be set on a connection assumed with a web identity (the token carries it)`,
      );
    },
  );

  test('temporary base credentials cap a connection on the base', () => {
    expect(
      refusal(`a:\n  role-arn: ${ARN('a')}\n  duration: 3601\n`, { temporaryBase: true }).message,
    ).toBe(
      'connections (connection "a", duration): 3601 is above 3600, the limit for a role assumed with temporary credentials',
    );
  });

  test('errors name the input the YAML came from', () => {
    expect(() => parseConnections({ input: 'connections-file', text: '[]' }, CTX)).toThrow(
      /^connections-file: /,
    );
  });
});

describe('scalars are read as written', () => {
  test.each(['0042', '1.10', 'True', '0x1F', '1e3', 'null'])('the name %s', (name) => {
    const yaml = `${name}:\n  role-arn: ${ARN('a')}\n  duration: 1800\n  tags: { v: 007, ${name}: x }\n`;
    const [c] = parse(yaml).connections;
    expect([c?.name, c?.externalId, c?.durationSeconds, c?.tags]).toEqual([
      name,
      `github:1111:2222:connection:${name}`,
      1800,
      [
        { key: 'v', value: '007' },
        { key: name, value: 'x' },
      ],
    ]);
  });

  test('names that one schema would merge are two connections', () => {
    const yaml = `1.1:\n  role-arn: ${ARN('a')}\n1.10:\n  role-arn: ${ARN('b')}\n`;
    expect(parse(yaml).connections.map((c) => c.name)).toEqual(['1.1', '1.10']);
  });

  test.each(['0x384', '9e2', '"1800s"'])('a duration %s is not a number of seconds', (d) => {
    expect(refusal(`a:\n  role-arn: ${ARN('a')}\n  duration: ${d}\n`).message).toBe(
      'connections: connection "a", duration: must be integer',
    );
  });
});

describe('CONNECTION_NAME', () => {
  test.each([
    ['a', true],
    ['prod-eu.1_x', true],
    ['9lives', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['.hidden', false],
    ['a/b', false],
    ['', false],
  ])('%j: %s', (name, ok) => {
    expect(new RegExp(CONNECTION_NAME).test(name)).toBe(ok);
  });
});

describe('order', () => {
  test('keeps independent connections in their order', () => {
    expect(order('connections', [spec('b'), spec('a')]).map((s) => s.name)).toEqual(['b', 'a']);
  });
  test('puts a source first, once, however many use it', () => {
    const specs = [spec('x', { source: 'hub' }), spec('y', { source: 'hub' }), spec('hub')];
    expect(order('connections', specs).map((s) => s.name)).toEqual(['hub', 'x', 'y']);
  });
  test('finds a longer cycle', () => {
    const specs = [
      spec('a', { source: 'c' }),
      spec('b', { source: 'a' }),
      spec('c', { source: 'b' }),
      spec('d'),
    ];
    expect(() => order('connections', specs)).toThrow(
      'connections: connections form a cycle: a -> c -> b -> a',
    );
  });
});
