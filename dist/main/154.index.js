export const id = 154;
export const ids = [154];
export const modules = {

/***/ 7154:
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
// EXTERNAL MODULE: ./build/connect/refresh/config.js
var refresh_config = __webpack_require__(899);
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
/** The files of the refresh profiles; makes one GetSessionToken call for a key base. */
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
    const configPath = (0,external_node_path_.join)(dir, refresh_config/* RefreshFile */.eB.Plan);
    const profiles = (0,refresh_config/* refreshProfileNames */.RX)(plan);
    const byName = new Map(resolution.connections.map((c) => [c.spec.name, c]));
    const files = [];
    const { base, session } = await refreshBase(plan, ctx);
    if (session)
        files.push({ name: refresh_config/* RefreshFile */.eB.Session, content: `${JSON.stringify(session)}\n` });
    const config = {
        version: refresh_config/* REFRESH_CONFIG_VERSION */.ae,
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
    files.push({ name: refresh_config/* RefreshFile */.eB.Plan, content: `${JSON.stringify(config, null, 2)}\n` });
    const entries = profiles.map(([profile, connection]) => ({
        name: profile,
        region: byName.get(connection)?.spec.region ?? plan.region,
        command: (0,refresh_config/* credentialProcess */.DJ)(where, configPath, profile),
    }));
    files.push({ name: refresh_config/* RefreshFile */.eB.Config, content: (0,refresh_config/* renderProfiles */.HQ)(entries) });
    // The first answer of each profile is what main just resolved.
    for (const [profile, connection] of profiles) {
        const result = byName.get(connection);
        if (!result?.session.credentials.expiration)
            continue;
        const fallback = new Date(now() + result.spec.durationSeconds * 1000);
        files.push({
            name: (0,refresh_config/* cacheFileName */.Ep)(profile),
            content: renderProcessCredentials(toProcessCredentials(result.session.credentials, fallback)),
        });
    }
    ctx.info(`Refresh: ${profiles.length} profile${profiles.length === 1 ? '' : 's'} (${profiles.map(([p]) => p).join(', ')}) renewed by credential_process from ${describeRefreshBase(base)}.`);
    return files;
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
            const env = Object.fromEntries(refresh_config/* DEFAULT_CHAIN_VARIABLES */.CN.map((name) => [name, ctx.env[name] || null]));
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
        throw new Error(`refresh: ${(0,hints/* describeFailure */.I)(err, { label: 'exchanging the base keys for a refresh session (GetSessionToken)', base: ctx.base })}`, { cause: err });
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
