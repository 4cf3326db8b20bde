export const id = 196;
export const ids = [196];
export const modules = {

/***/ 5196:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSecrets: () => (/* binding */ createSecrets),
/* harmony export */   seal: () => (/* binding */ seal)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8587);
/* harmony import */ var libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8866);
/**
 * The secrets port's Octokit adapter, and the libsodium sealer. Octokit comes from
 * `@actions/github` (it honours the runner's proxy settings); every request is abandoned
 * after a timeout, so a hung API fails the step instead of holding it until the job times out.
 */


/** Builds the adapter. */
function createSecrets(config) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(config.token, {
        baseUrl: config.baseUrl,
        log: {
            debug: () => undefined,
            info: () => undefined,
            warn: config.warn,
            error: () => undefined,
        },
    });
    // A fresh deadline per request. (Set in a `before` hook: options changed by a `wrap` hook
    // never reach fetch.) Octokit reports an abandoned request as HTTP 500: retried, and a
    // write counted as possibly landed.
    octokit.hook.before('request', (options) => {
        options.request = { ...options.request, signal: AbortSignal.timeout(config.requestTimeoutMs) };
    });
    const rest = octokit.rest;
    return {
        async getPublicKey(scope) {
            const { data } = scope.kind === 'repo'
                ? await rest.actions.getRepoPublicKey({ owner: scope.owner, repo: scope.repo })
                : scope.kind === 'env'
                    ? await rest.actions.getEnvironmentPublicKey({
                        owner: scope.owner,
                        repo: scope.repo,
                        environment_name: scope.environment,
                    })
                    : await rest.actions.getOrgPublicKey({ org: scope.org });
            return { keyId: data.key_id, key: data.key };
        },
        async environmentExists(owner, repo, environment) {
            try {
                await rest.repos.getEnvironment({ owner, repo, environment_name: environment });
                return true;
            }
            catch (err) {
                if (err.status === 404)
                    return false;
                throw err;
            }
        },
        async getOrgSecret(org, name) {
            let visibility;
            try {
                visibility = (await rest.actions.getOrgSecret({ org, secret_name: name })).data.visibility;
            }
            catch (err) {
                if (err.status === 404)
                    return undefined;
                throw err;
            }
            if (visibility !== 'selected')
                return { visibility };
            const repos = await octokit.paginate(rest.actions.listSelectedReposForOrgSecret, {
                org,
                secret_name: name,
                per_page: 100,
            });
            return { visibility, selectedRepositoryIds: repos.map((r) => r.id) };
        },
        async putSecret(scope, name, value, sharing) {
            const body = {
                secret_name: name,
                encrypted_value: value.encryptedValue,
                key_id: value.keyId,
            };
            if (scope.kind === 'repo') {
                await rest.actions.createOrUpdateRepoSecret({
                    owner: scope.owner,
                    repo: scope.repo,
                    ...body,
                });
            }
            else if (scope.kind === 'env') {
                await rest.actions.createOrUpdateEnvironmentSecret({
                    owner: scope.owner,
                    repo: scope.repo,
                    environment_name: scope.environment,
                    ...body,
                });
            }
            else {
                if (!sharing)
                    throw new Error(`writing ${name} of org:${scope.org} needs its visibility`);
                await rest.actions.createOrUpdateOrgSecret({
                    org: scope.org,
                    ...body,
                    visibility: sharing.visibility,
                    ...(sharing.visibility === 'selected'
                        ? { selected_repository_ids: sharing.selectedRepositoryIds ?? [] }
                        : {}),
                });
            }
        },
        async listSecretNames(scope) {
            const secrets = scope.kind === 'repo'
                ? await octokit.paginate(rest.actions.listRepoSecrets, {
                    owner: scope.owner,
                    repo: scope.repo,
                    per_page: 100,
                })
                : scope.kind === 'env'
                    ? await octokit.paginate(rest.actions.listEnvironmentSecrets, {
                        owner: scope.owner,
                        repo: scope.repo,
                        environment_name: scope.environment,
                        per_page: 100,
                    })
                    : await octokit.paginate(rest.actions.listOrgSecrets, {
                        org: scope.org,
                        per_page: 100,
                    });
            return secrets.map((s) => s.name.toUpperCase());
        },
        async listEnvironments(owner, repo) {
            // Not in Octokit's list of paginated endpoints: page by hand.
            const names = [];
            for (let page = 1; page <= 100; page++) {
                const { data } = await rest.repos.getAllEnvironments({ owner, repo, per_page: 100, page });
                const envs = data.environments ?? [];
                names.push(...envs.map((e) => e.name));
                if (envs.length < 100)
                    break;
            }
            return names;
        },
    };
}
/** libsodium's sealed box, as GitHub's secrets API expects it. */
const seal = async (value, publicKey) => {
    await libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"].ready */ .Ay.ready;
    const key = libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"].from_base64 */ .Ay.from_base64(publicKey, libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"].base64_variants */ .Ay.base64_variants.ORIGINAL);
    return libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"].to_base64 */ .Ay.to_base64(libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"] */ .Ay.crypto_box_seal(libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"].from_string */ .Ay.from_string(value), key), libsodium_wrappers__WEBPACK_IMPORTED_MODULE_1__/* ["default"].base64_variants */ .Ay.base64_variants.ORIGINAL);
};


/***/ })

};
