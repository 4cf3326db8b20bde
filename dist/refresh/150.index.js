export const id = 150;
export const ids = [150];
export const modules = {

/***/ 4150:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveProfile: () => (/* binding */ resolveProfile)
});

// UNUSED EXPORTS: STACK_VARIABLE, profileGraph

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./build/aws/credentials.js
/** Credentials and what STS says about them: the vocabulary every AWS adapter shares. */
/** Credentials, with the optional parts only where they have a value (exactOptionalPropertyTypes). */
function credentialsOf(accessKeyId, secretAccessKey, sessionToken, expiration) {
    const c = { accessKeyId, secretAccessKey };
    if (sessionToken)
        c.sessionToken = sessionToken;
    if (expiration)
        c.expiration = expiration;
    return c;
}

;// CONCATENATED MODULE: ./build/connect/resolve/token-claims.js
/**
 * What an OIDC refusal needs to say: the non-secret claims of the token that was sent, which
 * form its `sub` has, and the trust-policy statement that would admit exactly this job. The
 * token's signature is not checked here (STS does that); the claims are only read back.
 */
/** The optional claims shown, in this order. */
const SHOWN_CLAIMS = [
    'repository',
    'repository_id',
    'repository_owner',
    'repository_owner_id',
    'ref',
    'environment',
    'job_workflow_ref',
];
/** Reads the claims of a JWT; undefined when it is not one, or has no `iss` or `sub`. */
function readClaims(token) {
    let payload;
    try {
        payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    }
    catch {
        return undefined;
    }
    if (typeof payload !== 'object' || payload === null)
        return undefined;
    const p = payload;
    const text = (v) => typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
    const iss = text(p['iss']);
    const sub = text(p['sub']);
    if (iss === undefined || sub === undefined)
        return undefined;
    const aud = (Array.isArray(p['aud']) ? p['aud'] : [p['aud']]).flatMap((a) => text(a) ?? []);
    const claims = { iss, sub, aud };
    for (const name of SHOWN_CLAIMS) {
        const value = text(p[name]);
        if (value !== undefined)
            claims[name] = value;
    }
    return claims;
}
/**
 * `immutable` for the `sub` that github.com gives repositories created on or after 15 July
 * 2026 (and older ones that opt in): `repo:OWNER@OWNER_ID/REPO@REPO_ID:…`; `classic` otherwise.
 */
function subForm(sub) {
    return /^repo:[^/:@]+@\d+\/[^/:@]+@\d+:/.test(sub) ? 'immutable' : 'classic';
}
/** The issuer's host, as IAM names the provider and prefixes its condition keys. */
function issuerHost(iss) {
    return iss.replace(/^https:\/\//, '').replace(/\/$/, '');
}
/** The trust-policy statement that admits exactly this token's job to a role of `accountId`. */
function admittingStatement(claims, accountId, partition = 'aws') {
    const host = issuerHost(claims.iss);
    const aud = claims.aud.length === 1 ? claims.aud[0] : claims.aud;
    return JSON.stringify({
        Effect: 'Allow',
        Principal: { Federated: `arn:${partition}:iam::${accountId}:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${host}:aud`]: aud, [`${host}:sub`]: claims.sub } },
    });
}
/** The claims of the token as one line: `sub "…" (immutable form), aud "…", repository "…", …`. */
function describeClaims(claims) {
    const parts = [
        `sub "${claims.sub}" (${subForm(claims.sub)} form)`,
        `aud "${claims.aud.join('", "')}"`,
        ...SHOWN_CLAIMS.flatMap((name) => claims[name] === undefined ? [] : [`${name} "${claims[name] ?? ''}"`]),
    ];
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./build/connect/resolve/base.js
/**
 * The base credentials: the first link of every chain. Static keys come from the inputs; a
 * web identity from a token file or GitHub's OIDC endpoint; otherwise the AWS default
 * provider chain, loaded only on that path.
 */




/** A web identity, with the token's claims where it has them (for the hint of a refusal). */
function webIdentity(token, origin) {
    const claims = readClaims(token);
    return claims === undefined
        ? { kind: 'web-identity', token, origin }
        : { kind: 'web-identity', token, origin, claims };
}
/** A GitHub OIDC token from the runner's token endpoint, through `@actions/core` (loaded here only). */
async function githubIdToken(audience) {
    const core = await __webpack_require__.e(/* import() */ 421).then(__webpack_require__.bind(__webpack_require__, 6421));
    return core.getIDToken(audience);
}
/** A one-line description of where the base credentials come from (no secret in it). */
function describeBase(base) {
    switch (base.kind) {
        case 'static':
            if (base.from === 'environment')
                return 'keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (role-chaining)';
            return base.sessionToken === undefined
                ? 'static keys from aws-access-key-id / aws-secret-access-key'
                : 'temporary keys from aws-access-key-id / aws-secret-access-key / aws-session-token';
        case 'web-identity-file':
            return `a web identity token from the file ${base.path}`;
        case 'oidc':
            return `a GitHub OIDC token for audience ${base.audience}`;
        case 'default-chain':
            return 'the AWS default provider chain (environment, shared files, container or instance role)';
    }
}
/** Obtains the base credentials, masking each secret the moment it exists. */
async function resolveBase(base, deps) {
    const origin = describeBase(base);
    switch (base.kind) {
        case 'static': {
            const credentials = {
                accessKeyId: base.accessKeyId,
                secretAccessKey: base.secretAccessKey,
            };
            if (base.sessionToken !== undefined)
                credentials.sessionToken = base.sessionToken;
            // Inputs are masked as the step starts; keys of the environment are masked here.
            if (base.from === 'environment')
                for (const v of [base.accessKeyId, base.secretAccessKey, base.sessionToken])
                    if (v)
                        deps.mask(v);
            return { kind: 'credentials', credentials, origin };
        }
        case 'web-identity-file': {
            let token;
            try {
                token = (await (0,promises_.readFile)(base.path, 'utf8')).trim();
            }
            catch (err) {
                throw new Error(`web-identity-token-file: cannot read ${base.path}: ${err.code ?? 'error'}`, { cause: err });
            }
            if (token === '')
                throw new Error(`web-identity-token-file: ${base.path} is empty`);
            deps.mask(token);
            return webIdentity(token, origin);
        }
        case 'oidc': {
            let token;
            try {
                token = await deps.getIdToken(base.audience);
            }
            catch (err) {
                throw new Error(`requesting a GitHub OIDC token failed (does the job have "permissions: id-token: write"?): ${err.message}`, { cause: err });
            }
            deps.mask(token);
            return webIdentity(token, origin);
        }
        case 'default-chain': {
            const credentials = await (deps.defaultChain ?? defaultChain)();
            for (const v of [
                credentials.accessKeyId,
                credentials.secretAccessKey,
                credentials.sessionToken,
            ])
                if (v)
                    deps.mask(v);
            return { kind: 'credentials', credentials, origin };
        }
    }
}
/** The SDK's default provider chain, resolved once; its own error is wrapped with what to do. */
async function defaultChain() {
    try {
        return await loadDefaultChain();
    }
    catch (err) {
        throw new Error(`no base credentials: no keys were given, the job cannot request an OIDC token (permissions: id-token: write, with a role), and the default provider chain found none (${err.message.split('\n')[0] ?? ''})`, { cause: err });
    }
}
/** Resolves the AWS SDK's default provider chain, loaded only when called. */
async function loadDefaultChain() {
    const { fromNodeProviderChain } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(719)]).then(__webpack_require__.t.bind(__webpack_require__, 9719, 19));
    const c = await fromNodeProviderChain()();
    return credentialsOf(c.accessKeyId, c.secretAccessKey, c.sessionToken, c.expiration);
}

// EXTERNAL MODULE: ./build/shared/errors.js
var errors = __webpack_require__(2005);
// EXTERNAL MODULE: ./build/shared/files.js
var files = __webpack_require__(8659);
;// CONCATENATED MODULE: ./build/shared/validate.js
/**
 * Pure validation rules for every value that reaches STS or IAM. Each function takes the
 * input's name and raw text, and returns the parsed value or throws an {@link InputError}
 * that names the input, shows the value and states the rule. Limits come from the STS API
 * reference; the SDK checks none of them.
 */

/** AWS partitions and the region prefixes that belong to them. */
const PARTITIONS = (/* unused pure expression or super */ null && ([
    'aws',
    'aws-cn',
    'aws-us-gov',
    'aws-iso',
    'aws-iso-b',
    'aws-iso-e',
    'aws-iso-f',
    'aws-eusc',
]));
const REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?|eu-isoe|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/((?:[\u0021-\u007e]+\/)?)([\w+=,.@-]{1,64})$/;
const POLICY_ARN = /^arn:([a-z-]+):iam::(\d{12}|aws):policy\/[\u0021-\u007e]{1,1900}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const ACCOUNT_ID = /^\d{12}$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const SECRET_KEY = /^[A-Za-z0-9/+=]{16,128}$/;
/** The limits STS puts on durations. */
const DURATION = {
    min: 900,
    /** AssumeRole and AssumeRoleWithWebIdentity from long-term or web-identity credentials. */
    maxAssumeRole: 43200,
    /** AssumeRole signed with temporary credentials (role chaining or GetSessionToken). */
    maxChained: 3600,
    maxSessionToken: 129600,
};
/** The partition a region belongs to. */
function partitionOfRegion(region) {
    if (region.startsWith('cn-'))
        return 'aws-cn';
    if (region.startsWith('us-gov-'))
        return 'aws-us-gov';
    if (region.startsWith('us-isob-'))
        return 'aws-iso-b';
    if (region.startsWith('us-iso-'))
        return 'aws-iso';
    if (region.startsWith('eu-isoe-'))
        return 'aws-iso-e';
    if (region.startsWith('us-isof-'))
        return 'aws-iso-f';
    if (region.startsWith('eusc-'))
        return 'aws-eusc';
    return 'aws';
}
/** Rejects text that spans lines, where one line is expected. */
function singleLine(input, value) {
    if (/[\r\n]/.test(value))
        throw new InputError(input, `${show(value)} must be a single line`);
    return value;
}
/** An AWS region such as `eu-west-1`. */
function parseRegion(input, value) {
    singleLine(input, value);
    if (!REGION.test(value)) {
        throw new InputError(input, `${show(value)} is not an AWS region (expected a name such as eu-west-1)`);
    }
    return value;
}
/** An IAM role ARN, in the partition of `region`. */
function parseRoleArn(input, value, region) {
    singleLine(input, value);
    const m = ROLE_ARN.exec(value);
    if (!m || value.length > 2048) {
        throw new InputError(input, `${show(value)} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`);
    }
    const [, partition = '', accountId = '', , name = ''] = m;
    if (!PARTITIONS.includes(partition)) {
        throw new InputError(input, `${show(value)} has an unknown partition ${show(partition)}`);
    }
    const expected = partitionOfRegion(region);
    if (partition !== expected) {
        throw new InputError(input, `${show(value)} is in partition ${partition}, but region ${region} is in partition ${expected}`);
    }
    return { arn: value, partition, accountId, name };
}
/** A managed policy ARN for a session. */
function parsePolicyArn(input, value, region) {
    const m = POLICY_ARN.exec(value);
    if (!m)
        throw new InputError(input, `${show(value)} is not an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<name>)`);
    const expected = partitionOfRegion(region);
    if (m[1] !== expected) {
        throw new InputError(input, `${show(value)} is in partition ${m[1] ?? ''}, but region ${region} is in partition ${expected}`);
    }
    return value;
}
/** A whole number of seconds in [min, max]; `why` says where the maximum comes from. */
function parseDuration(input, value, max, why) {
    return checkDuration(input, parseSeconds(input, value), max, why);
}
/** A whole number of seconds, on one line (its bounds are {@link checkDuration}'s). */
function parseSeconds(input, value) {
    singleLine(input, value);
    if (!/^\d{1,9}$/.test(value))
        throw new InputError(input, `${show(value)} is not a whole number of seconds`);
    return Number(value);
}
/** A duration STS accepts: at least {@link DURATION.min}, at most `max` (for the reason `why`). */
function checkDuration(input, n, max, why) {
    if (n < DURATION.min)
        throw new InputError(input, `${n} is below ${DURATION.min}, the least STS allows`);
    if (n > max)
        throw new InputError(input, `${n} is above ${max}, ${why}`);
    return n;
}
/** A role session name: 2–64 characters of letters, digits and `+=,.@_-`. */
function parseSessionName(input, value) {
    if (!SESSION_NAME.test(value)) {
        throw new InputError(input, `${show(value)} must be 2 to 64 characters of letters, digits and +=,.@_-`);
    }
    return value;
}
/**
 * A source identity: like a session name. STS also reserves the prefix `aws:`, which needs no
 * rule of its own: a `:` is never allowed.
 */
function parseSourceIdentity(input, value) {
    if (!SESSION_NAME.test(value)) {
        throw new InputError(input, `${show(value)} must be 2 to 64 characters of letters, digits and +=,.@_-`);
    }
    return value;
}
/**
 * A profile name for the AWS config files, as configure-aws-credentials accepts one (no
 * whitespace, brackets or slashes), and nothing an INI reader would take for a comment.
 */
function parseProfileName(input, value) {
    // \s covers the line breaks; other control characters are refused with the printable test.
    if (!/^[^\s[\]/\\#;]{1,128}$/.test(value) || !/^[\x20-\x7e\u00a0-\uffff]+$/.test(value)) {
        throw new InputError(input, `${show(value)} must be 1 to 128 characters without whitespace, brackets, slashes, # or ;`);
    }
    return value;
}
/** An external ID: 2–1224 characters of letters, digits and `+=,.@:/_-`. */
function parseExternalId(input, value) {
    if (!EXTERNAL_ID.test(value)) {
        throw new InputError(input, `${show(value)} must be 2 to 1224 characters of letters, digits and +=,.@:/_-`);
    }
    return value;
}
/**
 * A YAML 1.2 core-schema boolean (`true`/`True`/`TRUE`, `false`/`False`/`FALSE`), or
 * undefined for any other text. The one spelling rule for every boolean the actions read.
 */
function booleanOf(value) {
    const v = value.trim();
    if (v === 'true' || v === 'True' || v === 'TRUE')
        return true;
    if (v === 'false' || v === 'False' || v === 'FALSE')
        return false;
    return undefined;
}
/**
 * A boolean input ({@link booleanOf}). An empty value takes the default. Anything else
 * (`yes`, `1`, `on`) is refused rather than guessed.
 */
function parseBoolean(input, value, fallback) {
    if (value.trim() === '')
        return fallback;
    const b = booleanOf(value);
    if (b === undefined)
        throw new InputError(input, `${show(value)} is not a boolean (use true or false)`);
    return b;
}
/** A whole number in [min, max]. */
function parseInteger(input, value, min, max) {
    if (!/^\d{1,9}$/.test(value.trim()))
        throw new InputError(input, `${show(value)} is not a whole number`);
    // Number() reads past surrounding white space itself.
    const n = Number(value);
    if (n < min || n > max)
        throw new InputError(input, `${n} is outside ${min} to ${max}`);
    return n;
}
/** A 12-digit AWS account ID. */
function parseAccountId(input, value) {
    if (!ACCOUNT_ID.test(value))
        throw new InputError(input, `${show(value)} is not a 12-digit AWS account ID`);
    return value;
}
/** An access key ID (the value is a credential: it is never shown). */
function parseAccessKeyId(input, value) {
    if (!ACCESS_KEY_ID.test(value)) {
        throw new InputError(input, `the value (${value.length} characters) is not an access key ID: 16 to 128 upper-case letters and digits`);
    }
    return value;
}
/** A secret access key (never shown). */
function parseSecretKey(input, value) {
    if (!SECRET_KEY.test(value)) {
        throw new InputError(input, `the value (${value.length} characters) is not a secret access key: 16 to 128 characters of letters, digits and /+=`);
    }
    return value;
}
/** A session token (never shown): one line of printable characters. */
function parseSessionToken(input, value) {
    if (!/^[\u0021-\u007e]{16,8192}$/.test(value)) {
        throw new InputError(input, `the value (${value.length} characters) is not a session token: one line of printable characters`);
    }
    return value;
}
/** A session tag key. */
function parseTagKey(input, key) {
    if (!TAG_KEY.test(key)) {
        throw new InputError(input, `tag key ${show(key)} must be 1 to 128 characters of letters, digits, spaces and _.:/=+-@`);
    }
    if (key.toLowerCase().startsWith('aws:'))
        throw new InputError(input, `tag key ${show(key)} must not start with "aws:"`);
    return key;
}
/** A session tag value. */
function parseTagValue(input, key, value) {
    if (!TAG_VALUE.test(value)) {
        throw new InputError(input, `tag ${show(key)} value ${show(value)} must be at most 256 characters of letters, digits, spaces and _.:/=+-@`);
    }
    return value;
}
/**
 * Makes a value from the GitHub context fit a tag value: disallowed characters become `_`,
 * and the result is cut to 256 characters. Used for tags we derive, never for user tags.
 */
function sanitizeTagValue(value) {
    return [...value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_')].slice(0, 256).join('');
}
/** An inline session policy: JSON, and at most 2048 characters once its white space is gone. */
function parseInlinePolicy(input, value) {
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch {
        throw new InputError(input, `${show(value, 40)} is not valid JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new InputError(input, `${show(value, 40)} must be a JSON policy document (an object)`);
    }
    const compact = JSON.stringify(parsed);
    if (compact.length > 2048) {
        throw new InputError(input, `the policy is ${compact.length} characters without white space, above 2048, the limit for session policies`);
    }
    return compact;
}
/** Splits a list given one item a line or separated by commas; blank items are dropped. */
function splitList(value) {
    return value
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
/** Splits a list given one item a line (items may contain commas). */
function splitLines(value) {
    return value
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s !== '' && !s.startsWith('#'));
}
/** An absolute http(s) URL. */
function validate_parseUrl(input, value) {
    singleLine(input, value);
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError(input, `${show(value)} is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new InputError(input, `${show(value)} must be an http:// or https:// URL`);
    }
    return url;
}

;// CONCATENATED MODULE: ./build/shared/network.js
/** Where STS calls go: the endpoint and the proxy, from inputs and the usual variables. */


/**
 * The STS endpoint: `sts-endpoint`, else `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`;
 * undefined leaves the SDK's regional default.
 */
function resolveEndpoint(input, env) {
    if (input !== '')
        return parseUrl('sts-endpoint', input).toString();
    for (const name of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL']) {
        const value = env[name];
        if (value !== undefined && value !== '')
            return parseUrl(name, value).toString();
    }
    return undefined;
}
/**
 * The proxy for requests to `endpoint`: `http-proxy` when given; otherwise HTTPS_PROXY or
 * HTTP_PROXY (by the endpoint's scheme, either case), unless NO_PROXY matches its host.
 * `noProxy` (the `no-proxy` input) is a bypass list for either proxy; NO_PROXY, set for the
 * whole job, only for the proxy of the environment, as before.
 */
function resolveProxy(input, endpoint, env, noProxy = '') {
    const url = new URL(endpoint);
    if (input !== '') {
        const proxy = checkProxy('http-proxy', input);
        return bypasses(noProxy, url) ? undefined : proxy;
    }
    const pick = (...names) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
    const proxy = url.protocol === 'https:'
        ? pick('HTTPS_PROXY', 'https_proxy')
        : pick('HTTP_PROXY', 'http_proxy');
    if (proxy === undefined)
        return undefined;
    if (bypasses(`${pick('NO_PROXY', 'no_proxy') ?? ''},${noProxy}`, url))
        return undefined;
    return checkProxy(url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY', proxy);
}
function checkProxy(name, value) {
    // A proxy address may carry a password: it is never shown, and a bare host:port is read
    // as http://host:port, as curl and most tools do.
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        throw new errors/* InputError */.dz(name, 'is not a proxy URL (http://host:port)');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new errors/* InputError */.dz(name, `has scheme ${url.protocol}: the proxy must be an http:// or https:// URL`);
    }
    if (url.pathname !== '/' && url.pathname !== '') {
        throw new errors/* InputError */.dz(name, 'must be a proxy address with no path');
    }
    // The proxy agents decode the user and password: a raw `%` would fail every call later
    // with a bare "URI malformed".
    if (decoded(url.username) === undefined || decoded(url.password) === undefined) {
        throw new errors/* InputError */.dz(name, 'has a user or password that is not percent-encoded: write `%` as `%25`');
    }
    return withScheme;
}
/** `decodeURIComponent`, or undefined where the text is not valid percent-encoding. */
function decoded(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return undefined;
    }
}
/** The variables a proxy may come from. */
const PROXY_VARIABLES = (/* unused pure expression or super */ null && (['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']));
/** The secret parts of a proxy URL (password, user), to be masked; none when there are none. */
function proxySecrets(proxy) {
    let url;
    try {
        url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
    }
    catch {
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
function bypasses(noProxy, url) {
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return noProxy
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== '')
        .some((entry) => {
        if (entry === '*')
            return true;
        const [name = '', entryPort] = entry.startsWith('[')
            ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]]
            : entry.split(':');
        if (entryPort !== undefined && entryPort !== port)
            return false;
        const domain = name.replace(/^\*?\./, '');
        return host === domain || host.endsWith(`.${domain}`);
    });
}

;// CONCATENATED MODULE: ./build/connect/resolve/hints.js


/** A call that failed after its inputs were accepted, with its explanation for the summary. */
class hints_CallFailure extends Error {
    explanation;
    name = 'CallFailure';
    constructor(explanation, options) {
        super(failureLine(explanation), options);
        this.explanation = explanation;
    }
}
/** The one-line message for a failed call. */
function describeFailure(err, ctx) {
    return failureLine(hints_explainFailure(err, ctx));
}
/** The parts of the message for a failed call. */
function hints_explainFailure(err, ctx) {
    const code = (0,errors/* errorCode */.CA)(err);
    const explanation = {
        label: ctx.label,
        code,
        message: (0,errors/* messageOf */.bD)(err),
        hint: hintFor(code, (0,errors/* messageOf */.bD)(err), ctx),
    };
    if (ctx.spec)
        explanation.role = ctx.spec.role.arn;
    if (ctx.spec?.externalId !== undefined && ctx.web !== true)
        explanation.externalId = ctx.spec.externalId;
    const token = tokenHint(code, ctx);
    if (token)
        explanation.token = token;
    return explanation;
}
function failureLine(e) {
    const what = e.role === undefined ? e.label : `${e.label} (${e.role})`;
    const hint = [e.hint, e.token ? tokenLine(e.token) : ''].filter((h) => h !== '');
    return `${what} failed: ${e.code}: ${e.message}${hint.length === 0 ? '' : ` — ${hint.join('; ')}`}`;
}
function tokenLine(token) {
    const statement = token.statement === undefined
        ? ''
        : `; a trust-policy statement that admits exactly this job: ${token.statement}`;
    return `the token sent has ${describeClaims(token.claims)}${token.formNote === '' ? '' : ` (${token.formNote})`}${statement}`;
}
/** Codes with which STS refuses a web identity for what the token says. */
const TOKEN_REFUSALS = [
    'AccessDenied',
    'AccessDeniedException',
    'InvalidIdentityToken',
    'IDPRejectedClaim',
];
/**
 * For a refused web identity: what the token said and the statement that would admit exactly
 * this job, so that the trust policy can be compared with it (or take it).
 */
function tokenHint(code, ctx) {
    if (ctx.web !== true || ctx.base.kind !== 'web-identity' || !TOKEN_REFUSALS.includes(code))
        return undefined;
    const claims = ctx.base.claims;
    if (claims === undefined)
        return undefined;
    const formNote = subForm(claims.sub) === 'immutable'
        ? 'github.com gives repositories created from 15 July 2026, and older ones that opt in, `sub` values with the owner and repository IDs: a trust policy written for repo:OWNER/REPO:… refuses them'
        : '';
    return ctx.spec
        ? {
            claims,
            formNote,
            statement: admittingStatement(claims, ctx.spec.role.accountId, ctx.spec.role.partition),
        }
        : { claims, formNote };
}
/** The principal STS names in an AccessDenied message (`User: arn:… is not authorized`). */
function principalIn(message) {
    return /\b(?:User|Principal): (arn:[^\s]+) is not authorized/.exec(message)?.[1];
}
function hintFor(code, message, ctx) {
    const spec = ctx.spec;
    switch (code) {
        case 'AccessDenied':
        case 'AccessDeniedException': {
            if (!spec)
                return 'the base credentials may not call STS';
            const principal = ctx.signerArn
                ? ctx.signerArn
                : ctx.web
                    ? `the OIDC provider ${webProvider(ctx)}`
                    : (principalIn(message) ?? "the base credentials' IAM user or role");
            const actions = [ctx.web ? 'sts:AssumeRoleWithWebIdentity' : 'sts:AssumeRole'];
            if (spec.tags.length > 0)
                actions.push('sts:TagSession');
            if (spec.sourceIdentity !== undefined)
                actions.push('sts:SetSourceIdentity');
            const condition = spec.externalId === undefined
                ? ''
                : ` with the condition StringEquals sts:ExternalId = "${spec.externalId}"`;
            return `the trust policy of ${spec.role.arn} must allow ${actions.join(' and ')} for ${principal}${condition}`;
        }
        case 'InvalidClientTokenId':
        case 'SignatureDoesNotMatch':
        case 'UnrecognizedClientException':
            return spec?.source === undefined && ctx.base.kind === 'credentials'
                ? `the base credentials (${ctx.base.origin}) were refused: check the access key ID and its secret, and that the key is active`
                : 'the credentials that signed the call were refused';
        case 'ExpiredToken':
        case 'ExpiredTokenException':
            return 'the credentials that signed the call have expired';
        case 'InvalidIdentityToken':
        case 'IDPRejectedClaim':
            return `the role must trust the OIDC provider ${webProvider(ctx)} for this audience and subject (check the "aud" and "sub" conditions)`;
        case 'RegionDisabledException':
            return 'STS is not activated in this region for the account (IAM > Account settings)';
        case 'PackedPolicyTooLarge':
            return 'the session policies and tags together are too large: shorten them';
        case 'MalformedPolicyDocument':
            return 'the session policy is not a valid IAM policy';
        default:
            return '';
    }
}
/** The issuer of the token sent (another host on GHES and ghe.com), GitHub's by default. */
function webProvider(ctx) {
    const iss = ctx.base.kind === 'web-identity' ? ctx.base.claims?.iss : undefined;
    return iss === undefined ? 'token.actions.githubusercontent.com' : issuerHost(iss);
}

;// CONCATENATED MODULE: ./build/shared/retry.js
/** Bounded retries with full jitter, for the failures that a second try can cure. */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** The defaults: 4 tries, 250 ms doubling to 2 s, no new try after 20 s. */
function defaultRetryPolicy(maxAttempts = 4) {
    return {
        maxAttempts,
        baseDelayMs: 250,
        maxDelayMs: 2000,
        totalMs: 20_000,
        sleep,
        random: Math.random,
        now: Date.now,
    };
}
/**
 * Runs `fn` until it succeeds, fails with an error that will not go away on retry, or the
 * policy's bound is reached; then rethrows the last error. `onRetry` hears each retry;
 * `retryable` decides which errors a retry can cure (AWS's rules by default).
 */
async function retry_withRetry(fn, policy, onRetry, retryable = errors/* isRetryable */.r3) {
    const start = policy.now();
    for (let attempt = 1;; attempt++) {
        try {
            return await fn();
        }
        catch (err) {
            if (!retryable(err) || attempt >= policy.maxAttempts)
                throw err;
            const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
            const delay = Math.round(ceiling * policy.random());
            if (policy.now() - start + delay > policy.totalMs)
                throw err;
            onRetry?.(attempt, err, delay);
            await policy.sleep(delay);
        }
    }
}

;// CONCATENATED MODULE: ./build/connect/resolve/resolve.js




/** A failure already reported by the connection it belongs to. */
class SourceFailed extends Error {
}
/** Resolves every connection of the plan on top of `base`, or the base alone with none. */
async function resolvePlan(plan, base, deps) {
    if (plan.connections.length === 0)
        return { connections: [], primary: await resolveBaseAlone(plan, base, deps) };
    return resolveConnections(plan, base, deps);
}
/** Resolves every connection of the graph on top of `base`; the primary one is `primary`. */
async function resolveConnections(plan, base, deps) {
    checkTemporaryBase(plan, base);
    const byName = new Map(plan.connections.map((c) => [c.name, c]));
    const pending = new Map();
    const label = (spec) => connectionLabel(plan, spec);
    const resolve = (spec) => {
        const known = pending.get(spec.name);
        if (known)
            return known;
        const promise = (async () => {
            const parent = spec.source === undefined ? undefined : byName.get(spec.source);
            let signer;
            let signerArn = '';
            if (parent) {
                const source = await resolve(parent).catch(() => {
                    throw new SourceFailed(spec.source);
                });
                signer = source.credentials;
                // A trust policy names the role, not one of its sessions.
                signerArn = parent.role.arn;
            }
            const request = toRequest(spec);
            const call = () => {
                if (signer)
                    return deps.sts.assumeRole(signer, request);
                if (base.kind === 'web-identity')
                    return deps.sts.assumeRoleWithWebIdentity(base.token, request);
                return deps.sts.assumeRole(base.credentials, request);
            };
            const attempt = () => retry_withRetry(call, deps.retry, (attempt, err, delay) => deps.info(`${label(spec)}: ${describeRetry(err)}; retrying in ${delay} ms (attempt ${attempt + 1} of ${deps.retry.maxAttempts})`));
            let session;
            try {
                session = await attempt();
                if (plan.specialCharactersWorkaround === true && spec.name === plan.primary)
                    session = await untilPlainKeys(session, attempt, label(spec), deps.info);
            }
            catch (err) {
                throw new hints_CallFailure(hints_explainFailure(err, {
                    label: label(spec),
                    spec,
                    base,
                    signerArn,
                    web: !signer && base.kind === 'web-identity',
                }), { cause: err });
            }
            deps.info(`${label(spec)}: assumed ${spec.role.arn} as ${session.arn}${spec.externalId === undefined ? '' : ` with external ID ${spec.externalId}`}`);
            return session;
        })();
        pending.set(spec.name, promise);
        return promise;
    };
    const settled = await Promise.allSettled(plan.connections.map(resolve));
    const failure = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof SourceFailed));
    if (failure)
        throw failure.reason;
    const connections = plan.connections.map((spec, i) => ({
        spec,
        session: settled[i].value,
    }));
    const primary = connections.find((c) => c.spec.name === plan.primary)?.session;
    return primary === undefined ? { connections } : { connections, primary };
}
/**
 * How many sessions `special-characters-workaround` asks for at most. About 28% of secret
 * keys (40 characters of 64 symbols) hold neither `+` nor `/`: 30 tries all miss about once
 * in 20,000 steps.
 */
const PLAIN_KEY_TRIES = 30;
/** Keys of letters and digits only: what `special-characters-workaround` asks for. */
function hasPlainKeys(c) {
    return /^[A-Za-z0-9]+$/.test(c.accessKeyId) && /^[A-Za-z0-9]+$/.test(c.secretAccessKey);
}
/**
 * `special-characters-workaround`: assumes the role again until its keys are letters and
 * digits only, at most {@link PLAIN_KEY_TRIES} sessions in all, and says how many it took.
 */
async function untilPlainKeys(first, again, label, info) {
    let session = first;
    let tries = 1;
    while (!hasPlainKeys(session.credentials)) {
        if (tries >= PLAIN_KEY_TRIES) {
            throw new Error(`special-characters-workaround: ${tries} sessions all had a key with characters other than letters and digits`);
        }
        session = await again();
        tries += 1;
    }
    if (tries > 1)
        info(`special-characters-workaround: ${label} assumed ${tries} times for keys of letters and digits only`);
    return session;
}
/** How a connection is named in messages: `role 2 of 3` or `connection "artifacts"`. */
function connectionLabel(plan, spec) {
    if (spec.kind.type === 'connection')
        return `connection "${spec.name}"`;
    return `role ${spec.kind.position} of ${plan.connections.length}`;
}
function toRequest(spec) {
    const r = {
        roleArn: spec.role.arn,
        sessionName: spec.sessionName,
        durationSeconds: spec.durationSeconds,
    };
    if (spec.externalId !== undefined)
        r.externalId = spec.externalId;
    if (spec.tags.length > 0)
        r.tags = spec.tags;
    if (spec.transitiveTagKeys.length > 0)
        r.transitiveTagKeys = spec.transitiveTagKeys;
    if (spec.sourceIdentity !== undefined)
        r.sourceIdentity = spec.sourceIdentity;
    if (spec.policy !== undefined)
        r.policy = spec.policy;
    if (spec.policyArns.length > 0)
        r.policyArns = spec.policyArns;
    return r;
}
/**
 * Base credentials from the default chain may turn out temporary: then connections on them
 * are capped like chained roles. Checked before any STS call.
 */
function checkTemporaryBase(plan, base) {
    if (plan.base.kind !== 'default-chain' ||
        base.kind !== 'credentials' ||
        base.credentials.sessionToken === undefined)
        return;
    for (const spec of plan.connections) {
        if (spec.source === undefined && spec.durationSeconds > DURATION.maxChained) {
            const input = spec.kind.type === 'connection'
                ? `connections (connection "${spec.name}", duration)`
                : 'role-duration-seconds';
            throw new errors/* InputError */.dz(input, `${spec.durationSeconds} is above ${DURATION.maxChained}, the limit for a role assumed with temporary credentials (the default provider chain gave a session)`);
        }
    }
}
/** No role: exchange long-term keys for a session, or check temporary ones. One STS call. */
async function resolveBaseAlone(plan, base, deps) {
    if (base.kind !== 'credentials')
        throw new Error('a web identity needs a role to assume');
    const retried = (fn) => withRetry(fn, deps.retry, (attempt, err, delay) => deps.info(`base credentials: ${describeRetry(err)}; retrying in ${delay} ms (attempt ${attempt + 1})`));
    const long = base.credentials.sessionToken === undefined;
    const label = 'base credentials';
    try {
        if (long && plan.sessionCredentials) {
            const credentials = await retried(() => deps.sts.getSessionToken(base.credentials, plan.sessionDurationSeconds));
            deps.info(`${label}: exchanged for session credentials (GetSessionToken, ${plan.sessionDurationSeconds} s)`);
            if (plan.allowedAccountIds.length === 0)
                return { credentials, arn: '', accountId: '' };
            const id = await retried(() => deps.sts.getCallerIdentity(credentials));
            return { credentials, ...id };
        }
        if (long && plan.allowedAccountIds.length === 0)
            return { credentials: base.credentials, arn: '', accountId: '' };
        const id = await retried(() => deps.sts.getCallerIdentity(base.credentials));
        deps.info(`${label}: authenticated as ${id.arn}`);
        return { credentials: base.credentials, ...id };
    }
    catch (err) {
        throw new CallFailure(explainFailure(err, { label, base }), { cause: err });
    }
}
function describeRetry(err) {
    const e = err;
    return `${e.name ?? 'Error'} (${(e.message ?? '').split('\n')[0]?.slice(0, 120) ?? ''})`;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./build/aws/preconnect.js
/**
 * An https.Agent that can open its first connections before anyone asks for them. On a real
 * network a new TCP + TLS connection costs two round trips before the request's own; started
 * while the SDK is still loading, that setup is hidden behind the loading. The first requests
 * to the same host and port take these connections; anything else, or a connection that has
 * failed or closed meanwhile, gets a new one as usual: the early connection is an
 * optimisation that can only be used or ignored, never a new way to fail.
 */



/** An unclaimed early connection is closed after this long (the step has moved on without it). */
const UNCLAIMED_MS = 30_000;
/**
 * At most this many turns of the event loop are spent, before a load, for the early
 * connections' TCP connects to land (the first connect of a process takes two on loopback).
 * Each turn costs microseconds; on a real network the connects land later, during the load.
 */
const CONNECT_TURNS = 3;
/**
 * How long, at most, a load waits for the early connections' DNS answers. A runner's local
 * resolver answers a cached name within a millisecond; with the answer in, the TCP connect
 * runs during the load instead of after it, which saves a round trip for a millisecond.
 */
const LOOKUP_MS = 5;
/**
 * Resolves after one turn of the event loop, in which the I/O that is ready is handled: a DNS
 * answer, a completed TCP connect (then the ClientHello goes out), the server's TLS answer.
 */
function turn() {
    return new Promise((done) => setImmediate(done));
}
/** A keep-alive https.Agent whose first connections can be opened ahead of the requests. */
class PreconnectingAgent extends external_node_https_.Agent {
    early = [];
    /**
     * Starts `count` TCP + TLS connections to the origin of `url` now. Errors are swallowed: a
     * connection that cannot be made is simply not used.
     */
    preconnect(url, count = 1) {
        let target;
        try {
            const parsed = new URL(url);
            if (parsed.protocol !== 'https:')
                return;
            // URL keeps the brackets of an IPv6 literal; tls.connect wants the address alone.
            const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
            target = { host, port: Number(parsed.port || 443) };
        }
        catch {
            return;
        }
        for (let i = 0; i < count; i++) {
            const socket = (0,external_node_tls_.connect)({
                ...this.options,
                ...target,
                // As the agent does: an IP address is no server name (RFC 6066).
                ...((0,external_node_net_.isIP)(target.host) ? {} : { servername: target.host }),
            });
            // Never the reason the process stays up, until a request takes it.
            socket.unref();
            // Errors go to whoever holds the socket; before that, nobody needs to hear of them.
            socket.on('error', () => undefined);
            const onIdle = () => {
                socket.destroy();
            };
            socket.setTimeout(UNCLAIMED_MS, onIdle);
            const early = { key: keyOf(target.host, target.port), socket, onIdle, secured: false };
            socket.once('secureConnect', () => (early.secured = true));
            if (!(0,external_node_net_.isIP)(target.host))
                early.resolved = new Promise((done) => {
                    socket.once('lookup', () => done());
                    socket.once('close', () => done());
                });
            this.early.push(early);
        }
    }
    /**
     * Runs `load` (an import of the SDK) so that the early connections progress meanwhile. Node 24
     * loads a dynamic import synchronously, and a chain of settled promises never yields to the
     * event loop: without turns around the load, an early connection would not move past its TCP
     * connect until the first request waits on it, and its TLS round trip would be paid in full
     * after the loading. So: the DNS answers first (for a few milliseconds at most), so that the
     * TCP connects are under way; a few turns, until the connects in flight have landed and their
     * ClientHellos are out; then the load, during which the server answers; then one turn, in
     * which that answer is handled and the handshake completes (a DNS answer or a connect that
     * landed during the load moves on then too).
     */
    async whileConnecting(load) {
        await this.lookups();
        for (let i = 0; i < CONNECT_TURNS && this.early.some((e) => e.socket.connecting); i++)
            await turn();
        const loaded = await load();
        if (this.early.length > 0)
            await turn();
        return loaded;
    }
    /** Waits for the early connections' DNS answers, for {@link LOOKUP_MS} at most. */
    async lookups() {
        const pending = this.early.flatMap((e) => (e.resolved === undefined ? [] : [e.resolved]));
        if (pending.length === 0)
            return;
        let timer;
        const late = new Promise((done) => (timer = setTimeout(done, LOOKUP_MS)));
        await Promise.race([Promise.all(pending), late]);
        clearTimeout(timer);
    }
    /** How many early connections are still waiting for a request. */
    get waiting() {
        return this.early.filter((e) => usable(e.socket)).length;
    }
    /** How many of those have completed their TLS handshake. */
    get ready() {
        return this.early.filter((e) => e.secured && usable(e.socket)).length;
    }
    createConnection(options, callback) {
        this.early = this.early.filter((e) => usable(e.socket));
        const host = options.host ?? options.hostname ?? '';
        const i = this.early.findIndex((e) => e.key === keyOf(host, Number(options.port ?? 443)));
        const found = i < 0 ? undefined : this.early.splice(i, 1)[0];
        if (found === undefined)
            return super.createConnection(options, callback);
        found.socket.setTimeout(0);
        found.socket.removeListener('timeout', found.onIdle);
        found.socket.ref();
        return found.socket;
    }
}
function keyOf(host, port) {
    return `${host.replace(/^\[(.*)\]$/, '$1').toLowerCase()}:${port}`;
}
function usable(socket) {
    return !socket.destroyed && !socket.readableEnded && !socket.writableEnded;
}

;// CONCATENATED MODULE: ./build/aws/client.js
/**
 * How both actions reach AWS: the request timeouts (one table), the connection pool every
 * client of a step shares, and the options of each SDK client. Credentials stay per client:
 * sharing a pool shares sockets, never signing keys.
 */


/**
 * Request timeouts of every service the actions call. A request that has not connected within
 * `connectMs`, or whose socket stays idle `requestMs` (a hung server), is abandoned and retried
 * where that is safe. IAM gets longer: it is one global endpoint, and its writes are slower.
 */
const TIMEOUTS = {
    sts: { connectMs: 3000, requestMs: 5000 },
    iam: { connectMs: 3000, requestMs: 10_000 },
    github: { requestMs: 15_000 },
};
/**
 * Stands in for the regional STS endpoint (a local TLS terminator in `npm run bench -- --network`).
 * Read only when no endpoint is configured; a configured endpoint is never pre-connected.
 */
const STS_STAND_IN_VARIABLE = 'AWS_CONNECTION_STS_STAND_IN';
/** The regional STS endpoint the SDK calls for `region` (China has its own domain). */
function regionalStsEndpoint(region, env = process.env) {
    return (stsStandIn(env) ?? `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`);
}
/** The stand-in for the regional endpoint, when one is set (see {@link STS_STAND_IN_VARIABLE}). */
function stsStandIn(env = process.env) {
    return env[STS_STAND_IN_VARIABLE] || undefined;
}
/**
 * A keep-alive pool: direct agents, or agents that tunnel through `proxy` (loaded only then).
 * Only the direct https agent can open connections ahead.
 */
async function connectionPool(proxy) {
    if (proxy !== undefined)
        return {
            ...(await proxyAgents(proxy)),
            preconnect: () => undefined,
            whileConnecting: (load) => load(),
        };
    // As the SDK's own default agents, but one pair for every client of the step.
    const httpsAgent = new PreconnectingAgent({ keepAlive: true, maxSockets: 50 });
    return {
        httpAgent: new external_node_http_.Agent({ keepAlive: true, maxSockets: 50 }),
        httpsAgent,
        preconnect: (url, count) => httpsAgent.preconnect(url, count),
        whileConnecting: (load) => httpsAgent.whileConnecting(load),
    };
}
/**
 * The options of every SDK client we build, for the credentials given (none: the SDK's own
 * chain). Every client made from one call shares `pool` (a new one when not given).
 */
async function sdkClientOptions(config, pool) {
    const { httpAgent, httpsAgent } = pool ?? (await connectionPool(config.proxy));
    return (credentials) => ({
        region: config.region,
        ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
        // Retries are ours (bounded, and never for AccessDenied): the SDK makes one try.
        maxAttempts: 1,
        requestHandler: {
            connectionTimeout: config.connectTimeoutMs,
            requestTimeout: config.requestTimeoutMs,
            // Without it the handler only logs a warning and waits on: a hung STS would hang the job.
            throwOnRequestTimeout: true,
            httpAgent,
            httpsAgent,
        },
        ...(credentials === undefined ? {} : { credentials: { ...credentials } }),
    });
}
/** Keep-alive http and https agents that tunnel through `proxy`. */
async function proxyAgents(proxy) {
    const [{ HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(411), __webpack_require__.e(566)]).then(__webpack_require__.bind(__webpack_require__, 1566)),
        Promise.all(/* import() */[__webpack_require__.e(411), __webpack_require__.e(947)]).then(__webpack_require__.bind(__webpack_require__, 8947)),
    ]);
    return {
        httpAgent: new HttpProxyAgent(proxy, { keepAlive: true }),
        httpsAgent: new HttpsProxyAgent(proxy, { keepAlive: true }),
    };
}

;// CONCATENATED MODULE: ./build/aws/sts.js


/**
 * The request timeouts of every STS client the main step and the refresh program build: a
 * hung STS answer is abandoned after this long and retried.
 */
const STS_TIMEOUTS = {
    connectTimeoutMs: TIMEOUTS.sts.connectMs,
    requestTimeoutMs: TIMEOUTS.sts.requestMs,
};
/** The account ID out of an ARN (`arn:aws:sts::123456789012:assumed-role/…`). */
function accountOf(arn) {
    return arn.split(':')[4] ?? '';
}
/** Builds the SDK adapter. */
async function createSts(config) {
    const pool = await connectionPool(config.proxy);
    // Only the regional endpoint, reached directly (a proxy's pool opens nothing ahead): a
    // configured one may be anything.
    if (config.endpoint === undefined)
        pool.preconnect(regionalStsEndpoint(config.region, config.env), config.parallel ?? 1);
    const standIn = config.endpoint === undefined ? stsStandIn(config.env) : undefined;
    const options = await sdkClientOptions(standIn === undefined ? config : { ...config, endpoint: standIn }, pool);
    // Loaded after the connections have started: their setup overlaps the loading.
    const { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient, } = await pool.whileConnecting(() => Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(695)]).then(__webpack_require__.t.bind(__webpack_require__, 1695, 19)));
    const client = (credentials) => new STSClient(options(credentials));
    const take = (c, what) => {
        if (!c?.AccessKeyId || !c.SecretAccessKey)
            throw new Error(`STS answered ${what} without credentials`);
        for (const value of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken])
            if (value)
                config.mask(value);
        return credentialsOf(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration);
    };
    const params = (r) => ({
        RoleArn: r.roleArn,
        RoleSessionName: r.sessionName,
        DurationSeconds: r.durationSeconds,
        ...(r.policy === undefined ? {} : { Policy: r.policy }),
        ...(r.policyArns?.length ? { PolicyArns: r.policyArns.map((arn) => ({ arn })) } : {}),
    });
    return {
        async assumeRole(signer, r) {
            const out = await client(signer).send(new AssumeRoleCommand({
                ...params(r),
                ...(r.externalId === undefined ? {} : { ExternalId: r.externalId }),
                ...(r.sourceIdentity === undefined ? {} : { SourceIdentity: r.sourceIdentity }),
                ...(r.tags?.length ? { Tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
                ...(r.transitiveTagKeys?.length ? { TransitiveTagKeys: r.transitiveTagKeys } : {}),
            }));
            const credentials = take(out.Credentials, 'AssumeRole');
            const arn = out.AssumedRoleUser?.Arn ?? '';
            return { credentials, arn, accountId: accountOf(arn) };
        },
        async assumeRoleWithWebIdentity(token, r) {
            const out = await client().send(new AssumeRoleWithWebIdentityCommand({ ...params(r), WebIdentityToken: token }));
            const credentials = take(out.Credentials, 'AssumeRoleWithWebIdentity');
            const arn = out.AssumedRoleUser?.Arn ?? '';
            return { credentials, arn, accountId: accountOf(arn) };
        },
        async getSessionToken(signer, durationSeconds) {
            const out = await client(signer).send(new GetSessionTokenCommand({ DurationSeconds: durationSeconds }));
            return take(out.Credentials, 'GetSessionToken');
        },
        async getCallerIdentity(signer) {
            const out = await client(signer).send(new GetCallerIdentityCommand({}));
            const arn = out.Arn ?? '';
            return { arn, accountId: out.Account ?? accountOf(arn) };
        },
    };
}

// EXTERNAL MODULE: ./build/connect/refresh/config.js + 1 modules
var refresh_config = __webpack_require__(6586);
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
    const retry = deps.retry ?? defaultRetryPolicy(config.retryMaxAttempts);
    const spec = baseSpec(config.base, (0,external_node_path_.dirname)(configPath), configPath, deps);
    const endpoint = config.stsEndpoint ?? regionalStsEndpoint(config.region, deps.env);
    const proxy = config.proxy ?? resolveProxy('', endpoint, deps.env);
    const sts = await (deps.createSts ?? createSts)({
        region: config.region,
        ...(config.stsEndpoint === undefined ? {} : { endpoint: config.stsEndpoint }),
        ...(proxy === undefined ? {} : { proxy }),
        ...STS_TIMEOUTS,
        env: deps.env,
        // The program prints nothing but its answer: there is no log to mask.
        mask: () => undefined,
    });
    const base = await resolveBase(spec, {
        mask: () => undefined,
        getIdToken: (audience) => retry_withRetry(() => requestIdToken(deps.env, audience, deps.fetch ?? fetch), retry),
        defaultChain: deps.defaultChain ?? resolve_profile_defaultChain,
    });
    const graph = profileGraph(config, connection, spec);
    const started = deps.now();
    let resolution;
    try {
        resolution = await resolveConnections(graph, base, { sts, retry, info: () => undefined });
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
async function resolve_profile_defaultChain() {
    try {
        return await loadDefaultChain();
    }
    catch (err) {
        throw new Error(`the default provider chain gave no credentials: ${(0,errors/* messageOf */.bD)(err)}`, {
            cause: err,
        });
    }
}


/***/ })

};
