import { InputError } from '../../../../src/shared/errors.js';
import {
  DEFAULT_FILE_NOTICE,
  readInputs,
  type ReadFile,
} from '../../../../src/connect/inputs/read.js';

/** Reads `inputs` as the runner would without the action.yml defaults: '' for the rest. */
function inputsOf(inputs: Record<string, string>, files: Record<string, string> = {}) {
  const readFile: ReadFile = (path) => files[path];
  return readInputs((name) => inputs[name] ?? '', { AWS_REGION: 'eu-west-1' }, readFile);
}

describe('readInputs', () => {
  test('an empty input reads as its action.yml default', async () => {
    const inputs = await inputsOf({});
    expect(inputs).toMatchObject({
      region: 'eu-west-1',
      sessionName: 'GitHubActions',
      audience: 'sts.amazonaws.com',
      sessionTags: [],
      sessionCredentials: true,
      outputCredentials: false,
      outputEnvCredentials: true,
      maskAccountId: false,
      retryMaxAttempts: 4,
      refresh: false,
      refreshWindowSeconds: 6 * 3600,
    });
    expect([...inputs.given]).toEqual([]);
  });

  test.each([
    ['6h', 21600],
    ['90m', 5400],
    ['900', 900],
    ['36h', 129600],
  ])('refresh-window %j is %d s', async (window, seconds) => {
    expect((await inputsOf({ 'refresh-window': window })).refreshWindowSeconds).toBe(seconds);
  });

  test.each([
    [{ 'session-tags': 'false' }, []],
    [{ 'session-tags': 'FALSE' }, []],
    [{ 'session-tags': 'True' }, ['session-tags']],
    [{ 'role-external-id': ' an-id ' }, ['role-external-id']],
    [{ 'role-session-name': 'GitHubActions' }, ['role-session-name']],
  ])('given: %j', async (inputs, given) => {
    expect([...(await inputsOf(inputs)).given]).toEqual(given);
  });

  test.each([
    [{}, {}, undefined],
    [{ connections: 'a:\n  role-arn: x' }, {}, { input: 'connections', text: 'a:\n  role-arn: x' }],
    [
      { 'connections-file': 'c.yml' },
      { 'c.yml': 'b: {}' },
      { input: 'connections-file', text: 'b: {}' },
    ],
    [
      { 'connections-file': '.github/aws-connections.yml' },
      { '.github/aws-connections.yml': 'd: {}' },
      { input: 'connections-file', text: 'd: {}' },
    ],
    [{}, { '.github/aws-connections.yml': 'd: {}' }, undefined],
    [{ 'role-to-assume': 'arn' }, { '.github/aws-connections.yml': 'd: {}' }, undefined],
  ])('connections from %j with files %j', async (inputs, files, source) => {
    expect((await inputsOf(inputs, files)).connections).toEqual(source);
  });

  test.each([
    ['no connections', {}, [DEFAULT_FILE_NOTICE]],
    ['a role of its own', { 'role-to-assume': 'arn' }, [DEFAULT_FILE_NOTICE]],
    ['connections of its own', { connections: 'a: {}' }, []],
    ['the file named', { 'connections-file': '.github/aws-connections.yml' }, []],
  ])('the default file is there, the step has %s: notices', async (_what, inputs, notices) => {
    const files = { '.github/aws-connections.yml': 'd: {}' };
    expect((await inputsOf(inputs, files)).notices).toEqual(notices);
  });

  test('no default file, no notice; one that cannot be read is noticed, never fatal', async () => {
    expect((await inputsOf({})).notices).toEqual([]);
    const broken: ReadFile = () => {
      throw Object.assign(new Error('EISDIR: illegal operation on a directory'), {
        code: 'EISDIR',
      });
    };
    const inputs = await readInputs(() => '', { AWS_REGION: 'eu-west-1' }, broken);
    expect(inputs.notices).toEqual([DEFAULT_FILE_NOTICE]);
  });

  test('the notice says how to use the file and why it is not read implicitly', () => {
    expect(DEFAULT_FILE_NOTICE).toContain(
      'add connections-file: .github/aws-connections.yml to the step',
    );
    expect(DEFAULT_FILE_NOTICE).toContain('pull request');
  });

  test.each([
    [{ 'refresh-window': '10m' }, 'refresh-window: "10m" is outside 15m to 36h'],
    [{ 'refresh-window': '6 h' }, 'refresh-window: "6 h" is not a duration'],
    [{ 'retry-max-attempts': '11' }, 'retry-max-attempts: 11 is outside 1 to 10'],
    [{ refresh: 'yes' }, 'refresh: "yes" is not a boolean (use true or false)'],
    [{ 'session-tags': 'a: [' }, 'session-tags: must be true, false, or a YAML map'],
    [{ 'role-session-name': 'a\nb' }, 'role-session-name: "a\\nb" must be a single line'],
    [{ connections: 'a: {}', 'connections-file': 'c.yml' }, 'connections-file: cannot be combined'],
    [{ 'connections-file': 'c.yml' }, 'connections-file: "c.yml" does not exist'],
  ])('refuses %j', async (inputs, message) => {
    const err: unknown = await inputsOf(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(message);
  });
});
