/**
 * What the main step hands to later steps, computed as plain data from the plan and what it
 * resolved to: variables, outputs, profile files and the job summary. Deciding it is pure;
 * export/apply.ts carries it out.
 */
import { InputError, show } from '../../shared/errors.js';
import type { ConnectionResult, Plan } from '../model.js';
import type { Credentials, Session } from '../../aws/credentials.js';
import { connectionLabel, type Resolution } from '../resolve/resolve.js';
import { renderSummary, type RefreshSummary, type SummaryView } from './summary.js';

/** The variables the step may export, and the post step blanks. */
export const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

/** A file the step writes (mode 0600, in a 0700 directory of its own). */
export interface ExportFile {
  name: string;
  content: string;
}

/** What the refresh side hands over: its files, the profile AWS_PROFILE names, and for the summary, how long it renews. */
export interface RefreshExport {
  files: ExportFile[];
  profile: string;
  renewal: Omit<RefreshSummary, 'profile'>;
}

/** Everything the main step hands to later steps, as data; export/apply.ts writes it. */
export interface Exports {
  variables: [string, string][];
  outputs: [string, string][];
  /** Files to write into the step's own directory under RUNNER_TEMP. */
  files: ExportFile[];
  /** Variables whose value is a path into that directory: `[name, file name]`. */
  fileVariables: [string, string][];
  summary: string;
}

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
  refreshProfiles?: RefreshExport,
  view: Omit<SummaryView, 'refresh' | 'variables'> = { now: new Date() },
): Exports {
  const variables: [string, string][] = [
    ['AWS_REGION', plan.region],
    ['AWS_DEFAULT_REGION', plan.region],
  ];
  const outputs: [string, string][] = [];
  const files: ExportFile[] = [];
  const fileVariables: [string, string][] = [];
  const primary = resolution.primary;
  const primaryConnection = resolution.connections.find((c) => c.spec.name === plan.primary);

  if (refreshProfiles) {
    files.push(...refreshProfiles.files);
    fileVariables.push(['AWS_CONFIG_FILE', 'config']);
    // AWS_SDK_LOAD_CONFIG: the JS SDK v2 reads credential_process only with it.
    variables.push(['AWS_PROFILE', refreshProfiles.profile], ['AWS_SDK_LOAD_CONFIG', '1']);
    // Fixed keys would win over the profile and never refresh: blank any a step before set.
    for (const name of CREDENTIAL_VARIABLES) variables.push([name, '']);
  } else {
    if (plan.named) {
      files.push(
        { name: 'config', content: renderConfig(resolution.connections) },
        { name: 'credentials', content: renderCredentials(resolution.connections) },
      );
      fileVariables.push(
        ['AWS_CONFIG_FILE', 'config'],
        ['AWS_SHARED_CREDENTIALS_FILE', 'credentials'],
      );
    }
    if (primary && plan.outputEnvCredentials)
      variables.push(...credentialVariables(primary.credentials));
  }

  if (primary) {
    outputs.push(['aws-account-id', primary.accountId], ['authenticated-arn', primary.arn]);
    outputs.push(['expiration', primary.credentials.expiration?.toISOString() ?? '']);
    outputs.push(['external-id', primaryConnection?.spec.externalId ?? '']);
    if (plan.outputCredentials && !refreshProfiles) {
      outputs.push(
        ['aws-access-key-id', primary.credentials.accessKeyId],
        ['aws-secret-access-key', primary.credentials.secretAccessKey],
      );
      if (primary.credentials.sessionToken)
        outputs.push(['aws-session-token', primary.credentials.sessionToken]);
    }
  }
  if (resolution.connections.length > 0)
    outputs.push(['connections', JSON.stringify(connectionsOutput(resolution.connections))]);
  const summary = renderSummary(plan, resolution, {
    ...view,
    variables: variables.filter(([, value]) => value !== '').map(([name]) => name),
    ...(refreshProfiles && {
      refresh: { profile: refreshProfiles.profile, ...refreshProfiles.renewal },
    }),
  });
  return { variables, outputs, files, fileVariables, summary };
}

function credentialVariables(c: Credentials): [string, string][] {
  return [
    ['AWS_ACCESS_KEY_ID', c.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.secretAccessKey],
    // An empty token blanks one a step before exported, which would not fit these keys.
    ['AWS_SESSION_TOKEN', c.sessionToken ?? ''],
  ];
}

/** The `connections` output: name to account, ARN, external ID, expiry (no secret). */
export function connectionsOutput(
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
      },
    ]),
  );
}

/** The shared config file: one profile per connection. */
export function renderConfig(connections: ConnectionResult[]): string {
  return connections
    .map(({ spec }) => `[profile ${spec.name}]\nregion = ${spec.region}\n`)
    .join('\n');
}

/** The shared credentials file: each connection's session. */
export function renderCredentials(connections: ConnectionResult[]): string {
  return connections
    .map(({ spec, session: { credentials: c } }) =>
      [
        `[${spec.name}]`,
        `aws_access_key_id = ${c.accessKeyId}`,
        `aws_secret_access_key = ${c.secretAccessKey}`,
        ...(c.sessionToken ? [`aws_session_token = ${c.sessionToken}`] : []),
        '',
      ].join('\n'),
    )
    .join('\n');
}
