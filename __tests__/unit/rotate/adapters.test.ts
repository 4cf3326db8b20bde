/** The rotate action's real ports, built from the settings, and the masking of its credential inputs. */
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createPorts, maskInputs } from '../../../src/rotate/adapters.js';
import { seal } from '../../../src/rotate/github.js';
import { getSettings } from '../../../src/rotate/inputs.js';
import { fakeRunner } from '../../../__fixtures__/runner.js';
import { INPUTS } from '../../../__fixtures__/rotate-entry.js';
import { OLD } from '../../../__fixtures__/rotate-fakes.js';

describe('maskInputs', () => {
  it('masks the key, the secret and the token, trimmed, and nothing else', () => {
    const runner = fakeRunner({
      useDefaults: false,
      inputs: { ...INPUTS, 'aws-access-key-id': ` ${OLD.accessKeyId}\n` },
    });
    maskInputs(runner);
    expect(runner.secrets).toEqual([
      OLD.accessKeyId,
      OLD.secretAccessKey,
      'ghs_secret_token_value',
    ]);
  });
});

describe('createPorts', () => {
  const iamMock = mockClient(IAMClient);
  const stsMock = mockClient(STSClient);
  afterEach(() => {
    iamMock.reset();
    stsMock.reset();
  });

  it('builds IAM and STS clients for their endpoints, signed with the key given, and the libsodium seal', async () => {
    const settings = getSettings((n) => (INPUTS as Record<string, string>)[n] ?? '', {
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:2',
    });
    const seen: string[] = [];
    iamMock.on(ListAccessKeysCommand).callsFake(async (_i, getClient: () => IAMClient) => {
      const { config } = getClient();
      seen.push(
        `iam ${(await config.endpoint?.())?.port} ${(await config.credentials()).accessKeyId}`,
      );
      return { AccessKeyMetadata: [] };
    });
    stsMock.on(GetCallerIdentityCommand).callsFake(async (_i, getClient: () => STSClient) => {
      const { config } = getClient();
      seen.push(
        `sts ${(await config.endpoint?.())?.port} ${(await config.credentials()).accessKeyId}`,
      );
      return { Arn: 'arn:aws:iam::123456789012:user/u', Account: '123456789012' };
    });
    const ports = await createPorts(settings, fakeRunner({ useDefaults: false }));
    expect(await ports.iam.listAccessKeys(OLD, 'u')).toEqual([]);
    expect(await ports.identity.getCallerIdentity(OLD)).toMatchObject({
      arn: 'arn:aws:iam::123456789012:user/u',
    });
    expect(seen).toEqual([`iam 1 ${OLD.accessKeyId}`, `sts 2 ${OLD.accessKeyId}`]);
    expect(ports.seal).toBe(seal);
    expect(typeof ports.secrets.putSecret).toBe('function');
  });
});
