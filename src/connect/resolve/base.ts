/**
 * The base credentials: the first link of every chain. Static keys come from the inputs; a
 * web identity from a token file or GitHub's OIDC endpoint; otherwise the AWS default
 * provider chain, loaded only on that path.
 */
import { readFile } from 'node:fs/promises';
import { type BaseSpec } from '../model.js';
import { credentialsOf, type Credentials } from '../../aws/credentials.js';
import { readClaims, type TokenClaims } from './token-claims.js';

/** What the first hop is signed with. */
export type BaseCredentials =
  | { kind: 'credentials'; credentials: Credentials; origin: string }
  | { kind: 'web-identity'; token: string; origin: string; claims?: TokenClaims };

/** A web identity, with the token's claims where it has them (for the hint of a refusal). */
function webIdentity(token: string, origin: string): BaseCredentials {
  const claims = readClaims(token);
  return claims === undefined
    ? { kind: 'web-identity', token, origin }
    : { kind: 'web-identity', token, origin, claims };
}

/** A GitHub OIDC token from the runner's token endpoint, through `@actions/core` (loaded here only). */
export async function githubIdToken(audience: string): Promise<string> {
  const core = await import('@actions/core');
  return core.getIDToken(audience);
}

/** The side effects base resolution needs. */
export interface BaseDeps {
  mask: (value: string) => void;
  getIdToken: (audience: string) => Promise<string>;
  /** The default provider chain; a seam for tests. */
  defaultChain?: () => Promise<Credentials>;
}

/** A one-line description of where the base credentials come from (no secret in it). */
export function describeBase(base: BaseSpec): string {
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
export async function resolveBase(base: BaseSpec, deps: BaseDeps): Promise<BaseCredentials> {
  const origin = describeBase(base);
  switch (base.kind) {
    case 'static': {
      const credentials: Credentials = {
        accessKeyId: base.accessKeyId,
        secretAccessKey: base.secretAccessKey,
      };
      if (base.sessionToken !== undefined) credentials.sessionToken = base.sessionToken;
      // Inputs are masked as the step starts; keys of the environment are masked here.
      if (base.from === 'environment')
        for (const v of [base.accessKeyId, base.secretAccessKey, base.sessionToken])
          if (v) deps.mask(v);
      return { kind: 'credentials', credentials, origin };
    }
    case 'web-identity-file': {
      let token: string;
      try {
        token = (await readFile(base.path, 'utf8')).trim();
      } catch (err) {
        throw new Error(
          `web-identity-token-file: cannot read ${base.path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
          { cause: err },
        );
      }
      if (token === '') throw new Error(`web-identity-token-file: ${base.path} is empty`);
      deps.mask(token);
      return webIdentity(token, origin);
    }
    case 'oidc': {
      let token: string;
      try {
        token = await deps.getIdToken(base.audience);
      } catch (err) {
        throw new Error(
          `requesting a GitHub OIDC token failed (does the job have "permissions: id-token: write"?): ${(err as Error).message}`,
          { cause: err },
        );
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
        if (v) deps.mask(v);
      return { kind: 'credentials', credentials, origin };
    }
  }
}

/** The SDK's default provider chain, resolved once; its own error is wrapped with what to do. */
async function defaultChain(): Promise<Credentials> {
  try {
    return await loadDefaultChain();
  } catch (err) {
    throw new Error(
      `no base credentials: no keys were given, the job cannot request an OIDC token (permissions: id-token: write, with a role), and the default provider chain found none (${(err as Error).message.split('\n')[0] ?? ''})`,
      { cause: err },
    );
  }
}

/** Resolves the AWS SDK's default provider chain, loaded only when called. */
export async function loadDefaultChain(): Promise<Credentials> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const c = await fromNodeProviderChain()();
  return credentialsOf(c.accessKeyId, c.secretAccessKey, c.sessionToken, c.expiration);
}
