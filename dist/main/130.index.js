export const id = 130;
export const ids = [130];
export const modules = {

/***/ 4130:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseConnections: () => (/* binding */ parseConnections)
/* harmony export */ });
/* unused harmony export order */
/* harmony import */ var ajv__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2463);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2005);
/* harmony import */ var _model_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8988);
/* harmony import */ var _plan_spec_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7006);
/* harmony import */ var _plan_tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5728);
/* harmony import */ var _shared_validate_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3652);
/**
 * Named connections: a YAML map of connection name to role, each assumed from the base
 * credentials or from another connection. Parsed with `yaml`, checked with a JSON schema
 * (ajv), then checked as a graph: unknown source, cycle, the chaining cap. Loaded only
 * when a workflow uses connections, so the single-role path does not pay for it.
 */








const SCHEMA = {
    type: 'object',
    minProperties: 1,
    maxProperties: 50,
    propertyNames: { pattern: _model_js__WEBPACK_IMPORTED_MODULE_5__/* .CONNECTION_NAME */ .d8.source },
    additionalProperties: {
        type: 'object',
        required: ['role-arn'],
        additionalProperties: false,
        properties: {
            source: { type: 'string' },
            'role-arn': { type: 'string' },
            'external-id': { type: 'string' },
            'session-name': { type: 'string' },
            duration: { type: 'integer' },
            region: { type: 'string' },
            tags: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
            'transitive-tag-keys': { type: 'array', items: { type: 'string' } },
            'source-identity': { type: 'string' },
            policy: { type: ['string', 'object'] },
            'policy-arns': { type: 'array', items: { type: 'string' } },
            export: { type: 'boolean' },
        },
    },
};
const validate = new ajv__WEBPACK_IMPORTED_MODULE_6__.Ajv({ allErrors: false, allowUnionTypes: true }).compile(SCHEMA);
/** Parses, checks and orders the connections (each after its source). */
function parseConnections(source, ctx) {
    const { input } = source;
    // The failsafe schema reads every scalar as its text: under the core schema a name `0042`
    // would become 42 (another profile, another external ID) and a tag `007` would be 7.
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__.parseDocument)(source.text, {
        uniqueKeys: true,
        prettyErrors: false,
        schema: 'failsafe',
    });
    const yamlError = doc.errors[0];
    if (yamlError) {
        const duplicate = /unique/i.test(yamlError.message);
        // With prettyErrors off the parser sets no linePos: count the lines up to the error.
        const where = ` (line ${source.text.slice(0, yamlError.pos[0]).split('\n').length})`;
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, duplicate
            ? `a connection name is used twice${where}`
            : `is not valid YAML${where}: ${yamlError.message.split('\n')[0] ?? ''}`);
    }
    const raw = withNumbers(doc.toJS());
    if (!validate(raw))
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, schemaMessage(validate.errors?.[0]));
    const specs = Object.entries(raw).map(([name, c]) => toSpec(input, name, c, ctx));
    const ordered = order(input, specs);
    let primary;
    if (ctx.primary !== '') {
        if (!specs.some((s) => s.name === ctx.primary)) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('connection', `${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(ctx.primary)} is not one of the connections (${specs.map((s) => s.name).join(', ')})`);
        }
        primary = ctx.primary;
    }
    else if (specs.length === 1) {
        primary = specs[0]?.name;
    }
    return primary === undefined ? { connections: ordered } : { connections: ordered, primary };
}
/**
 * The one number a connection holds, `duration`, read from its text: decimal digits only
 * (`0x384` or `9e2` stay text, which the schema then refuses as not an integer); and the one
 * boolean, `export` (`true` / `false`, as boolean inputs are read; `yes` stays text).
 */
function withNumbers(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return value;
    return Object.fromEntries(Object.entries(value).map(([name, c]) => {
        if (typeof c !== 'object' || c === null)
            return [name, c];
        const typed = { ...c };
        const { duration, export: exported } = typed;
        if (typeof duration === 'string' && /^\d{1,9}$/.test(duration))
            typed['duration'] = Number(duration);
        if (typeof exported === 'string')
            typed['export'] = (0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .booleanOf */ .SF)(exported) ?? exported;
        return [name, typed];
    }));
}
/** One line out of ajv's first error: which connection, which key, what rule. */
function schemaMessage(error) {
    if (!error)
        return 'is not a map of connection names to connections';
    const path = error.instancePath.split('/').filter(Boolean);
    const [name, key] = path;
    const where = name === undefined
        ? ''
        : key === undefined
            ? `connection ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(name)}: `
            : `connection ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(name)}, ${key}: `;
    switch (error.keyword) {
        case 'required':
            return `${where}needs ${String(error.params['missingProperty'])}`;
        case 'additionalProperties':
            return `${where}unknown key ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(String(error.params['additionalProperty']))}`;
        case 'propertyNames':
            return `connection name ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(String(error.params['propertyName']))} must be 1 to 64 letters, digits and _.- starting with a letter or digit`;
        case 'pattern':
            // ajv reports the name's pattern first (with the name in propertyName), then propertyNames.
            return `connection name ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(error.propertyName ?? '')} must be 1 to 64 letters, digits and _.- starting with a letter or digit`;
        case 'minProperties':
            return 'has no connections';
        case 'maxProperties':
            return 'has more than 50 connections';
        case 'type':
            return name === undefined
                ? 'must be a map of connection names to connections'
                : `${where}must be ${String(error.params['type'])}`;
        default:
            return `${where}${error.message ?? 'is not valid'}`;
    }
}
/** One connection's YAML, checked and built by the one spec builder. */
function toSpec(input, name, c, ctx) {
    const at = (key) => `${input} (connection ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(name)}, ${key})`;
    const region = c.region === undefined ? ctx.region : (0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .parseRegion */ .cf)(at('region'), c.region);
    // STS calls go to the step's region: a connection's region must be in the same partition.
    if ((0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .partitionOfRegion */ .cn)(region) !== (0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .partitionOfRegion */ .cn)(ctx.region)) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(at('region'), `${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(region)} is in partition ${(0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .partitionOfRegion */ .cn)(region)}, but aws-region ${ctx.region} is in partition ${(0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .partitionOfRegion */ .cn)(ctx.region)}: connections of one step share a partition`);
    }
    if (c.source === undefined && ctx.webBase) {
        for (const key of ['external-id', 'tags', 'transitive-tag-keys', 'source-identity']) {
            if (c[key] !== undefined)
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, `connection ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(name)}: ${key} cannot be set on a connection assumed with a web identity (the token carries it)`);
        }
    }
    const hop = {
        kind: { type: 'connection' },
        name,
        role: (0,_shared_validate_js__WEBPACK_IMPORTED_MODULE_4__/* .parseRoleArn */ .DM)(at('role-arn'), c['role-arn'], region),
        region,
        sessionName: c['session-name'] ?? ctx.sessionName,
        tags: c.tags === undefined ? [] : (0,_plan_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .tagsFromObject */ .h)(at('tags'), '', c.tags),
        transitiveTagKeys: c['transitive-tag-keys'] ?? [],
        policyArns: c['policy-arns'] ?? [],
    };
    if (c.source !== undefined)
        hop.source = c.source;
    if (c.duration !== undefined)
        hop.duration = c.duration;
    if (c['external-id'] !== undefined)
        hop.externalId = c['external-id'];
    if (c['source-identity'] !== undefined)
        hop.sourceIdentity = c['source-identity'];
    if (c.export !== undefined)
        hop.export = c.export;
    if (c.policy !== undefined)
        hop.policy = typeof c.policy === 'string' ? c.policy : JSON.stringify(c.policy);
    return (0,_plan_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .buildSpec */ .m)(hop, {
        webBase: ctx.webBase,
        temporaryBase: ctx.temporaryBase,
        temporaryReason: '',
        refresh: ctx.refresh,
        chainLength: 0,
        ids: ctx.ids,
        inputOf: at,
    });
}
/** Orders connections so each comes after its source; refuses unknown sources and cycles. */
function order(input, specs) {
    const byName = new Map(specs.map((s) => [s.name, s]));
    for (const s of specs) {
        if (s.source !== undefined && !byName.has(s.source)) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, `connection ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(s.name)}: source ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(s.source)} is not a connection (omit source to use the base credentials)`);
        }
    }
    const done = new Set();
    const result = [];
    const visit = (spec, path) => {
        if (done.has(spec.name))
            return;
        if (path.includes(spec.name)) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, `connections form a cycle: ${[...path.slice(path.indexOf(spec.name)), spec.name].join(' -> ')}`);
        }
        const parent = spec.source === undefined ? undefined : byName.get(spec.source);
        if (parent)
            visit(parent, [...path, spec.name]);
        done.add(spec.name);
        result.push(spec);
    };
    for (const s of specs)
        visit(s, []);
    return result;
}


/***/ })

};
