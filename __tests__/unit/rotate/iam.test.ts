/** The SDK adapter of the IAM port: each call signed with the credentials given, one try each. */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { createIam } from '../../../src/rotate/iam.js';

const A = { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'a'.repeat(40) };
const B = { accessKeyId: 'AKIABBBBBBBBBBBBBBBB', secretAccessKey: 'b'.repeat(40) };

describe('IAM adapter', () => {
  const iamMock = mockClient(IAMClient);
  afterEach(() => iamMock.reset());

  it('signs every call with the credentials passed to it, one try each', async () => {
    const signers: string[] = [];
    iamMock.onAnyCommand().callsFake(async (_input, getClient: () => IAMClient) => {
      const client = getClient();
      const creds = await client.config.credentials();
      signers.push(creds.accessKeyId);
      expect(await client.config.maxAttempts()).toBe(1);
      return {};
    });
    iamMock.on(ListAccessKeysCommand).callsFake(async (_i, getClient: () => IAMClient) => {
      signers.push((await getClient().config.credentials()).accessKeyId);
      return {
        AccessKeyMetadata: [
          { AccessKeyId: 'K1', Status: 'Active', CreateDate: new Date(0) },
          { AccessKeyId: 'K2', Status: 'Inactive' },
          {},
        ],
      };
    });
    iamMock.on(CreateAccessKeyCommand).callsFake(async (_i, getClient: () => IAMClient) => {
      signers.push((await getClient().config.credentials()).accessKeyId);
      return {
        AccessKey: {
          AccessKeyId: 'K3',
          SecretAccessKey: 's3cr3t',
          UserName: 'u',
          Status: 'Active',
        },
      };
    });
    iamMock.on(GetAccessKeyLastUsedCommand).callsFake(async (_i, getClient: () => IAMClient) => {
      signers.push((await getClient().config.credentials()).accessKeyId);
      return { AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } };
    });
    const iam = await createIam({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1',
      connectTimeoutMs: 100,
      requestTimeoutMs: 100,
    });
    expect(await iam.listAccessKeys(A, 'u')).toEqual([
      { id: 'K1', status: 'Active', createdAt: new Date(0) },
      { id: 'K2', status: 'Inactive' },
    ]);
    expect(await iam.createAccessKey(A, 'u')).toEqual({ id: 'K3', secret: 's3cr3t' });
    await iam.updateAccessKey(B, 'u', 'K1', 'Inactive');
    await iam.deleteAccessKey(B, 'u', 'K1');
    expect(await iam.getAccessKeyLastUsed(A, 'K2')).toEqual({});
    expect(signers).toEqual([
      A.accessKeyId,
      A.accessKeyId,
      B.accessKeyId,
      B.accessKeyId,
      A.accessKeyId,
    ]);
    expect(iamMock.commandCalls(UpdateAccessKeyCommand)[0]?.args[0].input).toEqual({
      UserName: 'u',
      AccessKeyId: 'K1',
      Status: 'Inactive',
    });
    expect(iamMock.commandCalls(DeleteAccessKeyCommand)[0]?.args[0].input).toEqual({
      UserName: 'u',
      AccessKeyId: 'K1',
    });
  });

  it('refuses an answer without a key', async () => {
    iamMock.on(CreateAccessKeyCommand).resolves({});
    const iam = await createIam({
      region: 'eu-west-1',
      connectTimeoutMs: 100,
      requestTimeoutMs: 100,
    });
    await expect(iam.createAccessKey(A, 'u')).rejects.toThrow(
      'IAM answered CreateAccessKey without a key',
    );
  });
});
