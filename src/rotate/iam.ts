/**
 * The IAM port's AWS SDK adapter. Every call builds a client around exactly the credentials
 * it is given (the old key for the early steps, the new key for the last ones), makes one
 * try (our retries are bounded and never retry AccessDenied) and never logs.
 */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { Credentials } from '../aws/credentials.js';
import { sdkClientOptions, type AwsClientConfig } from '../aws/client.js';
import type { IamPort } from './ports.js';

/** Builds the adapter for IAM at `config` (signing region: `config.region`; IAM itself is global). */
export async function createIam(config: AwsClientConfig): Promise<IamPort> {
  const options = await sdkClientOptions(config);
  // Only the key and its secret: a session token would make IAM refuse the call.
  const client = (c: Credentials): IAMClient =>
    new IAMClient(options({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }));

  return {
    async listAccessKeys(signer, userName) {
      const out = await client(signer).send(new ListAccessKeysCommand({ UserName: userName }));
      return (out.AccessKeyMetadata ?? []).flatMap((k) =>
        k.AccessKeyId
          ? [
              {
                id: k.AccessKeyId,
                status: k.Status === 'Active' ? 'Active' : 'Inactive',
                ...(k.CreateDate ? { createdAt: k.CreateDate } : {}),
              } as const,
            ]
          : [],
      );
    },
    async createAccessKey(signer, userName) {
      const out = await client(signer).send(new CreateAccessKeyCommand({ UserName: userName }));
      const key = out.AccessKey;
      if (!key?.AccessKeyId || !key.SecretAccessKey)
        throw new Error('IAM answered CreateAccessKey without a key');
      return { id: key.AccessKeyId, secret: key.SecretAccessKey };
    },
    async updateAccessKey(signer, userName, keyId, status) {
      await client(signer).send(
        new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: status }),
      );
    },
    async deleteAccessKey(signer, userName, keyId) {
      await client(signer).send(
        new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: keyId }),
      );
    },
    async getAccessKeyLastUsed(signer, keyId) {
      const out = await client(signer).send(
        new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }),
      );
      const used = out.AccessKeyLastUsed;
      return {
        ...(used?.LastUsedDate ? { date: used.LastUsedDate } : {}),
        ...(used?.ServiceName && used.ServiceName !== 'N/A' ? { service: used.ServiceName } : {}),
      };
    },
  };
}
