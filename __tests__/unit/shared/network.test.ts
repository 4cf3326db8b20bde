import { InputError } from '../../../src/shared/errors.js';
import {
  bypasses,
  proxySecrets,
  resolveEndpoint,
  resolveProxy,
} from '../../../src/shared/network.js';

describe('resolveEndpoint', () => {
  test.each([
    [
      'the input',
      'https://sts.example.com',
      { AWS_ENDPOINT_URL_STS: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' },
      'https://sts.example.com/',
    ],
    [
      'AWS_ENDPOINT_URL_STS',
      '',
      { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000', AWS_ENDPOINT_URL: 'http://b:2' },
      'http://127.0.0.1:5000/',
    ],
    [
      'AWS_ENDPOINT_URL',
      '',
      { AWS_ENDPOINT_URL: 'http://localhost:4566' },
      'http://localhost:4566/',
    ],
    [
      'AWS_ENDPOINT_URL when the STS one is empty',
      '',
      { AWS_ENDPOINT_URL_STS: '', AWS_ENDPOINT_URL: 'http://b:2' },
      'http://b:2/',
    ],
    ['nothing: the regional default', '', {}, undefined],
  ])('%s', (_what, input, env, expected) => {
    expect(resolveEndpoint(input, env)).toBe(expected);
  });
  test.each([
    ['ftp://x', {}, 'sts-endpoint: "ftp://x" must be an http:// or https:// URL'],
    ['', { AWS_ENDPOINT_URL_STS: 'nonsense' }, 'AWS_ENDPOINT_URL_STS: "nonsense" is not a URL'],
    ['', { AWS_ENDPOINT_URL: 'nonsense' }, 'AWS_ENDPOINT_URL: "nonsense" is not a URL'],
  ])('refuses %j / %j', (input, env, message) => {
    expect(() => resolveEndpoint(input, env)).toThrow(
      new InputError(message.split(':')[0] ?? '', message.slice(message.indexOf(': ') + 2)),
    );
  });
});

describe('resolveProxy', () => {
  const https = 'https://sts.eu-west-1.amazonaws.com';
  test.each([
    [
      'the input wins',
      'http://proxy:3128',
      https,
      { HTTPS_PROXY: 'http://other:1' },
      'http://proxy:3128',
    ],
    [
      'HTTPS_PROXY for https',
      '',
      https,
      { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://q:2' },
      'http://p:1',
    ],
    ['https_proxy for https', '', https, { https_proxy: 'http://p:1' }, 'http://p:1'],
    [
      'HTTP_PROXY for http',
      '',
      'http://127.0.0.1:5000',
      { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://q:2' },
      'http://q:2',
    ],
    [
      'http_proxy for http',
      '',
      'http://127.0.0.1:5000',
      { http_proxy: 'http://q:2' },
      'http://q:2',
    ],
    ['HTTP_PROXY is not used for https', '', https, { HTTP_PROXY: 'http://q:2' }, undefined],
    ['none', '', https, {}, undefined],
    ['an empty variable is unset', '', https, { HTTPS_PROXY: '' }, undefined],
    [
      'NO_PROXY covers the host',
      '',
      https,
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'amazonaws.com' },
      undefined,
    ],
    [
      'no_proxy covers the host',
      '',
      https,
      { HTTPS_PROXY: 'http://p:1', no_proxy: '.amazonaws.com' },
      undefined,
    ],
    [
      'NO_PROXY for another host',
      '',
      https,
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com' },
      'http://p:1',
    ],
    [
      'a proxy with credentials is kept as it is',
      '',
      https,
      { HTTPS_PROXY: 'http://user:pa55@p:1' },
      'http://user:pa55@p:1',
    ],
    [
      'a bare host:port, read as http://',
      '',
      https,
      { HTTPS_PROXY: 'proxy.corp:3128' },
      'http://proxy.corp:3128',
    ],
  ])('%s', (_what, input, endpoint, env, expected) => {
    expect(resolveProxy(input, endpoint, env)).toBe(expected);
  });
  test.each([
    [
      'http-proxy',
      'http://proxy:3128/path',
      {},
      'http-proxy: must be a proxy address with no path',
    ],
    ['http-proxy', 'socks5://proxy:1080', {}, 'must be an http:// or https:// URL'],
    ['HTTPS_PROXY', '', { HTTPS_PROXY: 'not a url' }, 'HTTPS_PROXY: is not a proxy URL'],
    [
      'HTTPS_PROXY',
      '',
      { HTTPS_PROXY: 'http://ci:50%off@proxy:3128' },
      'HTTPS_PROXY: has a user or password that is not percent-encoded: write `%` as `%25`',
    ],
    [
      'http-proxy',
      'http://c%zzi:pw@proxy:3128',
      {},
      'http-proxy: has a user or password that is not percent-encoded',
    ],
  ])('%s: refuses a bad proxy', (_name, input, env, message) => {
    expect(() => resolveProxy(input, 'https://sts.eu-west-1.amazonaws.com', env)).toThrow(message);
  });
  test.each<[string, string, NodeJS.ProcessEnv, string, string | undefined]>([
    [
      'no-proxy exempts the host from http-proxy',
      'http://p:1',
      {},
      'sts.eu-west-1.amazonaws.com',
      undefined,
    ],
    ['no-proxy by domain suffix', 'http://p:1', {}, '.amazonaws.com', undefined],
    ['no-proxy for another host leaves http-proxy', 'http://p:1', {}, 'example.com', 'http://p:1'],
    [
      'NO_PROXY of the job does not exempt http-proxy',
      'http://p:1',
      { NO_PROXY: '*' },
      '',
      'http://p:1',
    ],
    [
      'no-proxy exempts the host from HTTPS_PROXY',
      '',
      { HTTPS_PROXY: 'http://q:2' },
      'amazonaws.com',
      undefined,
    ],
    [
      'no-proxy adds to NO_PROXY',
      '',
      { HTTPS_PROXY: 'http://q:2', NO_PROXY: 'example.com' },
      'other.com',
      'http://q:2',
    ],
    [
      'NO_PROXY still exempts beside no-proxy',
      '',
      { HTTPS_PROXY: 'http://q:2', NO_PROXY: 'amazonaws.com' },
      'other.com',
      undefined,
    ],
  ])('%s', (_what, input, env, noProxy, expected) => {
    expect(resolveProxy(input, 'https://sts.eu-west-1.amazonaws.com', env, noProxy)).toBe(expected);
  });
  test('a bad http-proxy is refused even where no-proxy exempts the host', () => {
    expect(() =>
      resolveProxy('socks5://p:1', 'https://sts.eu-west-1.amazonaws.com', {}, '*'),
    ).toThrow('http-proxy: has scheme socks5:');
  });
  test('a proxy value never appears in an error: it may hold a password', () => {
    for (const value of [
      'http://u:s3cr3t@proxy:3128/some/path',
      'u:s3cr3t@proxy:3128/x',
      'socks5://u:s3cr3t@p:1',
      'http://u:s3cr3t%@p:1',
    ]) {
      const err = (() => {
        try {
          resolveProxy(value, 'https://sts.eu-west-1.amazonaws.com', {});
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(InputError);
      expect(err?.message).not.toContain('s3cr3t');
    }
  });
  test('proxySecrets: the password and user:password of a proxy URL, to be masked', () => {
    expect(proxySecrets('http://user:pa%40ss@p:1')).toEqual(['pa%40ss', 'pa@ss', 'user:pa%40ss']);
    expect(proxySecrets('user:secret@proxy:3128')).toEqual(['secret', 'secret', 'user:secret']);
    expect(proxySecrets('http://proxy:3128')).toEqual([]);
    expect(proxySecrets('')).toEqual([]);
    // A raw `%` must not throw: the variable may be one the step never uses.
    expect(proxySecrets('http://ci:50%off@proxy:3128')).toEqual(['50%off', 'ci:50%off']);
  });
  test('a proxy variable with a raw `%` that NO_PROXY exempts is not read at all', () => {
    const env = { HTTPS_PROXY: 'http://ci:50%off@proxy:3128', NO_PROXY: '.amazonaws.com' };
    expect(resolveProxy('', 'https://sts.eu-west-1.amazonaws.com', env)).toBeUndefined();
  });
});

describe('bypasses', () => {
  test.each([
    ['*', 'https://sts.amazonaws.com', true],
    ['', 'https://sts.amazonaws.com', false],
    ['sts.amazonaws.com', 'https://sts.amazonaws.com', true],
    ['amazonaws.com', 'https://sts.eu-west-1.amazonaws.com', true],
    ['.amazonaws.com', 'https://sts.eu-west-1.amazonaws.com', true],
    ['*.amazonaws.com', 'https://sts.eu-west-1.amazonaws.com', true],
    ['zonaws.com', 'https://sts.amazonaws.com', false],
    ['example.com, AMAZONAWS.COM ', 'https://sts.amazonaws.com', true],
    ['sts.amazonaws.com:443', 'https://sts.amazonaws.com', true],
    ['sts.amazonaws.com:8443', 'https://sts.amazonaws.com', false],
    ['localhost:5000', 'http://localhost:5000', true],
    ['localhost:80', 'http://localhost', true],
    ['127.0.0.1', 'http://127.0.0.1:5000', true],
    ['[::1]', 'http://[::1]:5000', true],
    ['[::1]:5000', 'http://[::1]:5000', true],
    ['[::1]:6000', 'http://[::1]:5000', false],
  ])('NO_PROXY=%j for %s: %s', (noProxy, url, expected) => {
    expect(bypasses(noProxy, new URL(url))).toBe(expected);
  });
});
