import {
  errorCode,
  httpStatus,
  InputError,
  isRetryable,
  messageOf,
  show,
} from '../../../src/shared/errors.js';
import { awsError } from '../../../__fixtures__/sts.js';

describe('InputError', () => {
  test('prefixes the message with the input and keeps the input name', () => {
    const err = new InputError('role-chain', 'has 21 roles, more than 20');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('InputError');
    expect(err.input).toBe('role-chain');
    expect(err.message).toBe('role-chain: has 21 roles, more than 20');
  });
});

describe('show', () => {
  test.each([
    ['abc', 80, '"abc"'],
    ['a"b', 80, '"a\\"b"'],
    ['line\nbreak', 80, '"line\\nbreak"'],
    ['x'.repeat(80), 80, `"${'x'.repeat(80)}"`],
    ['x'.repeat(81), 80, `"${'x'.repeat(80)}…" (81 characters)`],
    ['abcdef', 3, '"abc…" (6 characters)'],
  ])('show(%j, %d)', (value, max, expected) => {
    expect(show(value, max)).toBe(expected);
  });
});

describe('errorCode', () => {
  test.each([
    ['an SDK error', awsError('AccessDenied'), 'AccessDenied'],
    [
      'Code wins over code and name',
      Object.assign(new Error('x'), { Code: 'Throttling', code: 'ECONNRESET' }),
      'Throttling',
    ],
    ['a Node error code', Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    ['a plain Error', new Error('x'), 'Error'],
    [
      'an empty Code is skipped',
      Object.assign(new Error('x'), { Code: '', code: 'ETIMEDOUT' }),
      'ETIMEDOUT',
    ],
    ['a non-string code is skipped', { code: 42, name: 'TimeoutError' }, 'TimeoutError'],
    ['a string', 'boom', 'Error'],
    ['null', null, 'Error'],
    ['undefined', undefined, 'Error'],
  ])('%s', (_what, err, code) => {
    expect(errorCode(err)).toBe(code);
  });
});

describe('httpStatus', () => {
  test.each([
    [awsError('Throttling', 'x', 400), 400],
    [awsError('InternalError', 'x', 500), 500],
    [awsError('AccessDenied'), undefined],
    [{ $metadata: { httpStatusCode: '500' } }, undefined],
    [new Error('x'), undefined],
    [null, undefined],
    ['text', undefined],
  ])('%#', (err, status) => {
    expect(httpStatus(err)).toBe(status);
  });
});

describe('isRetryable', () => {
  test.each([
    ['Throttling', awsError('Throttling', 'Rate exceeded', 400), true],
    ['ThrottlingException', awsError('ThrottlingException'), true],
    ['RequestLimitExceeded', awsError('RequestLimitExceeded'), true],
    ['TooManyRequestsException', awsError('TooManyRequestsException'), true],
    ['IDPCommunicationError', awsError('IDPCommunicationError', 'x', 400), true],
    ['RequestTimeout', awsError('RequestTimeout'), true],
    ['ServiceUnavailable', awsError('ServiceUnavailable'), true],
    ['an unknown code with 500', awsError('Weird', 'x', 500), true],
    ['an unknown code with 502', awsError('Weird', 'x', 502), true],
    ['an unknown code with 503', awsError('Weird', 'x', 503), true],
    ['an unknown code with 504', awsError('Weird', 'x', 504), true],
    ['an unknown code with 429', awsError('Weird', 'x', 429), true],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), true],
    [
      'ECONNREFUSED',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      true,
    ],
    ['the SDK TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    [
      'a deserialization error',
      new Error('Deserialization error: to see the raw response...'),
      true,
    ],
    ['a garbled XML body', new Error("char 'x' is not expected.:1:1"), true],
    ['a socket hang up', new Error('socket hang up'), true],
    // A status says the service (or a proxy) answered: a 4xx with an unparseable body is a
    // refusal page, and the next try gets the same page.
    ['a garbled body with 200', awsError('Error', "char '<' is not expected.:1:1", 200), true],
    ['a garbled body with 403', awsError('Error', "char '<' is not expected.:1:1", 403), false],
    ['a garbled body with 400', awsError('Error', "char '<' is not expected.:1:1", 400), false],
    ['a truncated body with 407', awsError('Error', 'Unexpected end of JSON input', 407), false],
    ['a deserialization error with 404', awsError('Error', 'Deserialization error', 404), false],
    ['AccessDenied', awsError('AccessDenied', 'not authorized', 403), false],
    ['InvalidClientTokenId', awsError('InvalidClientTokenId', 'x', 403), false],
    ['SignatureDoesNotMatch', awsError('SignatureDoesNotMatch', 'x', 403), false],
    ['MalformedPolicyDocument', awsError('MalformedPolicyDocument', 'x', 400), false],
    ['PackedPolicyTooLarge', awsError('PackedPolicyTooLarge', 'x', 400), false],
    ['RegionDisabledException', awsError('RegionDisabledException', 'x', 403), false],
    ['InvalidIdentityToken', awsError('InvalidIdentityToken', 'x', 400), false],
    ['IDPRejectedClaim', awsError('IDPRejectedClaim', 'x', 403), false],
    ['ExpiredToken', awsError('ExpiredToken', 'x', 400), false],
    ['ValidationError', awsError('ValidationError', 'x', 400), false],
    ['a plain Error', new Error('boom'), false],
    ['a string', 'boom', false],
    ['null', null, false],
  ])('%s: %s', (_what, err, retry) => {
    expect(isRetryable(err)).toBe(retry);
  });
});

describe('messageOf', () => {
  test.each([
    [new Error('one line'), 'one line'],
    [new Error('first\n  second\r\nthird  '), 'first second third'],
    ['a thrown string', 'a thrown string'],
    [42, '42'],
    [undefined, 'undefined'],
  ])('%#', (err, message) => {
    expect(messageOf(err)).toBe(message);
  });
});
