/** src/connect/refresh/output.ts: what the refresh program prints, and when it may print it again. */
import {
  isFresh,
  parseProcessCredentials,
  renderProcessCredentials,
  RENEW_MARGIN_MS,
  toProcessCredentials,
} from '../../../../src/connect/refresh/output.js';

const EXPIRY = new Date('2030-01-01T01:00:00.000Z');

describe('credential_process output', () => {
  test('the documented fields, in the documented order, on one line', () => {
    const out = toProcessCredentials(
      { accessKeyId: 'ASIAX', secretAccessKey: 'sec', sessionToken: 'tok', expiration: EXPIRY },
      new Date(0),
    );
    expect(renderProcessCredentials(out)).toBe(
      '{"Version":1,"AccessKeyId":"ASIAX","SecretAccessKey":"sec","SessionToken":"tok","Expiration":"2030-01-01T01:00:00.000Z"}\n',
    );
  });

  test('an expiry is always printed (the fallback when STS gave none), a token only when there is one', () => {
    const out = toProcessCredentials({ accessKeyId: 'AKIAX', secretAccessKey: 'sec' }, EXPIRY);
    expect(out).toEqual({
      Version: 1,
      AccessKeyId: 'AKIAX',
      SecretAccessKey: 'sec',
      Expiration: EXPIRY.toISOString(),
    });
    expect(renderProcessCredentials(out)).not.toContain('SessionToken');
  });

  test('reads back what it printed, and nothing else', () => {
    const line = renderProcessCredentials(
      toProcessCredentials({ accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' }, EXPIRY),
    );
    expect(parseProcessCredentials(line)).toEqual(JSON.parse(line));
    for (const bad of [
      '',
      '{',
      '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2030-01-01T00:00:00Z"}',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}',
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}',
      '{"Version":1,"AccessKeyId":"","SecretAccessKey":"S","Expiration":"2030-01-01T00:00:00Z"}',
      'null',
    ]) {
      expect(parseProcessCredentials(bad)).toBeUndefined();
    }
  });
});

describe('cache freshness', () => {
  const c = toProcessCredentials({ accessKeyId: 'A', secretAccessKey: 'S' }, EXPIRY);
  const at = (msBeforeExpiry: number): number => EXPIRY.getTime() - msBeforeExpiry;

  test.each<[string, number, boolean]>([
    ['an hour before expiry', 3_600_000, true],
    ['just over 15 minutes before', RENEW_MARGIN_MS + 1, true],
    ['exactly 15 minutes before (botocore would refresh now)', RENEW_MARGIN_MS, false],
    ['10 minutes before (botocore would fail on the same answer)', 600_000, false],
    ['after expiry', -1, false],
  ])('%s: fresh %s', (_, before, fresh) => {
    expect(isFresh(c, at(before))).toBe(fresh);
  });

  test('a 15-minute session is never served from the cache, a one-hour one for 45 minutes', () => {
    const issued = EXPIRY.getTime() - 900_000;
    expect(isFresh(c, issued)).toBe(false);
    const hourIssued = EXPIRY.getTime() - 3_600_000;
    expect(isFresh(c, hourIssued + 44 * 60_000)).toBe(true);
    expect(isFresh(c, hourIssued + 45 * 60_000)).toBe(false);
  });
});
