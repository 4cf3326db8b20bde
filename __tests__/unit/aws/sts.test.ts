// Loaded up front: jest's ESM loader fails when both are first imported concurrently, as
// createSts does with a proxy ("request for 'net' is not in cache").
import 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { Credentials } from '../../../src/aws/credentials.js';
import { jest } from '@jest/globals';
import { accountOf, createSts, type StsConfig, type StsPort } from '../../../src/aws/sts.js';
import { PreconnectingAgent } from '../../../src/aws/preconnect.js';
import { STS_STAND_IN_VARIABLE } from '../../../src/aws/client.js';
import { awsError } from '../../../__fixtures__/sts.js';

const stsMock = mockClient(STSClient);
// No early connection leaves this machine: the tests only see where it would have gone.
const preconnect = jest
  .spyOn(PreconnectingAgent.prototype, 'preconnect')
  .mockImplementation(() => undefined);
afterEach(() => {
  stsMock.reset();
  preconnect.mockClear();
});
afterAll(() => {
  stsMock.restore();
  preconnect.mockRestore();
});

const SIGNER: Credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const EXPIRY = new Date('2030-01-01T00:00:00Z');
const ANSWER = {
  Credentials: {
    AccessKeyId: 'ASIANEWKEY',
    SecretAccessKey: 'new-secret',
    SessionToken: 'new-token',
    Expiration: EXPIRY,
  },
  AssumedRoleUser: {
    Arn: 'arn:aws:sts::123456789012:assumed-role/deployer/GitHubActions',
    AssumedRoleId: 'AROA:GitHubActions',
  },
};

/** The adapter, and a log of what it masked and whether the call had returned by then. */
async function adapter(
  config: Partial<StsConfig> = {},
): Promise<{ sts: StsPort; masked: string[]; lateMasks: string[]; returned: () => void }> {
  const masked: string[] = [];
  const lateMasks: string[] = [];
  let done = false;
  const sts = await createSts({
    region: 'eu-west-1',
    connectTimeoutMs: 3000,
    requestTimeoutMs: 5000,
    mask: (v) => {
      masked.push(v);
      if (done) lateMasks.push(v);
    },
    ...config,
  });
  return { sts, masked, lateMasks, returned: () => (done = true) };
}

/** The client that sent call `n`. */
function clientOf(n: number): STSClient {
  return stsMock.call(n).thisValue as STSClient;
}

describe('assumeRole', () => {
  test('sends every parameter, signed with the given credentials, and masks the answer before returning', async () => {
    stsMock.on(AssumeRoleCommand).resolves(ANSWER);
    const { sts, masked, lateMasks, returned } = await adapter();
    const session = await sts
      .assumeRole(SIGNER, {
        roleArn: 'arn:aws:iam::123456789012:role/deployer',
        sessionName: 'GitHubActions',
        durationSeconds: 900,
        externalId: 'github:1111:2222:chain:1:deployer',
        tags: [
          { key: 'Team', value: 'infra' },
          { key: 'Repository', value: 'octo/app' },
        ],
        transitiveTagKeys: ['Team'],
        sourceIdentity: 'octocat',
        policy: '{"Version":"2012-10-17"}',
        policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      })
      .finally(returned);

    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/deployer',
      RoleSessionName: 'GitHubActions',
      DurationSeconds: 900,
      ExternalId: 'github:1111:2222:chain:1:deployer',
      Tags: [
        { Key: 'Team', Value: 'infra' },
        { Key: 'Repository', Value: 'octo/app' },
      ],
      TransitiveTagKeys: ['Team'],
      SourceIdentity: 'octocat',
      Policy: '{"Version":"2012-10-17"}',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    await expect(clientOf(0).config.credentials()).resolves.toMatchObject(SIGNER);
    expect(session).toEqual({
      credentials: {
        accessKeyId: 'ASIANEWKEY',
        secretAccessKey: 'new-secret',
        sessionToken: 'new-token',
        expiration: EXPIRY,
      },
      arn: 'arn:aws:sts::123456789012:assumed-role/deployer/GitHubActions',
      accountId: '123456789012',
    });
    expect(masked).toEqual(['ASIANEWKEY', 'new-secret', 'new-token']);
    expect(lateMasks).toEqual([]);
  });

  test('leaves out what the request does not set', async () => {
    stsMock.on(AssumeRoleCommand).resolves(ANSWER);
    const { sts } = await adapter();
    await sts.assumeRole(SIGNER, {
      roleArn: 'arn:aws:iam::123456789012:role/r',
      sessionName: 'sess',
      durationSeconds: 3600,
      tags: [],
      transitiveTagKeys: [],
      policyArns: [],
    });
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      RoleSessionName: 'sess',
      DurationSeconds: 3600,
    });
  });

  test('each call builds a client around its own signer', async () => {
    stsMock.on(AssumeRoleCommand).resolves(ANSWER);
    const { sts } = await adapter();
    const other: Credentials = {
      accessKeyId: 'ASIAHOP1',
      secretAccessKey: 'hop1-secret',
      sessionToken: 'hop1-token',
    };
    await sts.assumeRole(SIGNER, {
      roleArn: 'arn:aws:iam::123456789012:role/a',
      sessionName: 'ss',
      durationSeconds: 900,
    });
    await sts.assumeRole(other, {
      roleArn: 'arn:aws:iam::123456789012:role/b',
      sessionName: 'ss',
      durationSeconds: 900,
    });
    expect(clientOf(0)).not.toBe(clientOf(1));
    await expect(clientOf(0).config.credentials()).resolves.toMatchObject(SIGNER);
    await expect(clientOf(1).config.credentials()).resolves.toMatchObject(other);
  });

  test('an answer without a session token or user', async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAX',
        SecretAccessKey: 'sx',
        SessionToken: undefined,
        Expiration: undefined,
      },
    });
    const { sts, masked } = await adapter();
    const session = await sts.assumeRole(SIGNER, {
      roleArn: 'arn:aws:iam::123456789012:role/r',
      sessionName: 'ss',
      durationSeconds: 900,
    });
    expect(session).toEqual({
      credentials: { accessKeyId: 'ASIAX', secretAccessKey: 'sx' },
      arn: '',
      accountId: '',
    });
    expect(masked).toEqual(['ASIAX', 'sx']);
  });

  test('an answer without credentials is an error', async () => {
    stsMock.on(AssumeRoleCommand).resolves({});
    const { sts, masked } = await adapter();
    await expect(
      sts.assumeRole(SIGNER, {
        roleArn: 'arn:aws:iam::123456789012:role/r',
        sessionName: 'ss',
        durationSeconds: 900,
      }),
    ).rejects.toThrow('STS answered AssumeRole without credentials');
    expect(masked).toEqual([]);
  });

  test('an SDK error passes through, for the caller to retry or describe', async () => {
    const denied = awsError('AccessDenied', 'not authorized', 403);
    stsMock.on(AssumeRoleCommand).rejects(denied);
    const { sts } = await adapter();
    await expect(
      sts.assumeRole(SIGNER, {
        roleArn: 'arn:aws:iam::123456789012:role/r',
        sessionName: 'ss',
        durationSeconds: 900,
      }),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'not authorized',
    });
  });
});

describe('assumeRoleWithWebIdentity', () => {
  test('sends the token and no external ID, tags or source identity; masks the answer', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves(ANSWER);
    const { sts, masked, lateMasks, returned } = await adapter();
    const session = await sts
      .assumeRoleWithWebIdentity('eyJ.token', {
        roleArn: 'arn:aws:iam::123456789012:role/gh',
        sessionName: 'GitHubActions',
        durationSeconds: 43200,
        externalId: 'ignored',
        tags: [{ key: 'a', value: 'b' }],
        transitiveTagKeys: ['a'],
        sourceIdentity: 'ignored',
        policy: '{}',
        policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      })
      .finally(returned);
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)[0]?.args[0].input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/gh',
      RoleSessionName: 'GitHubActions',
      DurationSeconds: 43200,
      WebIdentityToken: 'eyJ.token',
      Policy: '{}',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    expect(session.accountId).toBe('123456789012');
    expect(masked).toEqual(['ASIANEWKEY', 'new-secret', 'new-token']);
    expect(lateMasks).toEqual([]);
  });

  test('an answer without a user: no ARN and no account, rather than a made-up one', async () => {
    stsMock
      .on(AssumeRoleWithWebIdentityCommand)
      .resolves({ Credentials: { ...ANSWER.Credentials } });
    const { sts } = await adapter();
    const session = await sts.assumeRoleWithWebIdentity('t', {
      roleArn: 'arn:aws:iam::123456789012:role/gh',
      sessionName: 'ss',
      durationSeconds: 900,
    });
    expect(session).toMatchObject({ arn: '', accountId: '' });
  });

  test('an answer without credentials is an error', async () => {
    stsMock
      .on(AssumeRoleWithWebIdentityCommand)
      .resolves({ Credentials: { AccessKeyId: 'ASIAX' } as never });
    const { sts } = await adapter();
    await expect(
      sts.assumeRoleWithWebIdentity('t', {
        roleArn: 'arn:aws:iam::123456789012:role/gh',
        sessionName: 'ss',
        durationSeconds: 900,
      }),
    ).rejects.toThrow('STS answered AssumeRoleWithWebIdentity without credentials');
  });
});

describe('getSessionToken', () => {
  test('signed with the long-term key, for the duration; masked before returning', async () => {
    stsMock.on(GetSessionTokenCommand).resolves({ Credentials: ANSWER.Credentials });
    const { sts, masked, lateMasks, returned } = await adapter();
    const credentials = await sts.getSessionToken(SIGNER, 7200).finally(returned);
    expect(stsMock.commandCalls(GetSessionTokenCommand)[0]?.args[0].input).toEqual({
      DurationSeconds: 7200,
    });
    await expect(clientOf(0).config.credentials()).resolves.toMatchObject(SIGNER);
    expect(credentials).toEqual({
      accessKeyId: 'ASIANEWKEY',
      secretAccessKey: 'new-secret',
      sessionToken: 'new-token',
      expiration: EXPIRY,
    });
    expect(masked).toEqual(['ASIANEWKEY', 'new-secret', 'new-token']);
    expect(lateMasks).toEqual([]);
  });

  test('an answer without credentials is an error that names the call', async () => {
    stsMock.on(GetSessionTokenCommand).resolves({});
    const { sts, masked } = await adapter();
    await expect(sts.getSessionToken(SIGNER, 7200)).rejects.toThrow(
      'STS answered GetSessionToken without credentials',
    );
    expect(masked).toEqual([]);
  });
});

describe('getCallerIdentity', () => {
  test.each([
    [
      { Arn: 'arn:aws:iam::123456789012:user/ci', Account: '123456789012' },
      { arn: 'arn:aws:iam::123456789012:user/ci', accountId: '123456789012' },
    ],
    [
      { Arn: 'arn:aws:sts::210987654321:assumed-role/r/s' },
      { arn: 'arn:aws:sts::210987654321:assumed-role/r/s', accountId: '210987654321' },
    ],
    [{}, { arn: '', accountId: '' }],
  ])('%j', async (answer, identity) => {
    stsMock.on(GetCallerIdentityCommand).resolves(answer);
    const { sts, masked } = await adapter();
    await expect(sts.getCallerIdentity(SIGNER)).resolves.toEqual(identity);
    expect(stsMock.commandCalls(GetCallerIdentityCommand)[0]?.args[0].input).toEqual({});
    await expect(clientOf(0).config.credentials()).resolves.toMatchObject(SIGNER);
    expect(masked).toEqual([]);
  });
});

describe('client configuration', () => {
  test('the region, one try (retries are ours), the timeouts, no logger', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({});
    const { sts } = await adapter({
      region: 'ap-south-1',
      connectTimeoutMs: 1234,
      requestTimeoutMs: 5678,
    });
    await sts.getCallerIdentity(SIGNER);
    const client = clientOf(0);
    await expect(client.config.region()).resolves.toBe('ap-south-1');
    await expect(client.config.maxAttempts()).resolves.toBe(1);
    expect(client.config.isCustomEndpoint).toBe(false);
    const handler = await (
      client.config.requestHandler as unknown as {
        configProvider: Promise<Record<string, unknown>>;
      }
    ).configProvider;
    expect(handler).toMatchObject({ connectionTimeout: 1234, requestTimeout: 5678 });
    expect(handler['httpsAgent']).not.toBeInstanceOf(HttpsProxyAgent);
    // The SDK's default logger drops everything: a SessionToken is not marked sensitive.
    expect(client.config.logger.constructor.name).toBe('NoOpLogger');
  });

  test('an explicit endpoint', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({});
    const { sts } = await adapter({ endpoint: 'http://127.0.0.1:5000/' });
    await sts.getCallerIdentity(SIGNER);
    const client = clientOf(0);
    expect(client.config.isCustomEndpoint).toBe(true);
    await expect(client.config.endpoint?.()).resolves.toMatchObject({
      hostname: '127.0.0.1',
      port: 5000,
      protocol: 'http:',
    });
  });

  test('a proxy: requests tunnel through it', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({});
    const { sts } = await adapter({ proxy: 'http://proxy.internal:3128' });
    await sts.getCallerIdentity(SIGNER);
    const handler = await (
      clientOf(0).config.requestHandler as unknown as {
        configProvider: Promise<Record<string, unknown>>;
      }
    ).configProvider;
    const agent = handler['httpsAgent'];
    expect(agent).toBeInstanceOf(HttpsProxyAgent);
    expect((agent as HttpsProxyAgent<string>).proxy.href).toBe('http://proxy.internal:3128/');
  });
});

describe('the early connection', () => {
  test.each([
    [{}, [['https://sts.eu-west-1.amazonaws.com', 1]]],
    [{ region: 'cn-north-1', parallel: 4 }, [['https://sts.cn-north-1.amazonaws.com.cn', 4]]],
    [{ endpoint: 'https://sts-fips.eu-west-1.amazonaws.com' }, []],
    [{ proxy: 'http://proxy.internal:3128' }, []],
    [
      { env: { [STS_STAND_IN_VARIABLE]: 'https://127.0.0.1:4443' } },
      [['https://127.0.0.1:4443', 1]],
    ],
    [
      {
        endpoint: 'https://127.0.0.1:5000',
        env: { [STS_STAND_IN_VARIABLE]: 'https://127.0.0.1:4443' },
      },
      [],
    ],
  ])('%j: opened to %j', async (config, calls) => {
    await adapter(config);
    expect(preconnect.mock.calls).toEqual(calls);
  });

  test('the stand-in is also where the calls go; a configured endpoint wins over it', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({});
    const env = { [STS_STAND_IN_VARIABLE]: 'https://127.0.0.1:4443' };
    await (await adapter({ env })).sts.getCallerIdentity(SIGNER);
    await expect(clientOf(0).config.endpoint?.()).resolves.toMatchObject({
      hostname: '127.0.0.1',
      port: 4443,
    });
    await (
      await adapter({ env, endpoint: 'http://127.0.0.1:5000/' })
    ).sts.getCallerIdentity(SIGNER);
    await expect(clientOf(1).config.endpoint?.()).resolves.toMatchObject({ port: 5000 });
  });

  test('the SDK is loaded while the early connections progress', async () => {
    const whileConnecting = jest.spyOn(PreconnectingAgent.prototype, 'whileConnecting');
    try {
      await adapter();
      expect(whileConnecting).toHaveBeenCalledTimes(1);
      await expect(whileConnecting.mock.results[0]?.value).resolves.toHaveProperty('STSClient');
    } finally {
      whileConnecting.mockRestore();
    }
  });

  test('every client of an adapter shares one agent', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({});
    const { sts } = await adapter();
    await sts.getCallerIdentity(SIGNER);
    await sts.getCallerIdentity({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'other' });
    const agentOf = async (n: number): Promise<unknown> =>
      (
        await (
          clientOf(n).config.requestHandler as unknown as {
            configProvider: Promise<Record<string, unknown>>;
          }
        ).configProvider
      )['httpsAgent'];
    expect(await agentOf(0)).toBeInstanceOf(PreconnectingAgent);
    expect(await agentOf(0)).toBe(await agentOf(1));
    await expect(clientOf(1).config.credentials()).resolves.toMatchObject({
      accessKeyId: 'AKIAOTHER',
    });
  });
});

describe('accountOf', () => {
  test.each([
    ['arn:aws:sts::123456789012:assumed-role/r/s', '123456789012'],
    ['arn:aws:iam::123456789012:user/ci', '123456789012'],
    ['', ''],
    ['not-an-arn', ''],
  ])('%j', (arn, account) => {
    expect(accountOf(arn)).toBe(account);
  });
});
