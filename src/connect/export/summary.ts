/**
 * The job summary, as markdown GitHub renders in a column of about 900 px: no wide table, one
 * short block per hop or connection, times in the runner's time zone. Pure: the clock and the
 * time zone are given. Never a secret; with mask-aws-account-id, never an account ID either
 * (the runner masks the log, nothing masks the summary).
 */
import { isExported, type ConnectionResult, type ConnectionSpec, type Plan } from '../model.js';
import type { LaterSteps } from './environment.js';
import type { BaseCredentials } from '../resolve/base.js';
import type { FailureExplanation } from '../resolve/hints.js';
import { SHOWN_CLAIMS, subForm } from '../resolve/token-claims.js';
import type { Resolution } from '../resolve/resolve.js';
import { describeBase } from '../resolve/base.js';

/** What the summary says about refresh: where renewals start from, and until when. */
export interface RefreshSummary {
  /** `a fresh GitHub OIDC token each time`, … */
  from: string;
  /** When renewals stop (the end of refresh-window for a key base); undefined: not bounded by the step. */
  until?: Date;
}

/** What the summary needs besides the plan and its resolution. */
export interface SummaryView {
  now: Date;
  /** IANA time zone for the times shown; default the runner's. */
  timeZone?: string;
  /** The base credentials, for what the step knows of them (a token's `sub`). */
  base?: BaseCredentials;
  refresh?: RefreshSummary;
  /** What later steps get (export/environment.ts). */
  laterSteps?: LaterSteps;
}

const TITLE = '### AWS connection';

/** The summary of a successful step: the base, then one block per hop or connection. */
export function renderSummary(plan: Plan, resolution: Resolution, view: SummaryView): string {
  const lines = [TITLE, '', baseLine(plan, resolution, view)];
  if (view.refresh) lines.push('', refreshLine(view.refresh, view));
  if (resolution.connections.length === 0) lines.push(...baseAlone(plan, resolution, view));
  for (const result of resolution.connections)
    lines.push('', ...connectionBlock(plan, result, view));
  if (view.laterSteps) lines.push('', ...laterStepsBlock(view.laterSteps));
  return maskAccounts(`${lines.join('\n')}\n`, plan.maskAccountId, accountsOf(plan, resolution));
}

/** The summary of a failed step: what failed, what was sent, and what would fix it. */
export function renderFailureSummary(
  message: string,
  explanation: FailureExplanation | undefined,
  maskAccountIds: boolean,
): string {
  const lines = ['### AWS connection failed', ''];
  if (explanation === undefined) {
    lines.push(`> ${prose(message)}`, '');
  } else {
    const e = explanation;
    lines.push(
      `**${capitalise(e.label)}**${e.role === undefined ? '' : ` · ${code(e.role)}`}: ${code(e.code)}`,
      '',
    );
    lines.push(`- STS said: ${prose(e.message)}`);
    if (e.role !== undefined)
      lines.push(
        e.externalId === undefined
          ? '- No external ID sent (AssumeRoleWithWebIdentity takes none)'
          : `- External ID sent: ${code(e.externalId)}`,
      );
    lines.push('', 'Nothing was exported: every hop must succeed first.', '');
    if (e.hint !== '') lines.push(`**To fix:** ${prose(e.hint)}.`, '');
    if (e.token) lines.push(...tokenBlock(e.token));
  }
  return maskAccounts(lines.join('\n'), maskAccountIds, []);
}

function tokenBlock(token: NonNullable<FailureExplanation['token']>): string[] {
  const { claims } = token;
  const rows: [string, string][] = [
    ['sub', `${code(claims.sub)} (${subForm(claims.sub)} form)`],
    ['aud', claims.aud.map(code).join(', ')],
    ...SHOWN_CLAIMS.flatMap((name): [string, string][] => {
      const value = claims[name];
      return value === undefined ? [] : [[name, code(value)]];
    }),
  ];
  const lines = [
    '**The token sent:**',
    '',
    '| claim | value |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| \`${name}\` | ${value.replace(/\|/g, '\\|')} |`),
    '',
  ];
  if (token.formNote !== '')
    lines.push(`The \`sub\` has the immutable form: ${prose(token.formNote)}.`, '');
  if (token.statement !== undefined) {
    lines.push(
      'A trust-policy statement that admits exactly this job:',
      '',
      '```json',
      JSON.stringify(JSON.parse(token.statement), null, 2),
      '```',
      '',
    );
  }
  return lines;
}

function baseLine(plan: Plan, resolution: Resolution, view: SummaryView): string {
  const parts = [`**Base:** ${prose(describeBase(plan.base))}`];
  if (view.base?.kind === 'web-identity' && view.base.claims)
    parts.push(`\`sub\` ${code(view.base.claims.sub)}`);
  const arn = resolution.primary?.arn ?? '';
  if (resolution.connections.length === 0 && arn !== '') parts.push(`identity ${code(arn)}`);
  return parts.join(', ');
}

function refreshLine(refresh: RefreshSummary, view: SummaryView): string {
  const until =
    refresh.until === undefined
      ? 'for as long as the job runs'
      : `until ${when(refresh.until, view)}, the end of \`refresh-window\``;
  return `**Refresh on:** \`credential_process\` renews the profiles from ${prose(refresh.from)}, ${until}.`;
}

/** No role: the base's own session, or the key itself. */
function baseAlone(plan: Plan, resolution: Resolution, view: SummaryView): string[] {
  const lines = [
    '',
    `- Exported as ${plan.sessionCredentials ? 'session credentials (GetSessionToken)' : 'the long-term key itself'}`,
  ];
  const expiration = resolution.primary?.credentials.expiration;
  if (expiration) lines.push(`- Expires ${when(expiration, view)}`);
  lines.push(`- Region ${code(plan.region)}`);
  return lines;
}

function connectionBlock(
  plan: Plan,
  { spec, session }: ConnectionResult,
  view: SummaryView,
): string[] {
  const lines = [`**${title(plan, spec)}** · ${code(spec.role.arn)}`, ''];
  if (spec.source !== undefined && spec.kind.type === 'connection')
    lines.push(`- Assumed from connection ${code(spec.source)}`);
  lines.push(
    spec.externalId === undefined
      ? '- No external ID (web identity)'
      : `- External ID sent: ${code(spec.externalId)}`,
  );
  if (!isPlainSession(spec, session.arn) && session.arn !== '')
    lines.push(`- Identity ${code(session.arn)}`);
  const expiration = session.credentials.expiration;
  lines.push(
    `- Region ${code(spec.region)}${expiration ? ` · expires ${when(expiration, view)}` : ''}`,
  );
  lines.push(`- ${use(plan, spec)}`);
  return lines;
}

function title(plan: Plan, spec: ConnectionSpec): string {
  return spec.kind.type === 'chain'
    ? `Role ${spec.kind.position} of ${plan.connections.length}`
    : `Connection ${code(spec.name)}`;
}

/** How a later step uses this hop or connection, if at all. */
function use(plan: Plan, spec: ConnectionSpec): string {
  if (spec.kind.type === 'chain') {
    if (spec.kind.position < plan.connections.length)
      return `Used to assume role ${spec.kind.position + 1}; not exported`;
    return 'Later steps get it: see below';
  }
  if (!isExported(plan, spec))
    return 'Not exported: it only feeds other connections (`export: true` exports it)';
  const profile = `Use: \`--profile ${spec.name}\``;
  return spec.name === plan.primary ? `${profile}, or name no profile` : profile;
}

/** What a step after this one resolves, naming no profile and naming each. */
function laterStepsBlock(later: LaterSteps): string[] {
  const who = (identity: string | undefined, region: string): string =>
    `${identity === undefined || identity === '' ? 'no credentials' : code(identity)} in ${code(region)}`;
  const from = {
    variables: ' (the `AWS_*` variables)',
    profile: ' (the `default` profile)',
    nothing: '',
  }[later.plain.from];
  const lines = [
    '**Later steps get**',
    '',
    `- Naming no profile: ${who(later.plain.identity, later.plain.region)}${from}`,
    ...later.profiles.map(
      (p) =>
        `- ${code(`--profile ${p.name}`)}: ${who(p.identity, p.region)}${p.region === p.ownRegion ? '' : ` (its own region ${code(p.ownRegion)} loses to \`AWS_REGION\`, which an earlier step set)`}`,
    ),
  ];
  for (const p of later.carried)
    lines.push(
      `- ${code(`--profile ${p.name}`)}: as an earlier step left it, in ${code(p.region)}`,
    );
  const names = (list: string[]): string => list.map((n) => code(n)).join(', ');
  if (later.set.length > 0) lines.push(`- Set: ${names(later.set)}`);
  if (later.cleared.length > 0)
    lines.push(`- Cleared, as an earlier step had set them: ${names(later.cleared)}`);
  return lines;
}

/** True when the identity is just the assumed-role session of the role (nothing to add). */
function isPlainSession(spec: ConnectionSpec, arn: string): boolean {
  const { partition, accountId, name } = spec.role;
  return arn === `arn:${partition}:sts::${accountId}:assumed-role/${name}/${spec.sessionName}`;
}

/** `14:05 UTC (in 60 min)`, with the day when it is not today. */
export function when(date: Date, view: Pick<SummaryView, 'now' | 'timeZone'>): string {
  const { time, day } = inUtc(date, view) ? utcFormat : intlFormat(view.timeZone);
  const shown = day(date) === day(view.now) ? time(date) : `${day(date)}, ${time(date)}`;
  return `**${shown}** (${fromNow(date.getTime() - view.now.getTime())})`;
}

interface TimeFormat {
  time: (d: Date) => string;
  day: (d: Date) => string;
}

/**
 * Whether both instants are shown in UTC: the zone asked for, or (none asked) a runner whose
 * local time is UTC at both, as GitHub-hosted runners' is. UTC is formatted by hand because
 * loading Intl's time-zone data costs about 25 ms, a tenth of the whole step.
 */
function inUtc(date: Date, view: Pick<SummaryView, 'now' | 'timeZone'>): boolean {
  if (view.timeZone !== undefined) return view.timeZone === 'UTC';
  return date.getTimezoneOffset() === 0 && view.now.getTimezoneOffset() === 0;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

const utcFormat: TimeFormat = {
  time: (d) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`,
  day: (d) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`,
};

function intlFormat(timeZone: string | undefined): TimeFormat {
  const zone = timeZone === undefined ? {} : { timeZone };
  const time = new Intl.DateTimeFormat('en-US', {
    ...zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const day = new Intl.DateTimeFormat('en-GB', { ...zone, day: 'numeric', month: 'short' });
  return { time: (d) => time.format(d), day: (d) => day.format(d) };
}

/** `in 60 min`, `in 6 h`, `in 1 h 30 min`, `5 min ago`. */
export function fromNow(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const span = minutes < 90 ? `${minutes} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
  return ms < 0 ? `${span} ago` : `in ${span}`;
}

function accountsOf(plan: Plan, resolution: Resolution): string[] {
  return [
    ...plan.connections.map((c) => c.role.accountId),
    ...resolution.connections.map((c) => c.session.accountId),
    resolution.primary?.accountId ?? '',
  ].filter((id) => id !== '');
}

/** Every account ID (the known ones, and any 12-digit number) shown as the log shows it. */
function maskAccounts(markdown: string, enabled: boolean, known: string[]): string {
  if (!enabled) return markdown;
  let masked = markdown.replace(/(?<!\d)\d{12}(?!\d)/g, '***');
  for (const id of known) masked = masked.split(id).join('***');
  return masked;
}

/** Inline code, whatever backticks the value holds. */
function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * Text from a message, safe as markdown: ARNs, quoted and `marked` values become code, everything else
 * is escaped so that no `*`, `_`, `<` or `[` in it turns into formatting or HTML.
 */
function prose(text: string): string {
  return text
    .split(/(arn:[\w-]+:[\w-]*:[\w-]*:\d*:[^\s,;"`<>()]+|"[^"\n]*"|`[^`\n]*`)/)
    .map((part, i) => {
      if (i % 2 === 0) return part.replace(/[\\`*_[\]<>#|~!]/g, (c) => `\\${c}`);
      return code(/^["`]/.test(part) ? part.slice(1, -1) : part);
    })
    .join('');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
