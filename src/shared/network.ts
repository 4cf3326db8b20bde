/** Where STS calls go: the endpoint and the proxy, from inputs and the usual variables. */
import { InputError } from './errors.js';
import { parseUrl } from './validate.js';

/**
 * The STS endpoint: `sts-endpoint`, else `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`;
 * undefined leaves the SDK's regional default.
 */
export function resolveEndpoint(input: string, env: NodeJS.ProcessEnv): string | undefined {
  if (input !== '') return parseUrl('sts-endpoint', input).toString();
  for (const name of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL']) {
    const value = env[name];
    if (value !== undefined && value !== '') return parseUrl(name, value).toString();
  }
  return undefined;
}

/**
 * The proxy for requests to `endpoint`: `http-proxy` when given; otherwise HTTPS_PROXY or
 * HTTP_PROXY (by the endpoint's scheme, either case), unless NO_PROXY matches its host.
 * `noProxy` (the `no-proxy` input) is a bypass list for either proxy; NO_PROXY, set for the
 * whole job, only for the proxy of the environment, as before.
 */
export function resolveProxy(
  input: string,
  endpoint: string,
  env: NodeJS.ProcessEnv,
  noProxy = '',
): string | undefined {
  const url = new URL(endpoint);
  if (input !== '') {
    const proxy = checkProxy('http-proxy', input);
    return bypasses(noProxy, url) ? undefined : proxy;
  }
  const pick = (...names: string[]): string | undefined =>
    names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const proxy =
    url.protocol === 'https:'
      ? pick('HTTPS_PROXY', 'https_proxy')
      : pick('HTTP_PROXY', 'http_proxy');
  if (proxy === undefined) return undefined;
  if (bypasses(`${pick('NO_PROXY', 'no_proxy') ?? ''},${noProxy}`, url)) return undefined;
  return checkProxy(url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY', proxy);
}

function checkProxy(name: string, value: string): string {
  // A proxy address may carry a password: it is never shown, and a bare host:port is read
  // as http://host:port, as curl and most tools do.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InputError(name, 'is not a proxy URL (http://host:port)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      name,
      `has scheme ${url.protocol}: the proxy must be an http:// or https:// URL`,
    );
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new InputError(name, 'must be a proxy address with no path');
  }
  // The proxy agents decode the user and password: a raw `%` would fail every call later
  // with a bare "URI malformed".
  if (decoded(url.username) === undefined || decoded(url.password) === undefined) {
    throw new InputError(
      name,
      'has a user or password that is not percent-encoded: write `%` as `%25`',
    );
  }
  return withScheme;
}

/** `decodeURIComponent`, or undefined where the text is not valid percent-encoding. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The variables a proxy may come from. */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/** The secret parts of a proxy URL (password, user), to be masked; none when there are none. */
export function proxySecrets(proxy: string): string[] {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
  } catch {
    return [];
  }
  // A variable the step does not use must never fail it: a raw `%` only skips the decoded form.
  return [
    url.password,
    decoded(url.password) ?? '',
    url.username ? `${url.username}:${url.password}` : '',
  ].filter((s) => s.length >= 3);
}

/** Whether NO_PROXY (comma-separated hosts, domain suffixes, `*`, optional ports) covers `url`. */
export function bypasses(noProxy: string, url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const [name = '', entryPort] = entry.startsWith('[')
        ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]]
        : entry.split(':');
      if (entryPort !== undefined && entryPort !== port) return false;
      const domain = name.replace(/^\*?\./, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}
