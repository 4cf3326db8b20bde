/**
 * The bad-input corpus, through the bundled action. Every case must fail the step with exit
 * code 1 and exactly one error line that names the input and the rule, send no request at
 * all (the proxy in front of moto counts zero), export nothing and leak nothing.
 */
import { startMoto, type Moto, type MotoUser } from './support/moto.js';
import { startProxy, type StsProxy } from './support/proxy.js';
import { errorLines, runStep } from './support/runner.js';
import { assertNoLeaks } from './support/leaks.js';

const MAIN = 'dist/main/index.js';
const ROLE = 'arn:aws:iam::123456789012:role/r1';
const ROLE2 = 'arn:aws:iam::123456789012:role/r2';
const POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const PROXY_PASSWORD = 'Pr0xyPassw0rd';

let moto: Moto;
let proxy: StsProxy;
let user: MotoUser;
let leakChecks = 0;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ moto });
  user = await moto.createUser('ci');
});
afterAll(async () => {
  await proxy.stop();
  await moto.stop();
  console.log(`bad-input.test.ts: ${cases.length} cases, ${leakChecks} leak checks`);
});

const tags = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}: v${i}`).join('\n');
const yaml = (...lines: string[]): string => lines.join('\n');

/** [what, inputs (over valid keys and region), env, input named, rule text]. */
type Case = [string, Record<string, string>, Record<string, string>, string, string | RegExp];
const cases: Case[] = [
  // region
  ['unknown region', { 'aws-region': 'moon-1' }, {}, 'aws-region', 'is not an AWS region'],
  ['upper-case region', { 'aws-region': 'US-EAST-1' }, {}, 'aws-region', 'is not an AWS region'],
  [
    'region on two lines',
    { 'aws-region': 'us-east-1\nus-west-2' },
    {},
    'aws-region',
    'must be a single line',
  ],
  ['no region anywhere', { 'aws-region': '' }, {}, 'aws-region', 'is required'],
  [
    'workflow command in the region',
    { 'aws-region': 'us-east-1::add-mask::x' },
    {},
    'aws-region',
    'is not an AWS region',
  ],
  [
    'a very long region',
    { 'aws-region': 'x'.repeat(10000) },
    {},
    'aws-region',
    '(10000 characters)',
  ],
  // role ARNs
  [
    'short account ID',
    { 'role-to-assume': 'arn:aws:iam::12:role/x' },
    {},
    'role-to-assume',
    'is not an IAM role ARN',
  ],
  [
    'a user, not a role',
    { 'role-to-assume': 'arn:aws:iam::123456789012:user/x' },
    {},
    'role-to-assume',
    'is not an IAM role ARN',
  ],
  [
    'wrong partition for the region',
    { 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/x' },
    {},
    'role-to-assume',
    'is in partition aws-cn, but region us-east-1 is in partition aws',
  ],
  [
    'GovCloud region, commercial ARN',
    { 'aws-region': 'us-gov-west-1', 'role-to-assume': ROLE },
    {},
    'role-to-assume',
    'partition aws-us-gov',
  ],
  [
    'unknown partition',
    { 'role-to-assume': 'arn:foo:iam::123456789012:role/x' },
    {},
    'role-to-assume',
    'unknown partition',
  ],
  [
    'no role name',
    { 'role-to-assume': 'arn:aws:iam::123456789012:role/' },
    {},
    'role-to-assume',
    'is not an IAM role ARN',
  ],
  [
    'role name over 64',
    { 'role-to-assume': `arn:aws:iam::123456789012:role/${'a'.repeat(65)}` },
    {},
    'role-to-assume',
    'is not an IAM role ARN',
  ],
  [
    'neither an ARN nor a role name',
    { 'role-to-assume': 'deploy er' },
    {},
    'role-to-assume',
    'is neither an IAM role ARN',
  ],
  [
    'a bad line in the chain',
    { 'role-chain': `${ROLE}\nnot-an-arn` },
    {},
    'role-chain',
    'is not an IAM role ARN',
  ],
  [
    'chain and single role',
    { 'role-chain': ROLE, 'role-to-assume': ROLE2 },
    {},
    'role-chain',
    'cannot be combined with role-to-assume',
  ],
  [
    'a chain of 21',
    { 'role-chain': Array.from({ length: 21 }, (_, i) => `${ROLE}${i}`).join('\n') },
    {},
    'role-chain',
    'more than 20',
  ],
  // durations
  [
    'duration not a number',
    { 'role-to-assume': ROLE, 'role-duration-seconds': 'abc' },
    {},
    'role-duration-seconds',
    'is not a whole number of seconds',
  ],
  [
    'duration negative',
    { 'role-to-assume': ROLE, 'role-duration-seconds': '-5' },
    {},
    'role-duration-seconds',
    'is not a whole number of seconds',
  ],
  [
    'duration in exponent form',
    { 'role-to-assume': ROLE, 'role-duration-seconds': '1e4' },
    {},
    'role-duration-seconds',
    'is not a whole number of seconds',
  ],
  [
    'duration below 900',
    { 'role-to-assume': ROLE, 'role-duration-seconds': '899' },
    {},
    'role-duration-seconds',
    'is below 900',
  ],
  [
    'duration above 43200',
    { 'role-to-assume': ROLE, 'role-duration-seconds': '43201' },
    {},
    'role-duration-seconds',
    'is above 43200',
  ],
  [
    'a chained hop over 3600',
    { 'role-chain': `${ROLE}\n${ROLE2}`, 'role-duration-seconds': '7200' },
    {},
    'role-duration-seconds',
    '7200 is above 3600, the limit for a chained role',
  ],
  [
    'temporary keys over 3600',
    {
      'role-to-assume': ROLE,
      'role-duration-seconds': '7200',
      'aws-session-token': 'T'.repeat(40),
    },
    {},
    'role-duration-seconds',
    'assumed with temporary credentials',
  ],
  [
    'GetSessionToken over 36 h',
    { 'role-duration-seconds': '129601' },
    {},
    'role-duration-seconds',
    'is above 129600',
  ],
  // session names, external IDs, source identity
  [
    'session name of one character',
    { 'role-to-assume': ROLE, 'role-session-name': 'a' },
    {},
    'role-session-name',
    'must be 2 to 64 characters',
  ],
  [
    'session name with a space',
    { 'role-to-assume': ROLE, 'role-session-name': 'has space' },
    {},
    'role-session-name',
    'must be 2 to 64 characters',
  ],
  [
    'session name over 64',
    { 'role-to-assume': ROLE, 'role-session-name': 'x'.repeat(65) },
    {},
    'role-session-name',
    'must be 2 to 64 characters',
  ],
  [
    'session name with workflow command',
    { 'role-to-assume': ROLE, 'role-session-name': '::set-env name=X::y' },
    {},
    'role-session-name',
    'must be 2 to 64 characters',
  ],
  [
    'session name with unicode',
    { 'role-to-assume': ROLE, 'role-session-name': 'rôle' },
    {},
    'role-session-name',
    'must be 2 to 64 characters',
  ],
  [
    'session name injecting a variable',
    { 'role-to-assume': ROLE, 'role-session-name': 'ok\nAWS_PROFILE=evil' },
    {},
    'role-session-name',
    'must be a single line',
  ],
  [
    'session name holding a heredoc delimiter',
    { 'role-to-assume': ROLE, 'role-session-name': 'x<<ghadelimiter_1' },
    {},
    'role-session-name',
    'must be 2 to 64 characters',
  ],
  [
    'external ID of one character',
    { 'role-to-assume': ROLE, 'role-external-id': 'a' },
    {},
    'role-external-id',
    'must be 2 to 1224 characters',
  ],
  [
    'external ID with #',
    { 'role-to-assume': ROLE, 'role-external-id': 'has#hash' },
    {},
    'role-external-id',
    'must be 2 to 1224 characters',
  ],
  [
    'external ID over 1224',
    { 'role-to-assume': ROLE, 'role-external-id': 'x'.repeat(1225) },
    {},
    'role-external-id',
    'must be 2 to 1224 characters',
  ],
  [
    'three external IDs for two hops',
    { 'role-chain': `${ROLE}\n${ROLE2}`, 'role-external-id': 'aa\nbb\ncc' },
    {},
    'role-external-id',
    'has 3 lines for 2 AssumeRole hops',
  ],
  [
    'external ID and no role',
    { 'role-external-id': 'abc' },
    {},
    'role-external-id',
    'needs a role',
  ],
  [
    'no repository IDs to derive from',
    { 'role-to-assume': ROLE },
    { GITHUB_REPOSITORY_ID: '' },
    'role-external-id',
    'no external ID can be derived',
  ],
  [
    'source identity of one character',
    { 'role-to-assume': ROLE, 'source-identity': 'a' },
    {},
    'source-identity',
    'must be 2 to 64 characters',
  ],
  [
    'source identity with a space',
    { 'role-to-assume': ROLE, 'source-identity': 'a b' },
    {},
    'source-identity',
    'must be 2 to 64 characters',
  ],
  // tags
  [
    'session-tags not a map',
    { 'role-to-assume': ROLE, 'session-tags': 'yes' },
    {},
    'session-tags',
    'must be a map of tag key to value',
  ],
  [
    '51 tags',
    { 'role-to-assume': ROLE, 'session-tags': tags(51) },
    {},
    'session-tags',
    'has 51 tags, more than 50',
  ],
  [
    'tag key starting with aws:',
    { 'role-to-assume': ROLE, 'session-tags': '"aws:x": y' },
    {},
    'session-tags',
    'must not start with "aws:"',
  ],
  [
    'tag key over 128',
    { 'role-to-assume': ROLE, 'session-tags': `${'k'.repeat(129)}: v` },
    {},
    'session-tags',
    'must be 1 to 128 characters',
  ],
  [
    'tag value with #',
    { 'role-to-assume': ROLE, 'session-tags': 'team: "a#b"' },
    {},
    'session-tags',
    'must be at most 256 characters',
  ],
  [
    'tag value over 256',
    { 'role-to-assume': ROLE, 'session-tags': `team: ${'v'.repeat(257)}` },
    {},
    'session-tags',
    'must be at most 256 characters',
  ],
  [
    'tags that are not YAML',
    { 'role-to-assume': ROLE, 'session-tags': 'a: [b' },
    {},
    'session-tags',
    'YAML map',
  ],
  [
    'transitive key not among the tags',
    { 'role-to-assume': ROLE, 'session-tags': 'team: a', 'transitive-tag-keys': 'other' },
    {},
    'transitive-tag-keys',
    'is not one of the session tags',
  ],
  // policies
  [
    'inline policy not JSON',
    { 'role-to-assume': ROLE, 'inline-session-policy': '{not json' },
    {},
    'inline-session-policy',
    'is not valid JSON',
  ],
  [
    'inline policy an array',
    { 'role-to-assume': ROLE, 'inline-session-policy': '[1,2]' },
    {},
    'inline-session-policy',
    'must be a JSON policy document',
  ],
  [
    'inline policy over 2048',
    {
      'role-to-assume': ROLE,
      'inline-session-policy': JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(2100) }],
      }),
    },
    {},
    'inline-session-policy',
    'above 2048',
  ],
  [
    'managed policy that is a role',
    { 'role-to-assume': ROLE, 'managed-session-policies': ROLE },
    {},
    'managed-session-policies',
    'is not an IAM policy ARN',
  ],
  [
    'eleven managed policies',
    { 'role-to-assume': ROLE, 'managed-session-policies': Array(11).fill(POLICY_ARN).join('\n') },
    {},
    'managed-session-policies',
    'more than 10',
  ],
  // booleans, numbers, accounts
  [
    'output-credentials: yes',
    { 'output-credentials': 'yes' },
    {},
    'output-credentials',
    'is not a boolean',
  ],
  [
    'mask-aws-account-id: 1',
    { 'mask-aws-account-id': '1' },
    {},
    'mask-aws-account-id',
    'is not a boolean',
  ],
  [
    'session-credentials: on',
    { 'session-credentials': 'on' },
    {},
    'session-credentials',
    'is not a boolean',
  ],
  [
    'refresh: maybe',
    { 'role-to-assume': ROLE, refresh: 'maybe' },
    {},
    'refresh',
    'is not a boolean',
  ],
  ['retries 0', { 'retry-max-attempts': '0' }, {}, 'retry-max-attempts', 'is outside 1 to 10'],
  ['retries 11', { 'retry-max-attempts': '11' }, {}, 'retry-max-attempts', 'is outside 1 to 10'],
  [
    'short account ID allowed',
    { 'allowed-account-ids': '12345' },
    {},
    'allowed-account-ids',
    'is not a 12-digit AWS account ID',
  ],
  [
    'a word among account IDs',
    { 'allowed-account-ids': '123456789012,abc' },
    {},
    'allowed-account-ids',
    'is not a 12-digit AWS account ID',
  ],
  [
    'credentials going nowhere',
    { 'output-env-credentials': 'false' },
    {},
    'output-env-credentials',
    'would go nowhere',
  ],
  // endpoints and proxies
  [
    'an ftp endpoint',
    { 'sts-endpoint': 'ftp://127.0.0.1' },
    {},
    'sts-endpoint',
    'must be an http:// or https:// URL',
  ],
  ['endpoint not a URL', { 'sts-endpoint': 'not a url' }, {}, 'sts-endpoint', 'is not a URL'],
  [
    'garbage AWS_ENDPOINT_URL',
    {},
    { AWS_ENDPOINT_URL: 'nope', AWS_ENDPOINT_URL_STS: '' },
    'AWS_ENDPOINT_URL',
    'is not a URL',
  ],
  [
    'a proxy with a password and a path',
    {},
    // The emulator's endpoint is http://, so HTTP_PROXY is the one read.
    { HTTP_PROXY: `proxyuser:${PROXY_PASSWORD}@proxy.corp:3128/path` },
    'HTTP_PROXY',
    'must be a proxy address with no path',
  ],
  [
    'a SOCKS proxy',
    { 'http-proxy': 'socks5://127.0.0.1:1080' },
    {},
    'http-proxy',
    'must be an http:// or https:// URL',
  ],
  // credentials and conflicts
  [
    'key ID without secret',
    { 'aws-secret-access-key': '' },
    {},
    'aws-secret-access-key',
    'is required with aws-access-key-id',
  ],
  [
    'session token without keys',
    { 'aws-access-key-id': '', 'aws-secret-access-key': '', 'aws-session-token': 'T'.repeat(40) },
    {},
    'aws-session-token',
    'needs aws-access-key-id',
  ],
  [
    'lower-case key ID',
    { 'aws-access-key-id': 'akiaexampleexample' },
    {},
    'aws-access-key-id',
    'is not an access key ID',
  ],
  [
    'secret on two lines',
    { 'aws-secret-access-key': 'abcdefghijklmnop\nqrstuvwxyz0123456789' },
    {},
    'aws-secret-access-key',
    'is not a secret access key',
  ],
  [
    'token file and keys',
    { 'web-identity-token-file': '/tmp/token', 'role-to-assume': ROLE },
    {},
    'web-identity-token-file',
    'cannot be combined with aws-access-key-id',
  ],
  [
    'token file and no role',
    {
      'aws-access-key-id': '',
      'aws-secret-access-key': '',
      'web-identity-token-file': '/tmp/token',
    },
    {},
    'web-identity-token-file',
    'needs a role',
  ],
  ['refresh and no role', { refresh: 'true' }, {}, 'refresh', 'needs a role'],
  [
    'refresh window of 40 h',
    { 'role-to-assume': ROLE, refresh: 'true', 'refresh-window': '40h' },
    {},
    'refresh-window',
    'is outside 15m to 36h',
  ],
  ['connection and no connections', { connection: 'a' }, {}, 'connection', 'needs connections'],
  // connections
  ['connections not YAML', { connections: 'a: [' }, {}, 'connections', 'is not valid YAML'],
  [
    'a connection without role-arn',
    { connections: yaml('a:', '  region: us-east-1') },
    {},
    'connections',
    'connection "a": needs role-arn',
  ],
  [
    'an unknown key',
    { connections: yaml('a:', `  role-arn: ${ROLE}`, '  rolearn: x') },
    {},
    'connections',
    'unknown key "rolearn"',
  ],
  [
    'an unknown source',
    { connections: yaml('a:', `  role-arn: ${ROLE}`, '  source: b') },
    {},
    'connections',
    'source "b" is not a connection',
  ],
  [
    'a cycle',
    {
      connections: yaml(
        'a:',
        `  role-arn: ${ROLE}`,
        '  source: b',
        'b:',
        `  role-arn: ${ROLE2}`,
        '  source: a',
      ),
    },
    {},
    'connections',
    'form a cycle',
  ],
  [
    'a name used twice',
    { connections: yaml('a:', `  role-arn: ${ROLE}`, 'a:', `  role-arn: ${ROLE2}`) },
    {},
    'connections',
    'used twice',
  ],
  [
    'a chained connection over 3600',
    {
      connections: yaml(
        'a:',
        `  role-arn: ${ROLE}`,
        'b:',
        '  source: a',
        `  role-arn: ${ROLE2}`,
        '  duration: 7200',
      ),
    },
    {},
    'connections (connection "b", duration)',
    'the limit for a chained role',
  ],
  [
    'a bad connection name',
    { connections: yaml('"bad name":', `  role-arn: ${ROLE}`) },
    {},
    'connections',
    'connection name "bad name"',
  ],
  [
    'a bad ARN in a connection',
    { connections: yaml('a:', '  role-arn: nope') },
    {},
    'connections (connection "a", role-arn)',
    'is not an IAM role ARN',
  ],
  [
    'connections and a role',
    { connections: yaml('a:', `  role-arn: ${ROLE}`), 'role-to-assume': ROLE },
    {},
    'connections',
    'cannot be combined with role-to-assume',
  ],
  [
    'connection naming none of them',
    { connections: yaml('a:', `  role-arn: ${ROLE}`), connection: 'b' },
    {},
    'connection',
    '"b" is not one of the connections',
  ],
  [
    'a connections file that does not exist',
    { 'connections-file': 'nope.yml' },
    {},
    'connections-file',
    'does not exist',
  ],
  [
    'a step duration with connections',
    { connections: yaml('a:', `  role-arn: ${ROLE}`), 'role-duration-seconds': '900' },
    {},
    'role-duration-seconds',
    'set it on each connection',
  ],
];

test('the corpus is large enough', () => {
  expect(cases.length).toBeGreaterThanOrEqual(60);
});

test.each(cases)('%s', async (_what, inputs, env, input, rule) => {
  const all = {
    'aws-region': 'us-east-1',
    'aws-access-key-id': user.accessKeyId,
    'aws-secret-access-key': user.secretAccessKey,
    ...inputs,
  };
  proxy.clear();
  const result = await runStep({
    entry: MAIN,
    inputs: all,
    env: { AWS_ENDPOINT_URL_STS: proxy.url, ...env },
  });
  const errors = errorLines(result);
  expect({ code: result.code, errors: errors.length }).toEqual({ code: 1, errors: 1 });
  const message = (errors[0] ?? '').slice('::error::'.length);
  expect(message.startsWith(`${input}: `)).toBe(true);
  if (typeof rule === 'string') expect(message).toContain(rule);
  else expect(message).toMatch(rule);
  expect(message.length).toBeLessThan(400);
  expect(proxy.count()).toBe(0);
  expect(result.env).toEqual({});
  expect(result.outputs).toEqual({});
  const given = all as Record<string, string | undefined>;
  const secrets = [
    user.accessKeyId,
    user.secretAccessKey,
    given['aws-access-key-id'] ?? '',
    given['aws-secret-access-key'] ?? '',
    given['aws-session-token'] ?? '',
    PROXY_PASSWORD,
  ];
  leakChecks += assertNoLeaks(
    result,
    secrets.filter((s) => s.length >= 8),
  );
});
