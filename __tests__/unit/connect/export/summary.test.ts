import {
  fromNow,
  renderFailureSummary,
  renderSummary,
  when,
  type SummaryView,
} from '../../../../src/connect/export/summary.js';
import type { LaterSteps } from '../../../../src/connect/export/environment.js';
import { planExports } from '../../../../src/connect/export/exports.js';
import { isExported, type Plan } from '../../../../src/connect/model.js';
import type { BaseCredentials } from '../../../../src/connect/resolve/base.js';
import { explainFailure, type FailureContext } from '../../../../src/connect/resolve/hints.js';
import type { Resolution } from '../../../../src/connect/resolve/resolve.js';
import type { TokenClaims } from '../../../../src/connect/resolve/token-claims.js';
import {
  chainPlan,
  hop,
  plan,
  result,
  session,
  spec,
  STATIC_BASE,
} from '../../../../__fixtures__/plans.js';
import { awsError } from '../../../../__fixtures__/sts.js';

const NOW = new Date('2030-01-01T13:05:00Z');
const IN_AN_HOUR = new Date('2030-01-01T14:05:00Z');
const VIEW: SummaryView = { now: NOW, timeZone: 'UTC' };

/** What later steps get for `p`, as the export planner decides it (nothing set before). */
function later(p: Plan, r: Resolution, refresh = false): LaterSteps {
  const profiles = refresh
    ? (p.named ? p.connections.filter((c) => isExported(p, c)) : p.connections.slice(-1)).map(
        (c) => ({
          name: p.named ? c.name : 'aws-connection',
          connection: c.name,
          region: c.region,
          command: 'renew',
        }),
      )
    : undefined;
  const primary = p.named ? p.primary : 'aws-connection';
  return planExports(
    p,
    r,
    { dir: '/t/d', before: {}, carried: {} },
    profiles && {
      files: [],
      profiles,
      ...(primary !== undefined && { primary }),
      renewal: { from: 'x' },
    },
  ).laterSteps;
}
const CLAIMS: TokenClaims = {
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'repo:octo@4040/app@100200300:ref:refs/heads/main',
  aud: ['sts.amazonaws.com'],
  repository: 'octo/app',
  ref: 'refs/heads/main',
};

/** A resolved plan whose sessions all expire in an hour. */
function resolved(p: Plan): Resolution {
  const connections = p.connections.map((s) => result(s));
  for (const c of connections) c.session.credentials.expiration = IN_AN_HOUR;
  const primary = connections.find((c) => c.spec.name === p.primary)?.session;
  return primary ? { connections, primary } : { connections };
}

function named(overrides: Partial<Plan> = {}): Plan {
  return plan({
    named: true,
    primary: 's3',
    connections: [
      spec('hub', { region: 'us-east-1' }),
      spec('s3', { source: 'hub', region: 'eu-west-1' }),
      spec('notify', { source: 'hub', region: 'us-west-2' }),
    ],
    ...overrides,
  });
}

const web: BaseCredentials = {
  kind: 'web-identity',
  token: 'eyJ.token.sig',
  origin: 'o',
  claims: CLAIMS,
};

describe('renderSummary', () => {
  test('a chain: the base, then one block per hop; only the last is exported', () => {
    const p = chainPlan(2);
    const r = resolved(p);
    expect(renderSummary(p, r, { ...VIEW, laterSteps: later(p, r) })).toBe(
      [
        '### AWS connection',
        '',
        '**Base:** static keys from aws-access-key-id / aws-secret-access-key',
        '',
        '**Role 1 of 2** · `arn:aws:iam::123456789012:role/hop1`',
        '',
        '- External ID sent: `github:1111:2222:chain:1:hop1`',
        '- Region `eu-west-1` · expires **14:05 UTC** (in 60 min)',
        '- Used to assume role 2; not exported',
        '',
        '**Role 2 of 2** · `arn:aws:iam::123456789012:role/hop2`',
        '',
        '- External ID sent: `github:1111:2222:chain:2:hop2`',
        '- Region `eu-west-1` · expires **14:05 UTC** (in 60 min)',
        '- Later steps get it: see below',
        '',
        '**Later steps get**',
        '',
        '- Naming no profile: `arn:aws:sts::123456789012:assumed-role/hop2/GitHubActions` in `eu-west-1` (the `AWS_*` variables)',
        '- Set: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`, `AWS_REGION`, `AWS_DEFAULT_REGION`',
        '',
      ].join('\n'),
    );
  });

  const oidc = { base: { kind: 'oidc', audience: 'sts.amazonaws.com' } } as const;
  const webHop = hop(1);
  delete webHop.externalId;

  test.each<[string, Plan, Partial<SummaryView>, string[], string[]]>([
    [
      'named connections: their regions, sources and profiles; the primary is also in AWS_*',
      named(),
      {},
      [
        '**Connection `s3`** · `arn:aws:iam::123456789012:role/s3`\n\n- Assumed from connection `hub`',
        '- Region `us-west-2` · expires',
        '- Not exported: it only feeds other connections (`export: true` exports it)\n',
        '- Use: `--profile s3`, or name no profile\n',
        '- Naming no profile: `arn:aws:sts::123456789012:assumed-role/s3/GitHubActions` in `eu-west-1` (the `AWS_*` variables)',
        '- `--profile notify`: `arn:aws:sts::123456789012:assumed-role/notify/GitHubActions` in `us-west-2`',
      ],
      ['Role 1'],
    ],
    [
      'named connections with no variables: profiles only',
      named(),
      {},
      ['- Use: `--profile notify`\n'],
      ['`AWS_PROFILE=s3`'],
    ],
    [
      'refresh on, with keys: until the end of refresh-window; the default profile renews',
      chainPlan(1, { refresh: true }),
      {
        refresh: {
          from: 'session credentials (refresh-window)',
          until: new Date('2030-01-01T19:05:00Z'),
        },
      },
      [
        '**Refresh on:** `credential_process` renews the profiles from session credentials (refresh-window), until **19:05 UTC** (in 6 h), the end of `refresh-window`.',
        '- Naming no profile: `arn:aws:sts::123456789012:assumed-role/hop1/GitHubActions` in `eu-west-1` (the `default` profile)',
        '- `--profile aws-connection`: `arn:aws:sts::123456789012:assumed-role/hop1/GitHubActions` in `eu-west-1`',
      ],
      ['AWS_ACCESS_KEY_ID'],
    ],
    [
      'refresh on, from OIDC: for as long as the job runs; named profiles',
      named({ refresh: true, ...oidc }),
      { refresh: { from: 'a fresh GitHub OIDC token each time' } },
      [
        'from a fresh GitHub OIDC token each time, for as long as the job runs.',
        '- Naming no profile: `arn:aws:sts::123456789012:assumed-role/s3/GitHubActions` in `eu-west-1` (the `default` profile)',
      ],
      ['`--profile hub`:'],
    ],
    [
      "an OIDC base: the token's sub; a web identity hop sends no external ID",
      chainPlan(1, { connections: [webHop], ...oidc }),
      { base: web },
      [
        '**Base:** a GitHub OIDC token for audience sts.amazonaws.com, `sub` `repo:octo@4040/app@100200300:ref:refs/heads/main`',
        '- No external ID (web identity)',
      ],
      ['External ID sent'],
    ],
    [
      'another time zone, and a day that is not today',
      chainPlan(1),
      { timeZone: 'Australia/Brisbane' },
      ['expires **2 Jan, 00:05 GMT+10** (in 60 min)'],
      ['UTC'],
    ],
    [
      'output-env-credentials: false',
      chainPlan(1, { outputEnvCredentials: false }),
      {},
      ['- Naming no profile: no credentials in `eu-west-1`'],
      ['`AWS_ACCESS_KEY_ID`'],
    ],
    [
      'mask-aws-account-id: no account ID anywhere',
      named({ maskAccountId: true }),
      {},
      ['`arn:aws:iam::***:role/hub`'],
      ['123456789012'],
    ],
  ])('%s', (_what, p, view, shown, absent) => {
    const r = resolved(p);
    const md = renderSummary(p, r, { ...VIEW, laterSteps: later(p, r, p.refresh), ...view });
    for (const text of shown) expect(md).toContain(text);
    for (const text of absent) expect(md).not.toContain(text);
    expect(md).not.toMatch(/secret-of|token-of|ASIA|\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });

  test('an identity is shown only when it is not the plain session of the role', () => {
    const p = chainPlan(1);
    const r = resolved(p);
    expect(renderSummary(p, r, VIEW)).not.toContain('Identity');
    const c = r.connections[0];
    if (c) c.session.arn = 'arn:aws:sts::123456789012:assumed-role/hop1/other-session';
    expect(renderSummary(p, r, VIEW)).toContain(
      '- Identity `arn:aws:sts::123456789012:assumed-role/hop1/other-session`',
    );
  });

  test.each<[string, Plan, Resolution, string[]]>([
    [
      'session credentials of unknown identity',
      plan(),
      { connections: [], primary: { ...session('s', '', IN_AN_HOUR), arn: '' } },
      [
        '- Exported as session credentials (GetSessionToken)',
        '- Expires **14:05 UTC** (in 60 min)',
        '- Naming no profile: no credentials in `eu-west-1` (the `AWS_*` variables)',
      ],
    ],
    [
      'the long-term key, identity known',
      plan({ sessionCredentials: false }),
      { connections: [], primary: { ...session('u'), arn: 'arn:aws:iam::123456789012:user/ci' } },
      [
        '**Base:** static keys from aws-access-key-id / aws-secret-access-key, identity `arn:aws:iam::123456789012:user/ci`',
        '- Exported as the long-term key itself',
      ],
    ],
  ])('no role: %s', (_what, p, r, shown) => {
    const md = renderSummary(p, r, { ...VIEW, laterSteps: later(p, r) });
    for (const text of shown) expect(md).toContain(text);
  });
});

describe('when and fromNow', () => {
  test.each<[number, string]>([
    [60 * 60_000, 'in 60 min'],
    [89 * 60_000, 'in 89 min'],
    [6 * 3600_000, 'in 6 h'],
    [90 * 60_000, 'in 1 h 30 min'],
    [-5 * 60_000, '5 min ago'],
    [20_000, 'in 0 min'],
  ])('%d ms: %s', (ms, text) => {
    expect(fromNow(ms)).toBe(text);
  });

  test.each<[string, string, string]>([
    ['2030-01-01T14:05:00Z', 'UTC', '**14:05 UTC** (in 60 min)'],
    ['2030-01-02T01:05:00Z', 'UTC', '**2 Jan, 01:05 UTC** (in 12 h)'],
    ['2030-01-01T14:05:00Z', 'America/New_York', '**09:05 EST** (in 60 min)'],
  ])('%s in %s', (iso, timeZone, text) => {
    expect(when(new Date(iso), { now: NOW, timeZone })).toBe(text);
  });

  test('UTC, formatted by hand, reads as Intl would write it, in every month', () => {
    const intl = (d: Date, o: Intl.DateTimeFormatOptions, locale: string): string =>
      new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...o }).format(d);
    for (let month = 0; month < 12; month++) {
      const date = new Date(Date.UTC(2030, month, 9, 7, 3));
      const time = intl(date, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, 'en-US');
      const day = `${date.getUTCDate()} ${intl(date, { month: 'short' }, 'en-US')}`;
      const now = new Date(date.getTime() - 3600_000);
      expect(when(date, { now, timeZone: 'UTC' })).toBe(`**${time} UTC** (in 60 min)`);
      const dayBefore = new Date(date.getTime() - 13 * 3600_000);
      expect(when(date, { now: dayBefore, timeZone: 'UTC' })).toBe(
        `**${day}, ${time} UTC** (in 13 h)`,
      );
    }
  });

  test('no zone asked: the local time of the runner, by hand where it is UTC', () => {
    const date = new Date('2030-01-01T14:05:00Z');
    const text = when(date, { now: NOW });
    if (date.getTimezoneOffset() === 0) expect(text).toBe('**14:05 UTC** (in 60 min)');
    else expect(text).toMatch(/^\*\*\d\d:\d\d \S+\*\* \(in 60 min\)$/);
  });
});

describe('renderFailureSummary', () => {
  const deployer = hop(2);
  const webHop1 = hop(1, {
    role: { ...deployer.role, name: 'web', arn: 'arn:aws:iam::123456789012:role/web' },
  });
  delete webHop1.externalId;

  test.each<[string, unknown, FailureContext, boolean, string[], string[]]>([
    [
      'AccessDenied on a chained hop: the role, the external ID sent, what the trust policy must allow',
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::123456789012:assumed-role/hop1/s is not authorized',
      ),
      {
        label: 'role 2 of 2',
        spec: deployer,
        base: STATIC_BASE,
        signerArn: 'arn:aws:iam::123456789012:role/hop1',
      },
      false,
      [
        '### AWS connection failed\n\n**Role 2 of 2** · `arn:aws:iam::123456789012:role/hop2`: `AccessDenied`',
        '- STS said: User: `arn:aws:sts::123456789012:assumed-role/hop1/s` is not authorized',
        '- External ID sent: `github:1111:2222:chain:2:hop2`',
        'Nothing was exported',
        '**To fix:** the trust policy of `arn:aws:iam::123456789012:role/hop2` must allow sts:AssumeRole for `arn:aws:iam::123456789012:role/hop1` with the condition StringEquals sts:ExternalId = `github:1111:2222:chain:2:hop2`.',
      ],
      ['The token sent'],
    ],
    [
      "an OIDC refusal: the token's claims and the statement as a JSON block",
      awsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      { label: 'role 1 of 1', spec: webHop1, base: web, web: true },
      false,
      [
        '- No external ID sent (AssumeRoleWithWebIdentity takes none)',
        '| `sub` | `repo:octo@4040/app@100200300:ref:refs/heads/main` (immutable form) |',
        '| `aud` | `sts.amazonaws.com` |',
        '| `repository` | `octo/app` |',
        'The `sub` has the immutable form: ',
        '```json\n{\n  "Effect": "Allow",\n  "Principal": {\n    "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"\n  },',
        '"token.actions.githubusercontent.com:sub": "repo:octo@4040/app@100200300:ref:refs/heads/main"',
      ],
      ['External ID sent'],
    ],
    [
      'mask-aws-account-id: the statement and the message show no account',
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::999988887777:assumed-role/x/s is not authorized',
      ),
      { label: 'role 1 of 1', spec: webHop1, base: web, web: true },
      true,
      ['"Federated": "arn:aws:iam::***:oidc-provider/', '`arn:aws:sts::***:assumed-role/x/s`'],
      ['123456789012', '999988887777'],
    ],
  ])('%s', (_what, err, ctx, masked, shown, absent) => {
    const e = explainFailure(err, ctx);
    const md = renderFailureSummary('the log line', e, masked);
    for (const text of shown) expect(md).toContain(text);
    for (const text of absent) expect(md).not.toContain(text);
    // The statement in the summary is valid JSON.
    const json = /```json\n([\s\S]*?)\n```/.exec(md)?.[1];
    if (json !== undefined) expect(() => JSON.parse(json) as unknown).not.toThrow();
  });

  test.each<[string, boolean, string]>([
    [
      'role-to-assume: "arn:aws:iam::12:role/x" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
      false,
      '> role-to-assume: `arn:aws:iam::12:role/x` is not an IAM role ARN (arn:aws:iam::\\<12-digit account\\>:role/\\<name\\>)\n',
    ],
    [
      'allowed-account-ids: role 1 of 1 resolved to account "123456789012", which is not in the list (111111111111)',
      true,
      '> allowed-account-ids: role 1 of 1 resolved to account `***`, which is not in the list (***)\n',
    ],
    ['a *star* and a [link](x) stay text', false, '> a \\*star\\* and a \\[link\\](x) stay text\n'],
  ])('any other error: the message, as text: %s', (message, masked, line) => {
    expect(renderFailureSummary(message, undefined, masked)).toBe(
      `### AWS connection failed\n\n${line}`,
    );
  });
});

test('an explanation without a hint or a role (the base credentials)', () => {
  const md = renderFailureSummary(
    'x',
    explainFailure(awsError('Throttling', 'Rate exceeded'), {
      label: 'base credentials',
      base: STATIC_BASE,
    }),
    false,
  );
  expect(md).toContain('**Base credentials**: `Throttling`');
  expect(md).not.toContain('To fix');
  expect(md).not.toContain('External ID');
});
