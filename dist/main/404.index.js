export const id = 404;
export const ids = [404];
export const modules = {

/***/ 4404:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildRefreshProfiles: () => (/* binding */ buildRefreshProfiles)
});

// UNUSED EXPORTS: refreshProgramPath

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./build/connect/resolve/hints.js
var hints = __webpack_require__(2356);
// EXTERNAL MODULE: ./build/shared/retry.js
var retry = __webpack_require__(3766);
// EXTERNAL MODULE: ./build/connect/model.js
var model = __webpack_require__(8988);
;// CONCATENATED MODULE: ./build/connect/refresh/config.js
/**
 * What main leaves for the refresh program, and the AWS config file that points consumers at
 * it. Pure: the file names, the shape of `refresh.json` (no secret in it) with a parser that
 * checks it, and the `credential_process` command line, quoted for the parsers that read it.
 */

/** File names inside the step's own directory (all of them; the post step removes the directory). */
const RefreshFile = {
    /** The AWS config file (AWS_CONFIG_FILE): one profile per connection. */
    Config: 'config',
    /** The non-secret plan the refresh program runs ({@link RefreshConfig}). */
    Plan: 'refresh.json',
    /** Session credentials the refreshes assume the chain with ({@link SessionFile}). */
    Session: 'session.json',
};
/** The cache of what the program last printed for `profile`. */
function cacheFileName(profile) {
    return `cache-${profile}.json`;
}
/** The profile of a role chain: a stable name, whatever the length of the chain. */
const CHAIN_PROFILE = 'aws-connection';
/** Each profile and the connection it gives: every named connection, or the chain's last hop. */
function refreshProfileNames(plan) {
    if (plan.named)
        return plan.connections.filter((c) => (0,model/* isExported */.g4)(plan, c)).map((c) => [c.name, c.name]);
    const last = plan.connections.at(-1);
    return last ? [[CHAIN_PROFILE, last.name]] : [];
}
/**
 * The profile a plain step gets (the config file's `default` renews as it): the chain's, or
 * the primary connection's; undefined for named connections without `connection`.
 */
function primaryRefreshProfile(plan) {
    if (!plan.named)
        return plan.connections.length > 0 ? CHAIN_PROFILE : undefined;
    return plan.primary;
}
/** A profile name: a connection's name, so safe bare in a command line. */
const PROFILE_NAME = model/* CONNECTION_NAME */.d8;
/** The version of refresh.json; the program refuses any other. */
const REFRESH_CONFIG_VERSION = 1;
/** Variables of the default provider chain that main saw, restored before each refresh. */
const DEFAULT_CHAIN_VARIABLES = [
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    // Later steps see these cleared (they would compete with the profiles): keep main's.
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_SESSION_NAME',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];
/** refresh.json or session.json is not what this version writes. */
class ConfigFileError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'ConfigFileError';
}
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v) => typeof v === 'string';
const optString = (v) => v === undefined || isString(v);
/** Parses refresh.json, checking the shape the program relies on. */
function parseRefreshConfig(text) {
    const bad = (what) => new ConfigFileError(`${RefreshFile.Plan} is not one this version of aws-connection wrote (${what})`);
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        throw bad('not JSON');
    }
    if (!isObject(v))
        throw bad('not an object');
    if (v['version'] !== REFRESH_CONFIG_VERSION)
        throw bad(`version ${JSON.stringify(v['version'])}`);
    if (!isString(v['region']) || !optString(v['stsEndpoint']) || !optString(v['proxy'])) {
        throw bad('region, stsEndpoint or proxy');
    }
    if (typeof v['retryMaxAttempts'] !== 'number' || typeof v['named'] !== 'boolean') {
        throw bad('retryMaxAttempts or named');
    }
    if (!checkBase(v['base']))
        throw bad('base');
    const connections = v['connections'];
    if (!Array.isArray(connections) || !connections.every(checkConnection))
        throw bad('connections');
    const names = new Set(connections.map((c) => c['name']));
    const profiles = v['profiles'];
    if (!isObject(profiles) || !Object.values(profiles).every((c) => isString(c) && names.has(c))) {
        throw bad('profiles');
    }
    return v;
}
function checkBase(b) {
    if (!isObject(b))
        return false;
    switch (b['kind']) {
        case 'session':
            return ((b['origin'] === 'get-session-token' || b['origin'] === 'given') &&
                typeof b['windowSeconds'] === 'number');
        case 'oidc':
            return isString(b['audience']);
        case 'web-identity-file':
            return isString(b['path']);
        case 'default-chain': {
            const env = b['env'];
            return (isObject(env) && DEFAULT_CHAIN_VARIABLES.every((k) => env[k] === null || isString(env[k])));
        }
        default:
            return false;
    }
}
function checkConnection(c) {
    if (!isObject(c) || !isString(c['name']) || !optString(c['source']))
        return false;
    const role = c['role'];
    return (checkKind(c['kind']) &&
        isObject(role) &&
        isString(role['arn']) &&
        isString(c['sessionName']) &&
        typeof c['durationSeconds'] === 'number' &&
        isString(c['region']) &&
        Array.isArray(c['tags']) &&
        Array.isArray(c['transitiveTagKeys']) &&
        Array.isArray(c['policyArns']));
}
function checkKind(k) {
    if (!isObject(k))
        return false;
    return k['type'] === 'connection' || (k['type'] === 'chain' && typeof k['position'] === 'number');
}
/** Parses session.json. */
function parseSessionFile(text) {
    const bad = new ConfigFileError(`${RefreshFile.Session} is not one this version of aws-connection wrote`);
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        throw bad;
    }
    if (!isObject(v) || !isString(v['accessKeyId']) || !isString(v['secretAccessKey']))
        throw bad;
    if (!optString(v['sessionToken']) || !optString(v['expiration']))
        throw bad;
    return v;
}
/** The connections a profile needs, in order: its ancestors, then itself. */
function lineage(connections, name) {
    const byName = new Map(connections.map((c) => [c.name, c]));
    const result = [];
    for (let spec = byName.get(name); spec; spec = spec.source === undefined ? undefined : byName.get(spec.source)) {
        if (result.includes(spec))
            throw new ConfigFileError(`connection "${name}" has a cycle of sources`);
        result.unshift(spec);
    }
    if (result[0]?.source !== undefined) {
        throw new ConfigFileError(`connection "${name}" has a source that is not in ${RefreshFile.Plan}`);
    }
    return result;
}
/**
 * Quotes one argument of the `credential_process` command line. Three parsers read it: the
 * INI reader of each tool (the JS SDK cuts a value at whitespace followed by `#` or `;`),
 * then, on Linux and macOS, `/bin/sh -c` (the JS SDK) or Python's `shlex.split` (the AWS
 * CLI), and on Windows `cmd.exe` or botocore's Windows splitter. Single quotes mean the same
 * to sh and shlex, and nothing inside them is special (`'` is written `'\''`); Windows has
 * only double quotes, inside which `"` cannot be written and cmd.exe expands `%VAR%`.
 * Arguments that no quoting carries through every parser are refused.
 */
function quoteArg(arg, platform) {
    const control = [...arg].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
    if (arg === '' || control || /\s[#;]/.test(arg)) {
        throw new Error(`cannot be written into a credential_process line: ${JSON.stringify(arg)}`);
    }
    if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg))
        return arg;
    if (platform === 'win32') {
        if (/["%]/.test(arg))
            throw new Error(`cannot be quoted for Windows: ${JSON.stringify(arg)}`);
        // Backslashes are literal unless a run of them ends at a quote, where they escape each
        // other: a trailing run is doubled so the closing quote still closes.
        return `"${arg.replace(/\\+$/, (run) => run + run)}"`;
    }
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** The `credential_process` command line for `profile`. */
function credentialProcess(where, configPath, profile) {
    if (!PROFILE_NAME.test(profile))
        throw new Error(`${JSON.stringify(profile)} is not a profile name`);
    const q = (arg) => quoteArg(arg, where.platform);
    return [q(where.node), q(where.program), '--config', q(configPath), '--profile', profile].join(' ');
}

;// CONCATENATED MODULE: ./build/connect/refresh/output.js
/**
 * How long before expiry a cached answer stops being served. The AWS CLI (botocore) refreshes
 * process credentials 15 minutes before expiry and, within 10 minutes of it, fails with
 * "refreshed credentials are still expired" if what it gets back is no newer; the JS SDK
 * refreshes 5 minutes before. So a cached answer is only served while more than 15 minutes
 * remain: sessions of 15 minutes or less are never served from the cache.
 */
const RENEW_MARGIN_MS = (/* unused pure expression or super */ null && (15 * 60_000));
/** The output for `credentials`; `fallbackExpiry` when STS gave no expiry (it always does). */
function toProcessCredentials(credentials, fallbackExpiry) {
    const out = {
        Version: 1,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Expiration: (credentials.expiration ?? fallbackExpiry).toISOString(),
    };
    if (credentials.sessionToken !== undefined)
        out.SessionToken = credentials.sessionToken;
    return out;
}
/** The line printed on stdout (and kept in the cache). */
function renderProcessCredentials(c) {
    const ordered = {
        Version: 1,
        AccessKeyId: c.AccessKeyId,
        SecretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { SessionToken: c.SessionToken }),
        Expiration: c.Expiration,
    };
    return `${JSON.stringify(ordered)}\n`;
}
/** Reads a cached answer back; undefined when it is not one (torn, foreign, or empty). */
function parseProcessCredentials(text) {
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (typeof v !== 'object' || v === null)
        return undefined;
    const c = v;
    const str = (k) => typeof c[k] === 'string' && c[k] !== '';
    if (c['Version'] !== 1 || !str('AccessKeyId') || !str('SecretAccessKey') || !str('Expiration')) {
        return undefined;
    }
    if (c['SessionToken'] !== undefined && typeof c['SessionToken'] !== 'string')
        return undefined;
    if (Number.isNaN(Date.parse(c['Expiration'])))
        return undefined;
    return c;
}
/** Whether a cached answer may be served at `nowMs`: more than `marginMs` before its expiry. */
function isFresh(c, nowMs, marginMs = RENEW_MARGIN_MS) {
    return Date.parse(c.Expiration) - nowMs > marginMs;
}

;// CONCATENATED MODULE: ./build/connect/refresh/profiles.js
/**
 * `refresh: true`: after the main step has resolved the whole plan, it exports profiles whose
 * credentials come from the refresh program (`credential_process`) rather than fixed keys.
 * This module decides the files main writes into its own directory: the AWS config file,
 * refresh.json (the non-secret plan the program runs), session.json for a key base, and a
 * cache per profile holding the credentials just resolved, so the first call costs nothing.
 *
 * A long-term key is never written: static keys (and long-term keys that the default chain
 * took from the environment, which later steps no longer see) are exchanged once for
 * GetSessionToken credentials lasting `refresh-window`, and only those are kept.
 */







/**
 * `dist/refresh/index.js` of the running action, beside the bundle this module is in, as a
 * path of `platform` (a parameter so Windows paths are tested on any host).
 */
function refreshProgramPath(moduleUrl = import.meta.url, platform = process.platform) {
    const windows = platform === 'win32';
    const paths = windows ? external_node_path_.win32 : external_node_path_.posix;
    // Built by hand rather than with `new URL(…, import.meta.url)`, which the bundler would
    // take for an asset to copy into dist/main.
    const bundleDir = paths.dirname((0,external_node_url_.fileURLToPath)(moduleUrl, { windows }));
    return paths.join(bundleDir, '..', ['refresh', 'index.js'].join('/'));
}
/**
 * The refresh profiles (each a `credential_process` command) and the files they need; makes
 * one GetSessionToken call for a key base. export/exports.ts writes the profiles into the
 * step's config file.
 */
async function buildRefreshProfiles(plan, resolution, dir, ctx) {
    const where = {
        node: ctx.location?.node ?? process.execPath,
        program: ctx.location?.program ?? refreshProgramPath(),
        platform: ctx.location?.platform ?? process.platform,
    };
    try {
        await (0,promises_.access)(where.program);
    }
    catch {
        throw new Error(`refresh: the refresh program ${where.program} is missing from the action`);
    }
    const now = ctx.now ?? Date.now;
    const configPath = (0,external_node_path_.join)(dir, RefreshFile.Plan);
    const profiles = refreshProfileNames(plan);
    const byName = new Map(resolution.connections.map((c) => [c.spec.name, c]));
    const files = [];
    const { base, session } = await refreshBase(plan, ctx);
    if (session)
        files.push({ name: RefreshFile.Session, content: `${JSON.stringify(session)}\n` });
    const config = {
        version: REFRESH_CONFIG_VERSION,
        region: plan.region,
        retryMaxAttempts: plan.retryMaxAttempts,
        named: plan.named,
        base,
        connections: plan.connections,
        profiles: Object.fromEntries(profiles),
    };
    if (plan.stsEndpoint !== undefined)
        config.stsEndpoint = plan.stsEndpoint;
    if (plan.proxy !== undefined) {
        if (hasUserInfo(plan.proxy)) {
            ctx.warning('refresh: the proxy address holds credentials, which are not written to disk: refreshes use HTTPS_PROXY / HTTP_PROXY of the process that reads the profile.');
        }
        else {
            config.proxy = plan.proxy;
        }
    }
    files.push({ name: RefreshFile.Plan, content: `${JSON.stringify(config, null, 2)}\n` });
    const entries = profiles.map(([profile, connection]) => ({
        name: profile,
        connection,
        region: byName.get(connection)?.spec.region ?? plan.region,
        command: credentialProcess(where, configPath, profile),
    }));
    // The first answer of each profile is what main just resolved.
    for (const [profile, connection] of profiles) {
        const result = byName.get(connection);
        if (!result?.session.credentials.expiration)
            continue;
        const fallback = new Date(now() + result.spec.durationSeconds * 1000);
        files.push({
            name: cacheFileName(profile),
            content: renderProcessCredentials(toProcessCredentials(result.session.credentials, fallback)),
        });
    }
    ctx.info(`Refresh: ${profiles.length} profile${profiles.length === 1 ? '' : 's'} (${profiles.map(([p]) => p).join(', ')}) renewed by credential_process from ${describeRefreshBase(base)}.`);
    // With keys as the base, renewals stop when the kept session does (the end of refresh-window).
    const renewal = { from: describeRefreshBase(base) };
    const primary = primaryRefreshProfile(plan);
    return {
        files,
        profiles: entries,
        ...(primary !== undefined && { primary }),
        renewal: session?.expiration ? { ...renewal, until: new Date(session.expiration) } : renewal,
    };
}
/** Where refreshes get their base, and the session credentials to keep for a key base. */
async function refreshBase(plan, ctx) {
    const window = plan.refreshWindowSeconds;
    switch (plan.base.kind) {
        case 'oidc':
            return { base: { kind: 'oidc', audience: plan.base.audience } };
        case 'web-identity-file':
            return {
                base: {
                    kind: 'web-identity-file',
                    path: (0,external_node_path_.resolve)(ctx.cwd ?? process.cwd(), plan.base.path),
                },
            };
        case 'static':
            return keyBase(ctx, requireKeys(ctx.base), window);
        case 'default-chain': {
            const keys = requireKeys(ctx.base);
            // Later steps see the AWS_* key variables blanked (they would win over the profile),
            // so keys the chain took from the environment cannot be found again: keep a session.
            const fromEnvironment = !ctx.env['AWS_PROFILE'] && ctx.env['AWS_ACCESS_KEY_ID'] === keys.accessKeyId;
            if (fromEnvironment)
                return keyBase(ctx, keys, window);
            const env = Object.fromEntries(DEFAULT_CHAIN_VARIABLES.map((name) => [name, ctx.env[name] || null]));
            return { base: { kind: 'default-chain', env } };
        }
    }
}
function requireKeys(base) {
    if (base.kind !== 'credentials')
        throw new Error('refresh: the base credentials are not keys');
    return base.credentials;
}
/** Keys: long-term ones are exchanged for a session of `window`; temporary ones are kept. */
async function keyBase(ctx, keys, window) {
    if (keys.sessionToken !== undefined) {
        ctx.warning('refresh: the base keys are temporary; the profiles renew only until they expire. Long-term keys (exchanged for a session of refresh-window) or OIDC renew for longer.');
        const session = {
            accessKeyId: keys.accessKeyId,
            secretAccessKey: keys.secretAccessKey,
            sessionToken: keys.sessionToken,
        };
        if (keys.expiration)
            session.expiration = keys.expiration.toISOString();
        return { base: { kind: 'session', origin: 'given', windowSeconds: window }, session };
    }
    let credentials;
    try {
        credentials = await (0,retry/* withRetry */.bD)(() => ctx.sts.getSessionToken(keys, window), ctx.retry);
    }
    catch (err) {
        throw new Error(`refresh: ${(0,hints/* describeFailure */.Ic)(err, { label: 'exchanging the base keys for a refresh session (GetSessionToken)', base: ctx.base })}`, { cause: err });
    }
    const session = {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
    };
    if (credentials.sessionToken !== undefined)
        session.sessionToken = credentials.sessionToken;
    if (credentials.expiration)
        session.expiration = credentials.expiration.toISOString();
    ctx.info(`Refresh: exchanged the base keys for session credentials (GetSessionToken, ${window} s, until ${session.expiration ?? 'unknown'}); only those are kept.`);
    return { base: { kind: 'session', origin: 'get-session-token', windowSeconds: window }, session };
}
function describeRefreshBase(base) {
    switch (base.kind) {
        case 'session':
            return base.origin === 'given'
                ? 'the temporary base keys'
                : 'session credentials (refresh-window)';
        case 'oidc':
            return 'a fresh GitHub OIDC token each time';
        case 'web-identity-file':
            return `the token file ${base.path}, read each time`;
        case 'default-chain':
            return 'the default provider chain, resolved each time';
    }
}
function hasUserInfo(url) {
    try {
        const u = new URL(url);
        return u.username !== '' || u.password !== '';
    }
    catch {
        return false;
    }
}


/***/ })

};
