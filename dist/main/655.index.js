export const id = 655;
export const ids = [655];
export const modules = {

/***/ 3655:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveProfile: () => (/* binding */ resolveProfile)
});

// UNUSED EXPORTS: STACK_VARIABLE, profileGraph

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/connect/resolve/base.js
var resolve_base = __webpack_require__(2085);
// EXTERNAL MODULE: ./build/shared/errors.js
var errors = __webpack_require__(2005);
// EXTERNAL MODULE: ./build/shared/files.js
var files = __webpack_require__(8659);
// EXTERNAL MODULE: ./build/shared/network.js
var network = __webpack_require__(6218);
// EXTERNAL MODULE: ./build/connect/resolve/resolve.js
var resolve = __webpack_require__(2186);
// EXTERNAL MODULE: ./build/shared/retry.js
var shared_retry = __webpack_require__(3766);
// EXTERNAL MODULE: ./build/aws/sts.js
var aws_sts = __webpack_require__(2086);
// EXTERNAL MODULE: ./build/aws/client.js + 1 modules
var client = __webpack_require__(2457);
// EXTERNAL MODULE: ./build/connect/refresh/config.js
var refresh_config = __webpack_require__(899);
;// CONCATENATED MODULE: ./build/connect/refresh/oidc.js
/**
 * A GitHub OIDC token, asked for the way `core.getIDToken` does (without `@actions/core`,
 * which the refresh program must not load): GET ACTIONS_ID_TOKEN_REQUEST_URL with
 * `audience`, bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN, answer `{"value": "<jwt>"}`. The runner
 * puts both variables in every step's environment when the job has `id-token: write`.
 */
/** The job cannot ask for a token here (no variables): retrying cannot help. */
class NoTokenEndpointError extends Error {
    name = 'NoTokenEndpointError';
}
/** Requests a fresh ID token for `audience`. Errors carry the HTTP status for the retry policy. */
async function requestIdToken(env, audience, fetchFn = fetch, timeoutMs = 10_000) {
    const endpoint = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
    const bearer = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
    if (!endpoint || !bearer) {
        throw new NoTokenEndpointError('ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set in this process (the job needs "permissions: id-token: write", and the variables must reach the process that reads the profile)');
    }
    const url = new URL(endpoint);
    url.searchParams.set('audience', audience);
    let response;
    try {
        response = await fetchFn(url, {
            headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
            signal: AbortSignal.timeout(timeoutMs),
        });
    }
    catch (err) {
        // fetch hides the network error's code in `cause`; the retry policy reads `code`.
        const e = err;
        const code = typeof e.cause?.code === 'string'
            ? e.cause.code
            : e.name === 'TimeoutError'
                ? 'TimeoutError'
                : 'Error';
        throw Object.assign(new Error(`the GitHub OIDC token endpoint could not be reached (${code})`), { code });
    }
    if (!response.ok) {
        await response.body?.cancel();
        throw Object.assign(new Error(`the GitHub OIDC token endpoint answered HTTP ${response.status}`), {
            $metadata: { httpStatusCode: response.status },
        });
    }
    let body;
    try {
        body = await response.json();
    }
    catch {
        throw new Error('the GitHub OIDC token endpoint answered with something other than JSON');
    }
    const value = typeof body === 'object' && body !== null ? body.value : undefined;
    if (typeof value !== 'string' || value === '') {
        throw new Error('the GitHub OIDC token endpoint answered without a token');
    }
    return value;
}

// EXTERNAL MODULE: ./build/connect/refresh/output.js
var output = __webpack_require__(4992);
;// CONCATENATED MODULE: ./build/connect/refresh/resolve-profile.js
/**
 * One resolution of a profile for the refresh program: the base obtained anew from what main
 * recorded, then the profile's connection and its sources assumed again by the action's own
 * resolver (the graph of just those connections). Loaded only when the cache cannot answer.
 */












/**
 * The refresh.json paths of the refreshes running above this process. The default provider
 * chain may run another profile's credential_process; if it leads back to this one, stop.
 */
const STACK_VARIABLE = 'AWS_CONNECTION_REFRESH_STACK';
/** Gets the base anew and assumes `connection` and its sources again. */
async function resolveProfile(config, connection, configPath, deps) {
    const retry = deps.retry ?? (0,shared_retry/* defaultRetryPolicy */.ur)(config.retryMaxAttempts);
    const spec = baseSpec(config.base, (0,external_node_path_.dirname)(configPath), configPath, deps);
    const endpoint = config.stsEndpoint ?? (0,client/* regionalStsEndpoint */.fF)(config.region, deps.env);
    const proxy = config.proxy ?? (0,network/* resolveProxy */.Fu)('', endpoint, deps.env);
    const sts = await (deps.createSts ?? aws_sts/* createSts */.FZ)({
        region: config.region,
        ...(config.stsEndpoint === undefined ? {} : { endpoint: config.stsEndpoint }),
        ...(proxy === undefined ? {} : { proxy }),
        ...aws_sts/* STS_TIMEOUTS */.wr,
        env: deps.env,
        // The program prints nothing but its answer: there is no log to mask.
        mask: () => undefined,
    });
    const base = await (0,resolve_base/* resolveBase */.gU)(spec, {
        mask: () => undefined,
        getIdToken: (audience) => (0,shared_retry/* withRetry */.bD)(() => requestIdToken(deps.env, audience, deps.fetch ?? fetch), retry),
        defaultChain: deps.defaultChain ?? defaultChain,
    });
    const graph = profileGraph(config, connection, spec);
    const started = deps.now();
    let resolution;
    try {
        resolution = await (0,resolve/* resolveConnections */.gp)(graph, base, { sts, retry, info: () => undefined });
    }
    catch (err) {
        throw explainExpiry(err, config.base);
    }
    const target = graph.connections.at(-1);
    if (!resolution.primary || !target)
        throw new Error(`connection ${connection} resolved to nothing`);
    return (0,output/* toProcessCredentials */.xG)(resolution.primary.credentials, new Date(started + target.durationSeconds * 1000));
}
/** The base to resolve, from what main recorded. */
function baseSpec(base, dir, configPath, deps) {
    switch (base.kind) {
        case 'session': {
            const session = deps.session ?? readSession(dir);
            if (session.expiration !== undefined && Date.parse(session.expiration) <= deps.now()) {
                throw new Error(expiredSource(base, session.expiration));
            }
            const spec = {
                kind: 'static',
                accessKeyId: session.accessKeyId,
                secretAccessKey: session.secretAccessKey,
            };
            if (session.sessionToken !== undefined)
                spec.sessionToken = session.sessionToken;
            return spec;
        }
        case 'agent':
            // The client asks the agent (program.ts); only the agent resolves, from a 'session' base.
            throw new Error('this profile renews through the credential agent, not by itself');
        case 'oidc':
            return { kind: 'oidc', audience: base.audience };
        case 'web-identity-file':
            return { kind: 'web-identity-file', path: base.path };
        case 'default-chain': {
            const stack = (deps.env[STACK_VARIABLE] ?? '').split(external_node_path_.delimiter).filter((p) => p !== '');
            if (stack.includes(configPath)) {
                throw new Error('the default provider chain led back to this profile (its AWS_PROFILE is one of ours): set the base credentials of the aws-connection step explicitly');
            }
            deps.env[STACK_VARIABLE] = [...stack, configPath].join(external_node_path_.delimiter);
            // Later steps see AWS_PROFILE and AWS_CONFIG_FILE pointing at our own profiles: give the
            // chain what the main step's chain saw.
            for (const name of refresh_config/* DEFAULT_CHAIN_VARIABLES */.CN) {
                const value = base.env[name];
                if (value === null)
                    delete deps.env[name];
                else
                    deps.env[name] = value;
            }
            return { kind: 'default-chain' };
        }
    }
}
function readSession(dir) {
    const text = (0,files/* readIfExists */.O)((0,external_node_path_.join)(dir, refresh_config/* RefreshFile */.eB.Session));
    if (text === undefined)
        throw new Error(`${(0,external_node_path_.join)(dir, refresh_config/* RefreshFile */.eB.Session)} does not exist (the post step has run, or RUNNER_TEMP was cleaned)`);
    return (0,refresh_config/* parseSessionFile */.Ec)(text);
}
/** The graph of `connection` and its sources only, for the action's resolver. */
function profileGraph(config, connection, base) {
    return {
        base,
        connections: (0,refresh_config/* lineage */.OZ)(config.connections, connection),
        primary: connection,
        named: config.named,
    };
}
/** Says plainly when the source has expired, rather than only the STS error of the first hop. */
function explainExpiry(err, base) {
    if (base.kind !== 'session' || !/: ExpiredToken(Exception)?:/.test((0,errors/* messageOf */.bD)(err)))
        return err;
    return new Error(`${expiredSource(base)} (${(0,errors/* messageOf */.bD)(err)})`);
}
function expiredSource(base, at) {
    const when = at === undefined ? '' : ` at ${at}`;
    if (base.origin === 'given') {
        return `the temporary keys given to the aws-connection step expired${when}, and the profile renews from them: give the step long-term keys (exchanged for a session of refresh-window) or OIDC`;
    }
    const hours = Math.round((base.windowSeconds / 3600) * 10) / 10;
    return `the session credentials this profile renews from expired${when}: they last the step's refresh-window (${hours} h). Run the aws-connection step again, or give it a longer refresh-window`;
}
/** The SDK's default provider chain, loaded only on this path. */
async function defaultChain() {
    try {
        return await (0,resolve_base/* loadDefaultChain */.dt)();
    }
    catch (err) {
        throw new Error(`the default provider chain gave no credentials: ${(0,errors/* messageOf */.bD)(err)}`, {
            cause: err,
        });
    }
}


/***/ })

};
