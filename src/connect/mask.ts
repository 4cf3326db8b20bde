/**
 * What the main step masks beyond the credentials themselves (whose producers mask them the
 * moment they exist): the secret inputs, a proxy's password, and, with mask-aws-account-id,
 * every account ID the step could print. A value printed before its `::add-mask::` stays
 * visible, so each rule runs before the first line that could hold its values.
 */
import { SECRET_VARIABLES } from './export/environment.js';
import { Input } from './inputs/table.js';
import type { Plan } from './model.js';
import type { Resolution } from './resolve/resolve.js';
import { PROXY_VARIABLES, proxySecrets } from '../shared/network.js';
import { mask, type Runner } from '../shared/runner.js';
import { booleanOf } from '../shared/validate.js';

/** The 12-digit account IDs in a text. */
export function accountIds(text: string): string[] {
  return [...new Set(text.match(/\b\d{12}\b/g) ?? [])];
}

/** `mask-aws-account-id`, read leniently: it must work before (and even if) validation fails. */
export function wantsAccountMasked(runner: Runner): boolean {
  return booleanOf(runner.getInput(Input.MaskAccountId)) === true;
}

/** Masks what the inputs and environment hold that must never show, before anything runs. */
export function maskInputs(runner: Runner, env: NodeJS.ProcessEnv): void {
  for (const name of [Input.AccessKeyId, Input.SecretAccessKey, Input.SessionToken] as const)
    mask(runner, runner.getInput(name).trim());
  // An earlier step's secrets: the step records them for its post step to put back.
  for (const name of SECRET_VARIABLES) mask(runner, env[name] ?? '');
  // A proxy address may hold a password; validation errors never show it, the log never will.
  const proxies = [runner.getInput(Input.HttpProxy), ...PROXY_VARIABLES.map((v) => env[v] ?? '')];
  for (const value of proxies)
    for (const secret of proxySecrets(value.trim())) runner.setSecret(secret);
  // Role ARNs hold account IDs, and validation errors quote them.
  if (wantsAccountMasked(runner)) {
    for (const name of [Input.RoleToAssume, Input.RoleChain, Input.Connections] as const)
      for (const id of accountIds(runner.getInput(name))) runner.setSecret(id);
  }
}

/** Masks account IDs as they become known; does nothing when masking is off. */
export interface AccountMask {
  /** Every account ID in a text about to be logged or thrown. */
  inText(text: string): void;
  /** The accounts of the roles a plan names. */
  ofPlan(plan: Plan): void;
  /** The accounts the base and every connection resolved to. */
  ofResolution(resolution: Resolution): void;
}

/** An {@link AccountMask} that masks through `runner` when `enabled`. */
export function accountMask(runner: Runner, enabled: boolean): AccountMask {
  const maskAll = (ids: Iterable<string>): void => {
    if (enabled) for (const id of ids) runner.setSecret(id);
  };
  return {
    inText: (text) => maskAll(accountIds(text)),
    // A role name has no account until the base keys tell it (empty until then).
    ofPlan: (plan) => maskAll(plan.connections.map((c) => c.role.accountId).filter((id) => id)),
    ofResolution: (resolution) => {
      maskAll(resolution.connections.map((c) => c.session.accountId));
      // Empty when the base's identity was not asked for: nothing to mask then.
      if (resolution.primary?.accountId) maskAll([resolution.primary.accountId]);
    },
  };
}
