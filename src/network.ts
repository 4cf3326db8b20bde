/** Where STS calls go: the endpoint and the proxy, from inputs and the usual variables. */
import { InputError, show } from './errors.js';
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
 */
export function resolveProxy(
  input: string,
  endpoint: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (input !== '') return checkProxy('http-proxy', input);
  const url = new URL(endpoint);
  const pick = (...names: string[]): string | undefined =>
    names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const proxy =
    url.protocol === 'https:'
      ? pick('HTTPS_PROXY', 'https_proxy')
      : pick('HTTP_PROXY', 'http_proxy');
  if (proxy === undefined) return undefined;
  if (bypasses(pick('NO_PROXY', 'no_proxy') ?? '', url)) return undefined;
  return checkProxy(url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY', proxy);
}

function checkProxy(name: string, value: string): string {
  const url = parseUrl(name, value);
  if (url.username !== '' || url.password !== '') {
    // Credentials in a proxy URL are secrets: the URL is used, never shown.
    return value;
  }
  if (url.pathname !== '/' && url.pathname !== '')
    throw new InputError(name, `${show(value)} must be a proxy address with no path`);
  return value;
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
