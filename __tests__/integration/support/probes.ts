/**
 * Later-step tools as probes: the AWS CLI v1, boto3 and the AWS SDK for JavaScript v3 under
 * Node 24, each run as a later step runs it (its own process, the job's environment) and
 * asked GetCallerIdentity through the test proxy. What each resolved is read off the request
 * itself: the identity from the answer, the region from the signature's scope
 * (`Credential=AKID/DATE/REGION/sts/aws4_request`), so a probe reports the region the tool
 * actually used, not what it says it would use. Each probe marks its requests through
 * AWS_EXECUTION_ENV, which every one of these tools puts in its User-Agent.
 */
import { spawn, spawnSync } from 'node:child_process';
import { NODE24 } from './nodes.js';
import type { StsProxy } from './proxy.js';

/** The tools a later step runs. */
export const TOOLS = ['aws-cli', 'boto3', 'js-sdk'] as const;
export type Tool = (typeof TOOLS)[number];

/** What a tool resolved: an identity and the region it signed for, or why it could not. */
export type Resolved = { arn: string; region: string } | { error: string };

/** The interpreter of the AWS CLI v1 and boto3 (HOME is a fresh folder in the steps). */
const PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout.trim();

const BOTO3 = `
import boto3, sys
profile = sys.argv[1] or None
session = boto3.Session(profile_name=profile)
print(session.client('sts').get_caller_identity()['Arn'])
`;

const JS_SDK = `
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
const profile = process.argv[1];
const sts = new STSClient({ maxAttempts: 1, ...(profile ? { profile } : {}) });
const out = await sts.send(new GetCallerIdentityCommand({}));
console.log(out.Arn);
`;

let seq = 0;

function command(tool: Tool, profile: string | undefined): [string, string[]] {
  switch (tool) {
    case 'aws-cli':
      return [
        PYTHON,
        [
          '-m',
          'awscli',
          'sts',
          'get-caller-identity',
          '--query',
          'Arn',
          '--output',
          'text',
          ...(profile ? ['--profile', profile] : []),
        ],
      ];
    case 'boto3':
      return [PYTHON, ['-c', BOTO3, profile ?? '']];
    case 'js-sdk':
      return [NODE24, ['--input-type=module', '-e', JS_SDK, profile ?? '']];
  }
}

function exec(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Runs one tool as a later step with `env`, naming `profile` (or none). */
export async function probe(
  proxy: StsProxy,
  tool: Tool,
  env: Record<string, string>,
  profile?: string,
): Promise<Resolved> {
  const marker = `probe-${process.pid}-${++seq}`;
  const [cmd, args] = command(tool, profile);
  const r = await exec(cmd, args, { ...env, AWS_EXECUTION_ENV: marker });
  if (r.code !== 0) {
    // The error's own line: the CLI prints one line, Python and Node a trace around it.
    const lines = r.stderr.trim().split('\n');
    const error = lines.find((l) => /^\S*(Error|error)\b|^\S+Error:/.test(l.trim()));
    return { error: (error ?? lines.at(-1) ?? `exit ${String(r.code)}`).trim() };
  }
  const request = proxy.requests.find(
    (q) => q.action === 'GetCallerIdentity' && (q.headers['user-agent'] ?? '').includes(marker),
  );
  const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/sts\//.exec(
    request?.headers['authorization'] ?? '',
  )?.[1];
  if (region === undefined) return { error: `no signed request of ${tool} reached the proxy` };
  return { arn: r.stdout.trim(), region };
}

/** Every tool, side by side, run together. */
export async function probeAll(
  proxy: StsProxy,
  env: Record<string, string>,
  profile?: string,
): Promise<Record<Tool, Resolved>> {
  const results = await Promise.all(TOOLS.map((tool) => probe(proxy, tool, env, profile)));
  return Object.fromEntries(TOOLS.map((tool, i) => [tool, results[i]])) as Record<Tool, Resolved>;
}

/** What a step's log says a later step gets: naming no profile, and naming each profile. */
export interface LoggedLaterSteps {
  /** undefined identity: the log says no credentials. */
  plain: { arn?: string; region: string };
  profiles: Record<string, { arn: string; region: string }>;
  /** Profiles an earlier step left, carried on: the region they now resolve in. */
  carried: Record<string, string>;
}

/** Reads the "Later steps get:" lines of a main step's log. */
export function loggedLaterSteps(stdout: string): LoggedLaterSteps {
  const lines = stdout.split('\n');
  const start = lines.indexOf('Later steps get:');
  if (start < 0) throw new Error('the step logged no "Later steps get:" lines');
  const plain = /^ {2}naming no profile: (\S+(?: credentials)?) in (\S+)/.exec(
    lines[start + 1] ?? '',
  );
  if (!plain) throw new Error(`unexpected line: ${lines[start + 1] ?? ''}`);
  const result: LoggedLaterSteps = {
    plain: {
      ...(plain[1] !== 'no credentials' && { arn: plain[1] ?? '' }),
      region: plain[2] ?? '',
    },
    profiles: {},
    carried: {},
  };
  for (const line of lines.slice(start + 2)) {
    const carried = /^ {2}--profile (\S+): as an earlier step left it, in (\S+)$/.exec(line);
    const m = /^ {2}--profile (\S+): (\S+) in (\S+)$/.exec(line);
    if (carried) result.carried[carried[1] ?? ''] = carried[2] ?? '';
    else if (m) result.profiles[m[1] ?? ''] = { arn: m[2] ?? '', region: m[3] ?? '' };
    else break;
  }
  return result;
}

/**
 * What every tool must resolve for `expected`: the identity and region, or no credentials
 * (and, with region `none`, perhaps no region either).
 */
export function agreeing(expected: { arn?: string; region: string }): Record<Tool, unknown> {
  const nothing = expected.region === 'none' ? /credentials|region/i : /credentials/i;
  const one: unknown =
    expected.arn === undefined
      ? { error: expect.stringMatching(nothing) as unknown }
      : { arn: expected.arn, region: expected.region };
  return { 'aws-cli': one, boto3: one, 'js-sdk': one };
}
