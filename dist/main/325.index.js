export const id = 325;
export const ids = [325];
export const modules = {

/***/ 899:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CN: () => (/* binding */ DEFAULT_CHAIN_VARIABLES),
/* harmony export */   DJ: () => (/* binding */ credentialProcess),
/* harmony export */   Ec: () => (/* binding */ parseSessionFile),
/* harmony export */   Ep: () => (/* binding */ cacheFileName),
/* harmony export */   OZ: () => (/* binding */ lineage),
/* harmony export */   RX: () => (/* binding */ refreshProfileNames),
/* harmony export */   ae: () => (/* binding */ REFRESH_CONFIG_VERSION),
/* harmony export */   eB: () => (/* binding */ RefreshFile),
/* harmony export */   v7: () => (/* binding */ primaryRefreshProfile)
/* harmony export */ });
/* unused harmony exports CHAIN_PROFILE, PROFILE_NAME, ConfigFileError, parseRefreshConfig, quoteArg */
/* harmony import */ var _model_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8988);
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
        return plan.connections.filter((c) => (0,_model_js__WEBPACK_IMPORTED_MODULE_0__/* .isExported */ .g4)(plan, c)).map((c) => [c.name, c.name]);
    const last = plan.connections.at(-1);
    return last ? [[plan.awsProfile ?? CHAIN_PROFILE, last.name]] : [];
}
/**
 * The profile a plain step gets (the config file's `default` renews as it): the chain's, or
 * the primary connection's; undefined for named connections without `connection`.
 */
function primaryRefreshProfile(plan) {
    if (!plan.named)
        return plan.connections.length > 0 ? (plan.awsProfile ?? CHAIN_PROFILE) : undefined;
    return plan.primary;
}
/** A profile name: a connection's name, so safe bare in a command line. */
const PROFILE_NAME = _model_js__WEBPACK_IMPORTED_MODULE_0__/* .CONNECTION_NAME */ .d8;
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
class ConfigFileError extends Error {
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
        case 'agent':
            return ((b['origin'] === 'get-session-token' || b['origin'] === 'given') &&
                typeof b['windowSeconds'] === 'number' &&
                isString(b['socket']) &&
                /^[\w-][\w.-]*$/.test(b['socket']) &&
                isString(b['until']));
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


/***/ }),

/***/ 9325:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildRefreshProfiles: () => (/* binding */ buildRefreshProfiles)
});

// UNUSED EXPORTS: WINDOWS_SESSION_WARNING, refreshProgramPath

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
// EXTERNAL MODULE: ./build/connect/refresh/output.js
var output = __webpack_require__(4992);
// EXTERNAL MODULE: ./build/connect/refresh/agent-protocol.js
var agent_protocol = __webpack_require__(4897);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ./build/shared/errors.js
var errors = __webpack_require__(2005);
;// CONCATENATED MODULE: ./build/connect/refresh/agent.js
/**
 * The credential agent (`dist/refresh/index.js agent`): started by the main step when the
 * profiles renew from session credentials (a key base), it holds those credentials in memory
 * only and answers the `credential_process` client over `agent.sock` in the step's directory.
 *
 * What it takes, on stdin and nowhere else ({@link AgentMaterial}): the non-secret plan, the
 * session credentials, the proxy, and main's first answer of each profile. It answers only for
 * the profiles the step exported, with that profile's final-hop credentials: never the session
 * itself, never a role or an external ID of the caller's choosing. Answers are kept in memory
 * until {@link RENEW_MARGIN_MS} before they expire; concurrent requests for a profile share one
 * renewal. It exits on its own at the end of the session (the end of `refresh-window`), when
 * asked to stop (the post step), or on SIGTERM, removing its socket.
 */






/** The version of {@link AgentMaterial}; the agent refuses any other. */
const AGENT_MATERIAL_VERSION = 1;
/** Parses the material; throws a message naming what is wrong (never a value). */
function parseAgentMaterial(text) {
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        throw new ConfigFileError('the agent material is not JSON');
    }
    const m = (typeof v === 'object' && v !== null ? v : {});
    if (m['version'] !== AGENT_MATERIAL_VERSION)
        throw new ConfigFileError('the agent material is not one this version reads');
    const config = parseRefreshConfig(JSON.stringify(m['config']));
    if (config.base.kind !== 'session')
        throw new ConfigFileError('the agent renews from session credentials only');
    const session = parseSessionFile(JSON.stringify(m['session']));
    const seedIn = m['seed'];
    const seed = {};
    for (const [profile, c] of Object.entries(typeof seedIn === 'object' && seedIn ? seedIn : {})) {
        const parsed = parseProcessCredentials(JSON.stringify(c));
        if (parsed && config.profiles[profile] !== undefined)
            seed[profile] = parsed;
    }
    const env = {};
    const envIn = m['env'];
    for (const [k, val] of Object.entries(typeof envIn === 'object' && envIn ? envIn : {}))
        if (typeof val === 'string')
            env[k] = val;
    if (typeof m['until'] !== 'number' || !Number.isFinite(m['until']))
        throw new ConfigFileError('the agent material has no end');
    return { version: AGENT_MATERIAL_VERSION, config, session, seed, until: m['until'], env };
}
/** The answers of the exported profiles: kept while fresh, one renewal at a time per profile. */
class CredentialBook {
    profiles;
    renew;
    now;
    answers = new Map();
    renewing = new Map();
    /** How many renewals were started (for tests and the stop answer). */
    renewals = 0;
    constructor(profiles, seed, renew, now) {
        this.profiles = profiles;
        this.renew = renew;
        this.now = now;
        for (const [profile, c] of Object.entries(seed))
            this.answers.set(profile, c);
    }
    /** The credentials of `profile`, renewed when due; refuses a profile the step did not export. */
    async get(profile) {
        const connection = Object.hasOwn(this.profiles, profile) ? this.profiles[profile] : undefined;
        if (connection === undefined) {
            throw new AgentProtocolError(`profile ${JSON.stringify(profile)} is not one this step exported (${Object.keys(this.profiles).join(', ')})`);
        }
        const held = this.answers.get(profile);
        if (held && isFresh(held, this.now()))
            return held;
        let pending = this.renewing.get(profile);
        if (!pending) {
            this.renewals++;
            pending = this.renew(profile, connection)
                .then((fresh) => {
                this.answers.set(profile, fresh);
                return fresh;
            })
                .finally(() => this.renewing.delete(profile));
            this.renewing.set(profile, pending);
        }
        return pending;
    }
}
/**
 * Serves `material` on `socketPath` (a name relative to the working directory, or a path);
 * resolves once it listens.
 */
async function serveAgent(material, socketPath, deps) {
    const renew = deps.renew ?? defaultRenew(material, deps);
    const book = new CredentialBook(material.config.profiles, material.seed, renew, deps.now);
    const server = createServer({ allowHalfOpen: false });
    let closed = false;
    const close = () => {
        if (closed)
            return;
        closed = true;
        clearTimeout(deadline);
        server.close();
        try {
            unlinkSync(socketPath);
        }
        catch {
            // Already gone with its directory.
        }
        deps.onClose();
    };
    // The end of the session: nothing could be renewed after it.
    const deadline = setTimeout(close, Math.max(0, Math.min(material.until - deps.now(), 2 ** 31 - 1)));
    server.on('connection', (socket) => {
        void serveOne(socket, book, deps, close);
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
            server.off('error', reject);
            resolve();
        });
    });
    // The directory is already 0700; the socket is the user's alone too, whatever the umask.
    chmodSync(socketPath, 0o600);
    return { server, book, close };
}
async function serveOne(socket, book, deps, close) {
    socket.on('error', () => undefined);
    let request;
    let answer;
    try {
        request = parseRequest(await readLine(socket, deps.requestTimeoutMs));
        answer =
            request.op === 'stop'
                ? { ok: true, stopped: process.pid }
                : { ok: true, credentials: await book.get(request.profile) };
    }
    catch (err) {
        answer = { ok: false, error: messageOf(err) };
    }
    socket.end(renderMessage(answer));
    if (request?.op === 'stop')
        close();
}
function defaultRenew(material, deps) {
    return async (_profile, connection) => {
        const { resolveProfile } = await __webpack_require__.e(/* import() */ 655).then(__webpack_require__.bind(__webpack_require__, 3655));
        return resolveProfile(material.config, connection, AGENT_SOCKET, {
            env: { ...material.env },
            now: deps.now,
            session: material.session,
            ...deps.resolveDeps,
        });
    };
}
/** The most the agent reads from stdin. */
const MAX_MATERIAL_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
/**
 * The agent's entry: reads the material from stdin to its end, listens on `agent.sock` in the
 * working directory (the step's directory), then says `{"ready":PID}` or `{"error":…}` on
 * stdout, which the main step reads and closes. Resolves to the running agent, or undefined
 * when it could not start (it said why).
 */
async function runAgent(io = {}) {
    const write = io.write ?? ((line) => void process.stdout.write(line));
    const say = (line) => write(`${JSON.stringify(line)}\n`);
    try {
        const material = parseAgentMaterial(await readAll(io.stdin ?? process.stdin, MAX_MATERIAL_BYTES));
        const agent = await serveAgent(material, io.socket ?? AGENT_SOCKET, {
            now: Date.now,
            requestTimeoutMs: 10_000,
            onClose: io.exit ?? (() => process.exit(0)),
        });
        const signals = io.signals ?? process;
        for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'])
            signals.on(signal, agent.close);
        say({ ready: process.pid });
        return agent;
    }
    catch (err) {
        say({ error: messageOf(err) });
        return undefined;
    }
}
function readAll(stream, max) {
    return new Promise((resolve, reject) => {
        let text = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
            text += chunk;
            if (text.length > max)
                reject(new Error('the agent material is too long'));
        });
        stream.once('end', () => resolve(text));
        stream.once('error', reject);
    });
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./build/aws/client.js + 1 modules
var client = __webpack_require__(2457);
;// CONCATENATED MODULE: ./build/connect/refresh/agent-start.js
/**
 * The main step's side of the credential agent: starts `dist/refresh/index.js agent` in the
 * step's directory, detached and unreferenced so the step can end, and hands it the renewal
 * material over its stdin, which is then closed. Neither the command line nor the environment
 * carries a secret: the agent gets a scrubbed environment (any process of the user can read
 * /proc/<pid>/environ; Yama's ptrace_scope does not guard it), and its command line is public.
 */




/**
 * The variables the agent may see: none secret, none that a later step could have set to
 * steer it. The runner's tracking ID stays, so the runner's end-of-job cleanup of orphan
 * processes finds it.
 */
const AGENT_ENVIRONMENT = [
    'PATH',
    'HOME',
    'TMPDIR',
    'LANG',
    'LC_ALL',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'RUNNER_TRACKING_ID',
];
/** The agent's environment: the allowed names of `env`, nothing else. */
function agentEnvironment(env) {
    const out = {};
    for (const name of AGENT_ENVIRONMENT) {
        const value = env[name];
        if (value !== undefined)
            out[name] = value;
    }
    return out;
}
/** The variables the agent's renewals read, handed over with the material instead. */
function agentVariables(env) {
    const standIn = env[client/* STS_STAND_IN_VARIABLE */.z8];
    return standIn ? { [client/* STS_STAND_IN_VARIABLE */.z8]: standIn } : {};
}
/** Starts the agent and waits until it listens; throws with the agent's own reason if it cannot. */
async function startAgent(o) {
    const child = (o.spawn ?? external_node_child_process_.spawn)(o.node, [o.program, 'agent'], {
        cwd: o.dir,
        env: agentEnvironment(o.env),
        detached: true,
        stdio: ['pipe', 'pipe', 'ignore'],
        windowsHide: true,
    });
    const timeoutMs = o.timeoutMs ?? 15_000;
    try {
        const line = await new Promise((resolve, reject) => {
            let text = '';
            const timer = setTimeout(() => reject(new Error(`it did not say it was ready within ${timeoutMs / 1000} s`)), timeoutMs);
            const fail = (err) => {
                clearTimeout(timer);
                reject(err);
            };
            child.once('error', fail);
            child.once('exit', (code, signal) => fail(new Error(`it exited (${signal ?? `code ${code ?? '?'}`}) before it was ready`)));
            child.stdout?.setEncoding('utf8');
            child.stdout?.on('data', (chunk) => {
                text += chunk;
                const end = text.indexOf('\n');
                if (end < 0)
                    return;
                clearTimeout(timer);
                resolve(text.slice(0, end));
            });
            // The material goes over the pipe, which is then closed: it is in no file and no variable.
            child.stdin?.on('error', () => undefined);
            child.stdin?.end(JSON.stringify(o.material));
        });
        const said = JSON.parse(line);
        if (typeof said.error === 'string')
            throw new Error(said.error);
        if (typeof said.ready !== 'number')
            throw new Error('it said something other than ready');
        child.removeAllListeners('exit');
        child.stdout?.destroy();
        child.unref();
        return { pid: said.ready, socket: (0,external_node_path_.join)(o.dir, agent_protocol/* AGENT_SOCKET */.k_) };
    }
    catch (err) {
        child.removeAllListeners('exit');
        child.stdout?.destroy();
        if (child.exitCode === null)
            child.kill();
        child.unref();
        throw new Error(`refresh: the credential agent could not be started: ${err.message}`, { cause: err });
    }
}

;// CONCATENATED MODULE: ./build/connect/refresh/profiles.js
/**
 * `refresh: true`: after the main step has resolved the whole plan, it exports profiles whose
 * credentials come from the refresh program (`credential_process`) rather than fixed keys.
 * This module decides the files main writes into its own directory: the AWS config file and
 * refresh.json (the non-secret plan the program runs).
 *
 * With keys as the base (session credentials), the renewal material stays out of files: a
 * credential agent (agent.ts), started once the directory exists, holds the session and the
 * first answers in memory and answers only for the exported profiles. On Windows, where the
 * agent's socket would be a named pipe with a default ACL broader than the user, the session
 * goes to session.json as before, with a warning. For the other bases (a fresh OIDC token, a
 * token file, the default chain: material that is not the step's to hide) a cache per profile
 * holds the credentials just resolved, so the first call costs nothing.
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
    const configPath = (0,external_node_path_.join)(dir, refresh_config/* RefreshFile */.eB.Plan);
    const profiles = (0,refresh_config/* refreshProfileNames */.RX)(plan);
    const byName = new Map(resolution.connections.map((c) => [c.spec.name, c]));
    const files = [];
    const { base: resolvedBase, session } = await refreshBase(plan, ctx);
    const agent = resolvedBase.kind === 'session' && session && where.platform !== 'win32';
    let base = resolvedBase;
    const until = session?.expiration ?? new Date(now() + plan.refreshWindowSeconds * 1000).toISOString();
    if (agent && resolvedBase.kind === 'session') {
        base = { ...resolvedBase, kind: 'agent', socket: agent_protocol/* AGENT_SOCKET */.k_, until };
    }
    else if (session) {
        if (where.platform === 'win32')
            ctx.warning(WINDOWS_SESSION_WARNING);
        files.push({ name: refresh_config/* RefreshFile */.eB.Session, content: `${JSON.stringify(session)}\n` });
    }
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
            // The agent has it in memory; the program of the other bases reads its own variables.
            if (!agent)
                ctx.warning('refresh: the proxy address holds credentials, which are not written to disk: refreshes use HTTPS_PROXY / HTTP_PROXY of the process that reads the profile.');
        }
        else {
            config.proxy = plan.proxy;
        }
    }
    files.push({ name: refresh_config/* RefreshFile */.eB.Plan, content: `${JSON.stringify(config, null, 2)}\n` });
    const entries = profiles.map(([profile, connection]) => ({
        name: profile,
        connection,
        region: byName.get(connection)?.spec.region ?? plan.region,
        command: (0,refresh_config/* credentialProcess */.DJ)(where, configPath, profile),
    }));
    // The first answer of each profile is what main just resolved.
    const seed = {};
    for (const [profile, connection] of profiles) {
        const result = byName.get(connection);
        if (!result?.session.credentials.expiration)
            continue;
        const fallback = new Date(now() + result.spec.durationSeconds * 1000);
        seed[profile] = (0,output/* toProcessCredentials */.xG)(result.session.credentials, fallback);
    }
    if (!agent) {
        for (const [profile, answer] of Object.entries(seed))
            files.push({ name: (0,refresh_config/* cacheFileName */.Ep)(profile), content: (0,output/* renderProcessCredentials */.UL)(answer) });
    }
    ctx.info(`Refresh: ${profiles.length} profile${profiles.length === 1 ? '' : 's'} (${profiles.map(([p]) => p).join(', ')}) renewed by credential_process from ${describeRefreshBase(base)}.`);
    // With keys as the base, renewals stop when the kept session does (the end of refresh-window).
    const renewal = { from: describeRefreshBase(base) };
    const primary = (0,refresh_config/* primaryRefreshProfile */.v7)(plan);
    const result = {
        files,
        profiles: entries,
        ...(primary !== undefined && { primary }),
        renewal: session?.expiration ? { ...renewal, until: new Date(session.expiration) } : renewal,
    };
    if (agent && session) {
        // In memory only: the plan with the proxy as main has it (a password included).
        const material = {
            version: AGENT_MATERIAL_VERSION,
            config: {
                ...config,
                base: resolvedBase,
                ...(plan.proxy === undefined ? {} : { proxy: plan.proxy }),
            },
            session,
            seed,
            until: Date.parse(until),
            env: agentVariables(ctx.env),
        };
        const start = ctx.startAgent ?? startAgent;
        result.startAgent = () => start({ node: where.node, program: where.program, dir, material, env: ctx.env });
    }
    return result;
}
/** Why a key base keeps its session in a file on Windows. */
const WINDOWS_SESSION_WARNING = "refresh: on Windows the refresh session is kept in session.json in the step's directory (the credential agent's socket would be a named pipe, whose default ACL lets other accounts read it): any later step of this job can read that session and assume the first role with it until refresh-window ends. Prefer OIDC as the base, or a Linux or macOS runner.";
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
        case 'agent':
            return base.origin === 'given'
                ? 'the temporary base keys, held in memory by a credential agent'
                : 'session credentials (refresh-window), held in memory by a credential agent';
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
