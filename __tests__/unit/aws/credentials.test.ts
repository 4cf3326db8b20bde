/** src/aws/credentials.ts: credentials with their optional parts only where they have a value. */
import { credentialsOf } from '../../../src/aws/credentials.js';

describe('credentialsOf', () => {
  const expiry = new Date('2030-01-01T00:00:00Z');

  test('every part given', () => {
    expect(credentialsOf('ASIAX', 'secret', 'token', expiry)).toEqual({
      accessKeyId: 'ASIAX',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: expiry,
    });
  });

  test.each<[string, string | undefined]>([
    ['absent', undefined],
    ['empty', ''],
  ])('a session token %s is left out, not set to undefined', (_, token) => {
    const c = credentialsOf('AKIAX', 'secret', token);
    expect(c).toEqual({ accessKeyId: 'AKIAX', secretAccessKey: 'secret' });
    expect('sessionToken' in c).toBe(false);
    expect('expiration' in c).toBe(false);
  });

  test('an expiry without a token', () => {
    expect(credentialsOf('AKIAX', 'secret', undefined, expiry)).toEqual({
      accessKeyId: 'AKIAX',
      secretAccessKey: 'secret',
      expiration: expiry,
    });
  });
});
