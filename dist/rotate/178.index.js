export const id = 178;
export const ids = [178];
export const modules = {

/***/ 1178:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createIam: () => (/* binding */ createIam)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3290);
/* harmony import */ var _aws_sts_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5453);
/**
 * The IAM port's AWS SDK adapter. Every call builds a client around exactly the credentials
 * it is given (the old key for the early steps, the new key for the last ones), makes one
 * try (our retries are bounded and never retry AccessDenied) and never logs.
 */


/** Builds the adapter for IAM at `config` (signing region: `config.region`; IAM itself is global). */
async function createIam(config) {
    const options = await (0,_aws_sts_js__WEBPACK_IMPORTED_MODULE_0__/* .sdkClientOptions */ .mp)(config);
    // Only the key and its secret: a session token would make IAM refuse the call.
    const client = (c) => new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .IAMClient */ .h8v(options({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }));
    return {
        async listAccessKeys(signer, userName) {
            const out = await client(signer).send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .ListAccessKeysCommand */ .Qxm({ UserName: userName }));
            return (out.AccessKeyMetadata ?? []).flatMap((k) => k.AccessKeyId
                ? [
                    {
                        id: k.AccessKeyId,
                        status: k.Status === 'Active' ? 'Active' : 'Inactive',
                        ...(k.CreateDate ? { createdAt: k.CreateDate } : {}),
                    },
                ]
                : []);
        },
        async createAccessKey(signer, userName) {
            const out = await client(signer).send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .CreateAccessKeyCommand */ .hN({ UserName: userName }));
            const key = out.AccessKey;
            if (!key?.AccessKeyId || !key.SecretAccessKey)
                throw new Error('IAM answered CreateAccessKey without a key');
            return { id: key.AccessKeyId, secret: key.SecretAccessKey };
        },
        async updateAccessKey(signer, userName, keyId, status) {
            await client(signer).send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .UpdateAccessKeyCommand */ .SF3({ UserName: userName, AccessKeyId: keyId, Status: status }));
        },
        async deleteAccessKey(signer, userName, keyId) {
            await client(signer).send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .DeleteAccessKeyCommand */ .yq0({ UserName: userName, AccessKeyId: keyId }));
        },
        async getAccessKeyLastUsed(signer, keyId) {
            const out = await client(signer).send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .GetAccessKeyLastUsedCommand */ .qRl({ AccessKeyId: keyId }));
            const used = out.AccessKeyLastUsed;
            return {
                ...(used?.LastUsedDate ? { date: used.LastUsedDate } : {}),
                ...(used?.ServiceName && used.ServiceName !== 'N/A' ? { service: used.ServiceName } : {}),
            };
        },
    };
}


/***/ })

};
