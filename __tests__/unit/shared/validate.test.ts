import { InputError } from '../../../src/shared/errors.js';
import {
  booleanOf,
  checkDuration,
  DURATION,
  parseAccessKeyId,
  parseAccountId,
  parseBoolean,
  parseDuration,
  parseExternalId,
  parseInlinePolicy,
  parseInteger,
  parsePolicyArn,
  parseProfileName,
  parseRegion,
  parseRoleArn,
  parseSeconds,
  parseSecretKey,
  parseSessionName,
  parseSessionToken,
  parseSourceIdentity,
  parseTagKey,
  parseTagValue,
  parseUrl,
  partitionOfRegion,
  sanitizeTagValue,
  singleLine,
  splitLines,
  splitList,
} from '../../../src/shared/validate.js';

/** Calls `fn` and returns the InputError it throws (failing the test if it does not). */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('partitionOfRegion', () => {
  test.each([
    ['eu-west-1', 'aws'],
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });
});

describe('singleLine', () => {
  test.each(['a\nb', 'a\r\nb', 'a\rb'])('refuses %j', (value) => {
    expect(inputError(() => singleLine('x', value)).message).toBe(
      `x: ${JSON.stringify(value)} must be a single line`,
    );
  });
  test('returns a single line unchanged', () => {
    expect(singleLine('x', 'one line')).toBe('one line');
  });
});

describe('parseRegion', () => {
  test.each([
    'eu-west-1',
    'us-east-2',
    'ap-southeast-3',
    'cn-northwest-1',
    'us-gov-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'eusc-de-east-1',
    'me-central-1',
    // The iso regions with and without a letter after "iso".
    'us-iso-east-1',
    'us-isof-south-1',
  ])('accepts %s', (region) => {
    expect(parseRegion('aws-region', region)).toBe(region);
  });
  test.each([
    '',
    'EU-WEST-1',
    'eu-west',
    'eu_west_1',
    'eu-west-1a',
    'europe',
    'eu-west-123',
    ' eu-west-1',
    'eu-west-1\n',
  ])('refuses %j', (region) => {
    const err = inputError(() => parseRegion('aws-region', region));
    expect(err.input).toBe('aws-region');
    expect(err.message).toMatch(/^aws-region: /);
  });
  test('names the rule', () => {
    expect(inputError(() => parseRegion('aws-region', 'europe')).message).toBe(
      'aws-region: "europe" is not an AWS region (expected a name such as eu-west-1)',
    );
  });
});

describe('parseRoleArn', () => {
  test.each([
    ['arn:aws:iam::123456789012:role/deployer', 'eu-west-1', 'aws', 'deployer'],
    ['arn:aws:iam::123456789012:role/path/to/deployer', 'eu-west-1', 'aws', 'deployer'],
    ['arn:aws:iam::123456789012:role/a+=,.@_-b', 'us-east-1', 'aws', 'a+=,.@_-b'],
    ['arn:aws-cn:iam::123456789012:role/r1', 'cn-north-1', 'aws-cn', 'r1'],
    ['arn:aws-us-gov:iam::123456789012:role/r1', 'us-gov-west-1', 'aws-us-gov', 'r1'],
    ['arn:aws-iso-b:iam::123456789012:role/r1', 'us-isob-east-1', 'aws-iso-b', 'r1'],
    ['arn:aws-eusc:iam::123456789012:role/r1', 'eusc-de-east-1', 'aws-eusc', 'r1'],
  ])('parses %s in %s', (arn, region, partition, name) => {
    expect(parseRoleArn('role-to-assume', arn, region)).toEqual({
      arn,
      partition,
      accountId: '123456789012',
      name,
    });
  });

  test.each([
    ['not an arn', 'is not an IAM role ARN'],
    ['arn:aws:iam::12345678901:role/short-account', 'is not an IAM role ARN'],
    ['arn:aws:iam::123456789012:user/deployer', 'is not an IAM role ARN'],
    ['arn:aws:iam::123456789012:role/', 'is not an IAM role ARN'],
    [`arn:aws:iam::123456789012:role/${'n'.repeat(65)}`, 'is not an IAM role ARN'],
    ['arn:aws:iam::123456789012:role/has space', 'is not an IAM role ARN'],
    ['arn:aws:sts::123456789012:role/deployer', 'is not an IAM role ARN'],
    ['arn:aws-mars:iam::123456789012:role/deployer', 'has an unknown partition "aws-mars"'],
    [
      'arn:aws-cn:iam::123456789012:role/deployer',
      'is in partition aws-cn, but region eu-west-1 is in partition aws',
    ],
  ])('refuses %s', (arn, why) => {
    const err = inputError(() => parseRoleArn('role-chain', arn, 'eu-west-1'));
    expect(err.message).toContain(why);
    expect(err.message).toMatch(/^role-chain: /);
  });

  test.each([
    ['a one-character name', 'arn:aws:iam::123456789012:role/r', 'r'],
    ['a 64-character name', `arn:aws:iam::123456789012:role/${'n'.repeat(64)}`, 'n'.repeat(64)],
    [
      'an ARN of exactly 2048 characters',
      `arn:aws:iam::123456789012:role/${'p/'.repeat(1006)}${'n'.repeat(5)}`,
      'n'.repeat(5),
    ],
  ])('accepts %s', (_what, arn, name) => {
    expect(arn.length).toBeLessThanOrEqual(2048);
    expect(parseRoleArn('role-to-assume', arn, 'eu-west-1').name).toBe(name);
  });

  test('refuses an ARN longer than 2048 characters', () => {
    const arn = `arn:aws:iam::123456789012:role/${'p/'.repeat(1010)}name`;
    expect(arn.length).toBeGreaterThan(2048);
    expect(inputError(() => parseRoleArn('role-to-assume', arn, 'eu-west-1')).message).toContain(
      'is not an IAM role ARN',
    );
  });

  test('refuses two lines', () => {
    expect(
      inputError(() =>
        parseRoleArn(
          'role-to-assume',
          'arn:aws:iam::123456789012:role/a\narn:aws:iam::123456789012:role/b',
          'eu-west-1',
        ),
      ).message,
    ).toContain('must be a single line');
  });
});

describe('parsePolicyArn', () => {
  test.each([
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'eu-west-1'],
    ['arn:aws:iam::123456789012:policy/team/Deploy', 'eu-west-1'],
    ['arn:aws-cn:iam::aws:policy/ReadOnlyAccess', 'cn-north-1'],
  ])('accepts %s', (arn, region) => {
    expect(parsePolicyArn('managed-session-policies', arn, region)).toBe(arn);
  });
  test.each([
    ['arn:aws:iam::aws:role/ReadOnlyAccess', 'is not an IAM policy ARN'],
    ['arn:aws:iam::12:policy/x', 'is not an IAM policy ARN'],
    ['ReadOnlyAccess', 'is not an IAM policy ARN'],
    [
      'arn:aws-cn:iam::aws:policy/ReadOnlyAccess',
      'is in partition aws-cn, but region eu-west-1 is in partition aws',
    ],
  ])('refuses %s', (arn, why) => {
    expect(
      inputError(() => parsePolicyArn('managed-session-policies', arn, 'eu-west-1')).message,
    ).toContain(why);
  });
});

describe('parseDuration', () => {
  test.each([
    ['900', 3600, 900],
    ['3600', 3600, 3600],
    ['43200', DURATION.maxAssumeRole, 43200],
    ['129600', DURATION.maxSessionToken, 129600],
  ])('%s with max %d is %d', (value, max, expected) => {
    expect(parseDuration('role-duration-seconds', value, max, 'why')).toBe(expected);
  });
  test.each([
    ['899', 3600, '899 is below 900, the least STS allows'],
    ['0', 3600, '0 is below 900'],
    ['7200', 3600, '7200 is above 3600, the limit for a chained role'],
    ['1h', 3600, '"1h" is not a whole number of seconds'],
    ['-900', 3600, 'is not a whole number of seconds'],
    ['900.5', 3600, 'is not a whole number of seconds'],
    ['9999999999', 3600, 'is not a whole number of seconds'],
    ['', 3600, 'is not a whole number of seconds'],
  ])('refuses %j with max %d', (value, max, why) => {
    expect(
      inputError(() =>
        parseDuration('role-duration-seconds', value, max, 'the limit for a chained role'),
      ).message,
    ).toContain(why);
  });
  test('the error names the input, the value and the rule', () => {
    expect(
      inputError(() =>
        parseDuration('role-duration-seconds', '7200', 3600, 'the limit for a chained role'),
      ).message,
    ).toBe('role-duration-seconds: 7200 is above 3600, the limit for a chained role');
  });
});

describe('parseSessionName and parseSourceIdentity', () => {
  test.each(['ab', 'GitHubActions', 'a+=,.@_-z', 'x'.repeat(64)])(
    'session name %j is accepted',
    (v) => {
      expect(parseSessionName('role-session-name', v)).toBe(v);
    },
  );
  test.each(['a', 'x'.repeat(65), 'has space', 'a/b', 'a:b', ''])(
    'session name %j is refused',
    (v) => {
      expect(inputError(() => parseSessionName('role-session-name', v)).message).toContain(
        'must be 2 to 64 characters',
      );
    },
  );
  test.each(['alice', 'octocat@github', 'run-42'])('source identity %j is accepted', (v) => {
    expect(parseSourceIdentity('source-identity', v)).toBe(v);
  });
  test.each([
    ['a', 'must be 2 to 64 characters'],
    ['aws:me', 'must be 2 to 64 characters'],
    ['x y', 'must be 2 to 64 characters'],
  ])('source identity %j is refused', (v, why) => {
    expect(inputError(() => parseSourceIdentity('source-identity', v)).message).toContain(why);
  });
  test.each(['aws-x', 'AWS-x'])('source identity %j is fine (only "aws:" is reserved)', (v) => {
    expect(parseSourceIdentity('source-identity', v)).toBe(v);
  });
});

describe('parseExternalId', () => {
  test.each(['ab', 'github:1:2:chain:1:deployer', 'a+=,.@:/_-z', 'x'.repeat(1224)])(
    'accepts %j',
    (v) => {
      expect(parseExternalId('role-external-id', v)).toBe(v);
    },
  );
  test.each(['a', 'x'.repeat(1225), 'has space', 'hash#', 'quote"'])('refuses %j', (v) => {
    expect(inputError(() => parseExternalId('role-external-id', v)).message).toContain(
      'must be 2 to 1224 characters of letters, digits and +=,.@:/_-',
    );
  });
});

describe('booleanOf', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true\n', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', undefined],
    ['yes', undefined],
    ['tRUE', undefined],
    ['1', undefined],
  ])('%j', (value, expected) => {
    expect(booleanOf(value)).toBe(expected);
  });
});

describe('parseSeconds and checkDuration', () => {
  test.each([
    ['900', 900],
    ['43200', 43200],
  ])('%j', (value, seconds) => {
    expect(parseSeconds('d', value)).toBe(seconds);
  });
  test.each([
    ['1h', 'd: "1h" is not a whole number of seconds'],
    ['-1', 'd: "-1" is not a whole number of seconds'],
    ['9\n9', 'd: "9\\n9" must be a single line'],
  ])('refuses %j', (value, message) => {
    expect(() => parseSeconds('d', value)).toThrow(message);
  });
  test.each([
    [899, 'd: 899 is below 900, the least STS allows'],
    [3601, 'd: 3601 is above 3600, why'],
  ])('checkDuration refuses %d', (n, message) => {
    expect(() => checkDuration('d', n, 3600, 'why')).toThrow(message);
  });
  test('checkDuration takes the bounds', () => {
    expect([checkDuration('d', 900, 3600, ''), checkDuration('d', 3600, 3600, '')]).toEqual([
      900, 3600,
    ]);
  });
});

describe('parseBoolean', () => {
  test.each([
    ['true', false, true],
    ['True', false, true],
    ['TRUE', false, true],
    [' true ', false, true],
    ['false', true, false],
    ['False', true, false],
    ['FALSE', true, false],
    ['', true, true],
    ['', false, false],
    ['  ', true, true],
  ])('%j (fallback %s) is %s', (value, fallback, expected) => {
    expect(parseBoolean('refresh', value, fallback)).toBe(expected);
  });
  test.each(['yes', 'no', '1', '0', 'on', 'tRuE'])('refuses %j', (value) => {
    expect(inputError(() => parseBoolean('refresh', value, false)).message).toBe(
      `refresh: ${JSON.stringify(value)} is not a boolean (use true or false)`,
    );
  });
});

describe('parseInteger', () => {
  test.each([
    ['1', 1],
    [' 10 ', 10],
    ['4', 4],
  ])('%j is %d', (value, n) => {
    expect(parseInteger('retry-max-attempts', value, 1, 10)).toBe(n);
  });
  test.each([
    ['0', '0 is outside 1 to 10'],
    ['11', '11 is outside 1 to 10'],
    ['two', 'is not a whole number'],
    ['-1', 'is not a whole number'],
    ['1.5', 'is not a whole number'],
  ])('refuses %j', (value, why) => {
    expect(inputError(() => parseInteger('retry-max-attempts', value, 1, 10)).message).toContain(
      why,
    );
  });
});

describe('parseAccountId', () => {
  test('accepts 12 digits', () => {
    expect(parseAccountId('allowed-account-ids', '123456789012')).toBe('123456789012');
  });
  test.each(['12345678901', '1234567890123', '12345678901a', ''])('refuses %j', (v) => {
    expect(inputError(() => parseAccountId('allowed-account-ids', v)).message).toContain(
      'is not a 12-digit AWS account ID',
    );
  });
});

describe('credential lengths, at both bounds', () => {
  const parsers = {
    'access key ID': [parseAccessKeyId, 'A', 16, 128],
    'secret key': [parseSecretKey, 'a', 16, 128],
    'session token': [parseSessionToken, 't', 16, 8192],
  } as const;
  test.each(Object.entries(parsers))('%s', (_what, [parse, char, min, max]) => {
    expect(parse('x', char.repeat(min))).toBe(char.repeat(min));
    expect(parse('x', char.repeat(max))).toBe(char.repeat(max));
    expect(() => parse('x', char.repeat(min - 1))).toThrow(InputError);
    expect(() => parse('x', char.repeat(max + 1))).toThrow(InputError);
  });
});

describe('credential parsers never show the value', () => {
  test.each([
    ['AKIAIOSFODNN7EXAMPLE', true],
    ['ASIA1234567890ABCDEF', true],
    ['AKIA123', false],
    ['akiaiosfodnn7example', false],
    ['AKIA IOSFODNN7EXAMPLE', false],
  ])('access key ID %j valid: %s', (value, ok) => {
    if (ok) expect(parseAccessKeyId('aws-access-key-id', value)).toBe(value);
    else {
      const err = inputError(() => parseAccessKeyId('aws-access-key-id', value));
      expect(err.message).toBe(
        `aws-access-key-id: the value (${value.length} characters) is not an access key ID: 16 to 128 upper-case letters and digits`,
      );
      expect(err.message).not.toContain(value);
    }
  });
  test.each([
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', true],
    ['short', false],
    ['wJalrXUtnFEMI K7MDENG bPxRfiCYEXAMPLEKEY', false],
    ['wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY', false],
  ])('secret key %j valid: %s', (value, ok) => {
    if (ok) expect(parseSecretKey('aws-secret-access-key', value)).toBe(value);
    else {
      const err = inputError(() => parseSecretKey('aws-secret-access-key', value));
      expect(err.message).toContain(
        `the value (${value.length} characters) is not a secret access key`,
      );
      expect(err.message).not.toContain(value);
    }
  });
  test.each([
    ['FwoGZXIvYXdzEJr//////////wEaDH+token=', true],
    ['short-token', false],
    ['FwoGZXIvYXdzEJr token with spaces', false],
    ['FwoGZXIvYXdzEJr0123\nsecond-line', false],
  ])('session token %j valid: %s', (value, ok) => {
    if (ok) expect(parseSessionToken('aws-session-token', value)).toBe(value);
    else {
      const err = inputError(() => parseSessionToken('aws-session-token', value));
      expect(err.message).toContain(
        `the value (${value.length} characters) is not a session token`,
      );
      expect(err.message).not.toContain(value);
    }
  });
});

describe('tags', () => {
  test.each(['Team', 'cost-center', 'a:b/c=d+e@f.g_h', 'Übung', 'with space', 'x'.repeat(128)])(
    'key %j is accepted',
    (key) => {
      expect(parseTagKey('session-tags', key)).toBe(key);
    },
  );
  test.each([
    ['', 'must be 1 to 128 characters'],
    ['x'.repeat(129), 'must be 1 to 128 characters'],
    ['a#b', 'must be 1 to 128 characters'],
    ['aws:foo', 'must not start with "aws:"'],
    ['AWS:foo', 'must not start with "aws:"'],
  ])('key %j is refused', (key, why) => {
    expect(inputError(() => parseTagKey('session-tags', key)).message).toContain(why);
  });
  test.each(['', 'v', 'x'.repeat(256), 'refs/heads/main', 'a b'])(
    'value %j is accepted',
    (value) => {
      expect(parseTagValue('session-tags', 'k', value)).toBe(value);
    },
  );
  test.each(['x'.repeat(257), 'a#b', 'a*b', 'a\nb'])('value %j is refused', (value) => {
    expect(inputError(() => parseTagValue('session-tags', 'k', value)).message).toContain(
      'tag "k" value',
    );
  });
  test.each([
    ['refs/heads/feature/x', 'refs/heads/feature/x'],
    ['Build & Test (main)', 'Build _ Test _main_'],
    ['a#b*c', 'a_b_c'],
    ['x'.repeat(300), 'x'.repeat(256)],
    ['😀'.repeat(300), '_'.repeat(256)],
  ])('sanitizeTagValue(%j)', (value, expected) => {
    const out = sanitizeTagValue(value);
    expect(out).toBe(expected);
    expect(parseTagValue('t', 'k', out)).toBe(out);
  });
});

describe('parseInlinePolicy', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  };
  test('compacts the JSON', () => {
    expect(parseInlinePolicy('inline-session-policy', JSON.stringify(policy, null, 2))).toBe(
      JSON.stringify(policy),
    );
  });
  test('counts the size without white space', () => {
    const big = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(1900) }],
    };
    const text = JSON.stringify(big, null, 8);
    expect(text.length).toBeGreaterThan(2048);
    expect(parseInlinePolicy('inline-session-policy', text)).toBe(JSON.stringify(big));
  });
  test.each([
    ['{not json', 'is not valid JSON'],
    ['[1,2]', 'must be a JSON policy document (an object)'],
    ['"text"', 'must be a JSON policy document (an object)'],
    ['null', 'must be a JSON policy document (an object)'],
    [JSON.stringify({ Resource: 'x'.repeat(2100) }), 'above 2048, the limit for session policies'],
  ])('refuses %j', (value, why) => {
    expect(inputError(() => parseInlinePolicy('inline-session-policy', value)).message).toContain(
      why,
    );
  });
});

describe('lists', () => {
  test.each([
    ['a,b', ['a', 'b']],
    ['a\nb', ['a', 'b']],
    [' a , ,b\n\n c ', ['a', 'b', 'c']],
    ['', []],
  ])('splitList(%j)', (value, expected) => {
    expect(splitList(value)).toEqual(expected);
  });
  test.each([
    ['a,b\nc', ['a,b', 'c']],
    ['a\r\nb', ['a', 'b']],
    ['# comment\n a \n\n#x\nb', ['a', 'b']],
    ['', []],
  ])('splitLines(%j)', (value, expected) => {
    expect(splitLines(value)).toEqual(expected);
  });
});

describe('parseUrl', () => {
  test.each([
    'https://sts.eu-west-1.amazonaws.com',
    'http://127.0.0.1:5000',
    'http://proxy.internal:3128/',
  ])('accepts %s', (value) => {
    expect(parseUrl('sts-endpoint', value)).toBeInstanceOf(URL);
  });
  test.each([
    ['not a url', 'is not a URL'],
    ['ftp://example.com', 'must be an http:// or https:// URL'],
    ['file:///etc/passwd', 'must be an http:// or https:// URL'],
    ['http://a\nhttp://b', 'must be a single line'],
  ])('refuses %j', (value, why) => {
    expect(inputError(() => parseUrl('sts-endpoint', value)).message).toContain(why);
  });
});

describe('the edges of each pattern', () => {
  test('a region numbered with two digits is a region', () => {
    expect(parseRegion('aws-region', 'ap-southeast-10')).toBe('ap-southeast-10');
  });

  test.each([
    [
      'role-to-assume',
      (v: string) => parseRoleArn('role-to-assume', v, 'eu-west-1'),
      'arn:aws:iam::123456789012:role/deploy',
    ],
    [
      'managed-session-policies',
      (v: string) => parsePolicyArn('managed-session-policies', v, 'eu-west-1'),
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ],
  ])('%s: an ARN is the whole value, nothing before it or after it', (_input, parse, arn) => {
    expect(() => parse(arn)).not.toThrow();
    expect(() => parse(`x${arn}`)).toThrow(InputError);
    expect(() => parse(`${arn} `)).toThrow(InputError);
  });

  test('a profile name refuses a control character at its start or its end', () => {
    expect(parseProfileName('aws-profile', 'dev')).toBe('dev');
    for (const name of ['\u0001dev', 'dev\u007f', 'dev\u0001'])
      expect(inputError(() => parseProfileName('aws-profile', name)).message).toMatch(
        /must be 1 to 128 characters without whitespace/,
      );
  });

  test('an inline policy of exactly 2048 characters is accepted; 2049 is not', () => {
    const policy = (length: number): string => {
      const shell = JSON.stringify({ Version: '2012-10-17', Sid: '' });
      return JSON.stringify({ Version: '2012-10-17', Sid: 'x'.repeat(length - shell.length) });
    };
    expect(policy(2048)).toHaveLength(2048);
    expect(parseInlinePolicy('inline-session-policy', policy(2048))).toHaveLength(2048);
    expect(
      inputError(() => parseInlinePolicy('inline-session-policy', policy(2049))).message,
    ).toMatch(/the policy is 2049 characters without white space, above 2048/);
  });
});
