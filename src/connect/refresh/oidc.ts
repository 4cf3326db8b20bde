/**
 * A GitHub OIDC token, asked for the way `core.getIDToken` does (without `@actions/core`,
 * which the refresh program must not load): GET ACTIONS_ID_TOKEN_REQUEST_URL with
 * `audience`, bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN, answer `{"value": "<jwt>"}`. The runner
 * puts both variables in every step's environment when the job has `id-token: write`.
 */

export type Fetch = typeof fetch;

/** The job cannot ask for a token here (no variables): retrying cannot help. */
export class NoTokenEndpointError extends Error {
  override readonly name = 'NoTokenEndpointError';
}

/** Requests a fresh ID token for `audience`. Errors carry the HTTP status for the retry policy. */
export async function requestIdToken(
  env: NodeJS.ProcessEnv,
  audience: string,
  fetchFn: Fetch = fetch,
  timeoutMs = 10_000,
): Promise<string> {
  const endpoint = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const bearer = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (!endpoint || !bearer) {
    throw new NoTokenEndpointError(
      'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set in this process (the job needs "permissions: id-token: write", and the variables must reach the process that reads the profile)',
    );
  }
  const url = new URL(endpoint);
  url.searchParams.set('audience', audience);
  let response: Response;
  try {
    response = await fetchFn(url, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // fetch hides the network error's code in `cause`; the retry policy reads `code`.
    const e = err as { name?: string; cause?: { code?: unknown } };
    const code =
      typeof e.cause?.code === 'string'
        ? e.cause.code
        : e.name === 'TimeoutError'
          ? 'TimeoutError'
          : 'Error';
    throw Object.assign(
      new Error(`the GitHub OIDC token endpoint could not be reached (${code})`),
      { code },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw Object.assign(
      new Error(`the GitHub OIDC token endpoint answered HTTP ${response.status}`),
      {
        $metadata: { httpStatusCode: response.status },
      },
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error('the GitHub OIDC token endpoint answered with something other than JSON');
  }
  const value =
    typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
  if (typeof value !== 'string' || value === '') {
    throw new Error('the GitHub OIDC token endpoint answered without a token');
  }
  return value;
}
