/** The tolerant delete that the forward steps and the undo share. */
import { deleteKey } from '../../../src/rotate/keys.js';
import { instantRetry } from '../../../__fixtures__/retry.js';
import { awsError, FakeAws, OLD, USER_NAME } from '../../../__fixtures__/rotate-fakes.js';

describe('deleteKey', () => {
  it('deletes the key, signed with the signer given', async () => {
    const aws = new FakeAws();
    aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    await deleteKey(aws, instantRetry(), OLD, USER_NAME, 'AKIASECONDSECOND0002');
    expect(aws.ids()).toEqual([OLD.accessKeyId]);
    expect(aws.calls.filter((c) => c.op === 'DeleteAccessKey')).toEqual([
      expect.objectContaining({ signer: OLD.accessKeyId, keyId: 'AKIASECONDSECOND0002' }),
    ]);
  });

  it('counts a key that is already gone as deleted', async () => {
    const aws = new FakeAws();
    await expect(
      deleteKey(aws, instantRetry(), OLD, USER_NAME, 'AKIAGONEGONEGONE0003'),
    ).resolves.toBeUndefined();
  });

  it('retries a busy IAM, and gives up on a refusal at once', async () => {
    const aws = new FakeAws();
    aws.addKey('AKIASECONDSECOND0002', 'Inactive');
    aws.fail('DeleteAccessKey', awsError('ServiceUnavailable', 'busy', 503), { times: 2 });
    await deleteKey(aws, instantRetry(), OLD, USER_NAME, 'AKIASECONDSECOND0002');
    expect(aws.ids()).toEqual([OLD.accessKeyId]);

    aws.addKey('AKIATHIRDTHIRDTH0003', 'Inactive');
    aws.fail('DeleteAccessKey', awsError('AccessDenied', 'no', 403));
    await expect(
      deleteKey(aws, instantRetry(), OLD, USER_NAME, 'AKIATHIRDTHIRDTH0003'),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(aws.calls.filter((c) => c.op === 'DeleteAccessKey')).toHaveLength(4);
  });
});
