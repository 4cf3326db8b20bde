/** The one tolerant delete of an access key, for the forward steps and the post step's undo alike. */
import type { Credentials } from '../aws/credentials.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import { awsCode } from './failures.js';
import type { IamPort } from './ports.js';

/**
 * Deletes `keyId`, signed with `signer`, retrying what may pass. A key that is already gone
 * counts as deleted: a retry after an unanswered delete, or a second run, must not fail on it.
 */
export async function deleteKey(
  iam: IamPort,
  retry: RetryPolicy,
  signer: Credentials,
  userName: string,
  keyId: string,
): Promise<void> {
  await withRetry(async () => {
    try {
      await iam.deleteAccessKey(signer, userName, keyId);
    } catch (err) {
      if (awsCode(err) !== 'NoSuchEntity') throw err;
    }
  }, retry);
}
