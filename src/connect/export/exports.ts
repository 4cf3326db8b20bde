/**
 * What the main step hands to later steps, computed as plain data from the plan and what it
 * resolved to: variables, outputs, profile files and the job summary. Deciding it is pure;
 * export/apply.ts carries it out.
 */
import { join } from 'node:path';
import { InputError, show } from '../../shared/errors.js';
import { isExported, type ConnectionResult, type Plan } from '../model.js';
import type { Session } from '../../aws/credentials.js';
import { connectionLabel, type Resolution } from '../resolve/resolve.js';
import {
  DEFAULT_PROFILE,
  laterStepEnvironment,
  needsOwnFiles,
  regionInEnvironment,
  type Before,
  type LaterSteps,
  type VariableChange,
} from './environment.js';
import {
  carriedProfiles,
  configRegions,
  renderProfileFiles,
  type CarriedFiles,
  type ProfileEntry,
} from './profile-files.js';
import { renderSummary, type RefreshSummary, type SummaryView } from './summary.js';

/** A file the step writes (mode 0600, in a 0700 directory of its own). */
export interface ExportFile {
  name: string;
  content: string;
}

/** A profile the refresh side exports: renewed by `credential_process`. */
export interface RefreshProfile {
  name: string;
  /** The connection it renews (its identity is that connection's). */
  connection: string;
  region: string;
  command: string;
}

/** What the refresh side hands over: its files, its profiles, and how long it renews. */
export interface RefreshExport {
  files: ExportFile[];
  profiles: RefreshProfile[];
  /** The profile plain steps get (the `default` profile renews as this one). */
  primary?: string;
  renewal: RefreshSummary;
}

/** The environment and files the step starts from, as earlier steps left them. */
export interface Surroundings {
  /** The step's own directory (not yet created). */
  dir: string;
  /** The environment before the step. */
  before: Before;
  /** The text of the config and credentials files in effect before the step. */
  carried: CarriedFiles;
}

/** Everything the main step hands to later steps, as data; export/apply.ts writes it. */
export interface Exports {
  /** Every variable set, with what was there before: the post step restores it. */
  variables: VariableChange[];
  outputs: [string, string][];
  /** Files to write into the step's own directory. */
  files: ExportFile[];
  summary: string;
  /** What later steps get, for the log and the summary. */
  laterSteps: LaterSteps;
}

/** The config and credentials files, when the step writes them. */
export const PROFILE_FILES = { config: 'config', credentials: 'credentials' } as const;

/** Refuses accounts outside `allowed-account-ids`; runs before anything is exported. */
export function checkAllowedAccounts(plan: Plan, resolution: Resolution): void {
  if (plan.allowedAccountIds.length === 0) return;
  const sessions: [string, Session][] = resolution.connections.map((c) => [
    connectionLabel(plan, c.spec),
    c.session,
  ]);
  if (resolution.primary && !resolution.connections.some((c) => c.session === resolution.primary)) {
    sessions.push(['the base credentials', resolution.primary]);
  }
  const checked = plan.named ? sessions : sessions.slice(-1);
  for (const [label, session] of checked) {
    if (!plan.allowedAccountIds.includes(session.accountId)) {
      throw new InputError(
        'allowed-account-ids',
        `${label} resolved to account ${show(session.accountId)}, which is not in the list (${plan.allowedAccountIds.join(', ')})`,
      );
    }
  }
}

/**
 * The warning owed when a long-term key leaves the step as it is (no role, no session);
 * undefined otherwise. Decided from the plan alone, before any call.
 */
export function longTermKeyWarning(plan: Plan): string | undefined {
  if (
    plan.base.kind === 'static' &&
    plan.connections.length === 0 &&
    !plan.sessionCredentials &&
    plan.base.sessionToken === undefined
  )
    return 'session-credentials is false: the long-term access key is exported as it is. Prefer session credentials or a role.';
  return undefined;
}

/** Decides every variable, output, file and summary line. */
export function planExports(
  plan: Plan,
  resolution: Resolution,
  around: Surroundings,
  refresh?: RefreshExport,
  view: Omit<SummaryView, 'refresh' | 'laterSteps'> = { now: new Date() },
): Exports {
  const primary = resolution.primary;
  const primaryConnection = resolution.connections.find((c) => c.spec.name === plan.primary);
  const byName = new Map(resolution.connections.map((c) => [c.spec.name, c]));
  const keys =
    primary && plan.outputEnvCredentials && !refresh
      ? { credentials: primary.credentials, accountId: primary.accountId }
      : undefined;

  const profiles: (ProfileEntry & { identity: string })[] = refresh
    ? refresh.profiles.map((p) => ({
        name: p.name,
        region: p.region,
        credentialProcess: p.command,
        identity: byName.get(p.connection)?.session.arn ?? '',
      }))
    : exportedConnections(plan, resolution).map(({ spec, session }) => ({
        name: spec.name,
        region: spec.region,
        credentials: session.credentials,
        identity: session.arn,
      }));
  if (plan.awsProfile !== undefined && !refresh && primary)
    profiles.push({
      name: plan.awsProfile,
      region: primaryConnection?.spec.region ?? plan.region,
      credentials: primary.credentials,
      identity: primary.arn,
    });
  // Plain steps get what the environment would carry: nothing with output-env-credentials false.
  const refreshPrimary = refresh ? profiles.find((p) => p.name === refresh.primary) : undefined;
  const plainProfile = plan.outputEnvCredentials ? refreshPrimary : undefined;
  const plainRegion = refreshPrimary?.region ?? primaryConnection?.spec.region ?? plan.region;
  const carried = carriedProfiles(around.carried.config, new Set(profiles.map((p) => p.name)));
  // Regions of earlier files count too: AWS_REGION would hide them, even after the post step.
  const regionInEnv = regionInEnvironment(
    around.before,
    plainRegion,
    [...profiles.map((p) => p.region), ...configRegions(around.carried.config)],
    plan.outputEnvCredentials,
  );

  const files: ExportFile[] = refresh ? [...refresh.files] : [];
  // With the environment off and no profile, the region goes nowhere (as in the peer).
  const ownFiles =
    profiles.length > 0 ||
    refresh !== undefined ||
    needsOwnFiles(around.before, regionInEnv || !plan.outputEnvCredentials);
  if (ownFiles) {
    const defaultProfile: Omit<ProfileEntry, 'name'> = { region: plainRegion };
    if (keys) defaultProfile.credentials = keys.credentials;
    if (plainProfile?.credentialProcess !== undefined)
      defaultProfile.credentialProcess = plainProfile.credentialProcess;
    const rendered = renderProfileFiles(defaultProfile, profiles, around.carried);
    files.push(
      { name: PROFILE_FILES.config, content: rendered.config },
      { name: PROFILE_FILES.credentials, content: rendered.credentials },
    );
  }
  const variables = laterStepEnvironment({
    before: around.before,
    ...(keys && { keys }),
    ...(ownFiles && {
      files: {
        config: join(around.dir, PROFILE_FILES.config),
        credentials: join(around.dir, PROFILE_FILES.credentials),
      },
    }),
    region: { plain: plainRegion, inEnvironment: regionInEnv },
  });

  const plainIdentity = keys ? primary?.arn : plainProfile?.identity;
  const laterSteps: LaterSteps = {
    plain: {
      ...(plainIdentity !== undefined && plainIdentity !== '' && { identity: plainIdentity }),
      region: plainRegion,
      from: keys ? 'variables' : plainProfile ? 'profile' : 'nothing',
    },
    profiles: profiles.map((p) => ({
      name: p.name,
      identity: p.identity,
      // AWS_REGION / AWS_DEFAULT_REGION win over a profile's region in every tool.
      region: regionInEnv ? plainRegion : p.region,
      ownRegion: p.region,
    })),
    carried: carried.map((p) => ({
      name: p.name,
      region: regionInEnv || p.region === undefined ? plainRegion : p.region,
    })),
    set: variables.filter((v) => v.value !== '').map((v) => v.name),
    cleared: variables.filter((v) => v.value === '').map((v) => v.name),
    // The profile variables are only ever set where an earlier step set them.
    repointed: variables.filter((v) => v.value === DEFAULT_PROFILE).map((v) => v.name),
    regionInProfiles: !regionInEnv,
  };

  const outputs = planOutputs(plan, resolution, refresh);
  const summary = renderSummary(plan, resolution, {
    ...view,
    laterSteps,
    ...(refresh && { refresh: refresh.renewal }),
  });
  return { variables, outputs, files, summary, laterSteps };
}

/** The connections later steps get as profiles: named ones, except those only feeding others. */
export function exportedConnections(plan: Plan, resolution: Resolution): ConnectionResult[] {
  if (!plan.named) return [];
  return resolution.connections.filter((c) => isExported(plan, c.spec));
}

function planOutputs(
  plan: Plan,
  resolution: Resolution,
  refresh: RefreshExport | undefined,
): [string, string][] {
  const outputs: [string, string][] = [];
  const primary = resolution.primary;
  const primaryConnection = resolution.connections.find((c) => c.spec.name === plan.primary);
  if (primary) {
    outputs.push(['aws-account-id', primary.accountId], ['authenticated-arn', primary.arn]);
    outputs.push(['expiration', primary.credentials.expiration?.toISOString() ?? '']);
    outputs.push(['external-id', primaryConnection?.spec.externalId ?? '']);
    if (plan.outputCredentials && !refresh) {
      outputs.push(
        ['aws-access-key-id', primary.credentials.accessKeyId],
        ['aws-secret-access-key', primary.credentials.secretAccessKey],
      );
      if (primary.credentials.sessionToken)
        outputs.push(['aws-session-token', primary.credentials.sessionToken]);
    }
  }
  if (resolution.connections.length > 0)
    outputs.push(['connections', JSON.stringify(connectionsOutput(plan, resolution.connections))]);
  return outputs;
}

/** The log's account of what later steps get, one line each. */
export function describeLaterSteps(later: LaterSteps): string[] {
  const who = (identity: string | undefined, region: string): string =>
    `${identity === undefined || identity === '' ? 'no credentials' : identity} in ${region}`;
  const plainFrom = {
    variables: ' (AWS_* variables)',
    profile: ' (the default profile)',
    nothing: '',
  }[later.plain.from];
  const lines = [
    'Later steps get:',
    `  naming no profile: ${who(later.plain.identity, later.plain.region)}${plainFrom}`,
    ...later.profiles.map((p) => `  --profile ${p.name}: ${who(p.identity, p.region)}`),
    ...later.carried.map(
      (p) => `  --profile ${p.name}: as an earlier step left it, in ${p.region}`,
    ),
  ];
  if (later.set.length > 0) lines.push(`Set: ${later.set.join(', ')}.`);
  if (later.cleared.length > 0)
    lines.push(`Cleared (an earlier step set them): ${later.cleared.join(', ')}.`);
  if (later.repointed.length > 0)
    lines.push(
      `${later.repointed.join(' and ')} (set by an earlier step, which no step can unset) now name${later.repointed.length === 1 ? 's' : ''} the default profile.`,
    );
  if (later.regionInProfiles)
    lines.push(
      "AWS_REGION and AWS_DEFAULT_REGION are not set: they would win over each profile's own region.",
    );
  return lines;
}

/**
 * Profiles whose own region later steps do not get, because an earlier step set AWS_REGION or
 * AWS_DEFAULT_REGION: a warning, or undefined.
 */
export function overriddenRegionWarning(later: LaterSteps): string | undefined {
  const overridden = later.profiles.filter((p) => p.region !== p.ownRegion);
  if (overridden.length === 0) return undefined;
  return `An earlier step set AWS_REGION or AWS_DEFAULT_REGION, which no step can unset and which every tool takes over a profile's region: ${overridden.map((p) => `profile ${p.name} (${p.ownRegion})`).join(', ')} resolve${overridden.length === 1 ? 's' : ''} in ${later.plain.region} unless a step passes --region.`;
}

/** The `connections` output: name to account, ARN, external ID, expiry (no secret). */
export function connectionsOutput(
  plan: Plan,
  connections: ConnectionResult[],
): Record<string, Record<string, string>> {
  return Object.fromEntries(
    connections.map(({ spec, session }) => [
      spec.name,
      {
        'role-arn': spec.role.arn,
        'aws-account-id': session.accountId,
        'authenticated-arn': session.arn,
        'external-id': spec.externalId ?? '',
        expiration: session.credentials.expiration?.toISOString() ?? '',
        region: spec.region,
        exported: String(isExported(plan, spec)),
      },
    ]),
  );
}
