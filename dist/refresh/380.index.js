export const id = 380;
export const ids = [380];
export const modules = {

/***/ 6380:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runAgent: () => (/* binding */ runAgent)
/* harmony export */ });
/* unused harmony exports AGENT_MATERIAL_VERSION, parseAgentMaterial, CredentialBook, serveAgent */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7030);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2005);
/* harmony import */ var _agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4897);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6586);
/* harmony import */ var _output_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4992);
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
        throw new _config_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigFileError */ .x('the agent material is not JSON');
    }
    const m = (typeof v === 'object' && v !== null ? v : {});
    if (m['version'] !== AGENT_MATERIAL_VERSION)
        throw new _config_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigFileError */ .x('the agent material is not one this version reads');
    const config = (0,_config_js__WEBPACK_IMPORTED_MODULE_4__/* .parseRefreshConfig */ .JQ)(JSON.stringify(m['config']));
    if (config.base.kind !== 'session')
        throw new _config_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigFileError */ .x('the agent renews from session credentials only');
    const session = (0,_config_js__WEBPACK_IMPORTED_MODULE_4__/* .parseSessionFile */ .Ec)(JSON.stringify(m['session']));
    const seedIn = m['seed'];
    const seed = {};
    for (const [profile, c] of Object.entries(typeof seedIn === 'object' && seedIn ? seedIn : {})) {
        const parsed = (0,_output_js__WEBPACK_IMPORTED_MODULE_5__/* .parseProcessCredentials */ .Lp)(JSON.stringify(c));
        if (parsed && config.profiles[profile] !== undefined)
            seed[profile] = parsed;
    }
    const env = {};
    const envIn = m['env'];
    for (const [k, val] of Object.entries(typeof envIn === 'object' && envIn ? envIn : {}))
        if (typeof val === 'string')
            env[k] = val;
    if (typeof m['until'] !== 'number' || !Number.isFinite(m['until']))
        throw new _config_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigFileError */ .x('the agent material has no end');
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
            throw new _agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__/* .AgentProtocolError */ .Cc(`profile ${JSON.stringify(profile)} is not one this step exported (${Object.keys(this.profiles).join(', ')})`);
        }
        const held = this.answers.get(profile);
        if (held && (0,_output_js__WEBPACK_IMPORTED_MODULE_5__/* .isFresh */ .pL)(held, this.now()))
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
    const server = (0,node_net__WEBPACK_IMPORTED_MODULE_1__.createServer)({ allowHalfOpen: false });
    let closed = false;
    const close = () => {
        if (closed)
            return;
        closed = true;
        clearTimeout(deadline);
        server.close();
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.unlinkSync)(socketPath);
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
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(socketPath, 0o600);
    return { server, book, close };
}
async function serveOne(socket, book, deps, close) {
    socket.on('error', () => undefined);
    let request;
    let answer;
    try {
        request = (0,_agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__/* .parseRequest */ .TR)(await (0,_agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__/* .readLine */ .Xw)(socket, deps.requestTimeoutMs));
        answer =
            request.op === 'stop'
                ? { ok: true, stopped: process.pid }
                : { ok: true, credentials: await book.get(request.profile) };
    }
    catch (err) {
        answer = { ok: false, error: (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err) };
    }
    socket.end((0,_agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__/* .renderMessage */ .e4)(answer));
    if (request?.op === 'stop')
        close();
}
function defaultRenew(material, deps) {
    return async (_profile, connection) => {
        const { resolveProfile } = await __webpack_require__.e(/* import() */ 150).then(__webpack_require__.bind(__webpack_require__, 4150));
        return resolveProfile(material.config, connection, _agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__/* .AGENT_SOCKET */ .k_, {
            env: { ...material.env },
            now: deps.now,
            session: material.session,
            ...deps.resolveDeps,
        });
    };
}
/** The most the agent reads from stdin. */
const MAX_MATERIAL_BYTES = 1024 * 1024;
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
        const agent = await serveAgent(material, io.socket ?? _agent_protocol_js__WEBPACK_IMPORTED_MODULE_3__/* .AGENT_SOCKET */ .k_, {
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
        say({ error: (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err) });
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


/***/ })

};
