/**
 * The AWS config and credentials files the step writes when later steps get profiles. They
 * replace the files earlier steps pointed at, so they carry those files' profiles on
 * (several steps leave several working profiles), except the names this step defines and the
 * `default` profile, which is always this step's: what a plain step resolves is what the log
 * says. Pure: the earlier files' text is given.
 */
import type { Credentials } from '../../aws/credentials.js';
import { DEFAULT_PROFILE } from './environment.js';

/** One profile: its region, and keys or a credential_process command (or neither). */
export interface ProfileEntry {
  name: string;
  region: string;
  credentials?: Credentials;
  credentialProcess?: string;
}

/** The text of the files in effect before the step (undefined: none). */
export interface CarriedFiles {
  config?: string;
  credentials?: string;
}

/** The two files' contents. */
export interface ProfileFiles {
  config: string;
  credentials: string;
}

/** A section of an INI file: its header line's name (undefined before the first) and its lines. */
interface Section {
  header?: string;
  lines: string[];
}

const HEADER = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/;

function sections(text: string): Section[] {
  const result: Section[] = [{ lines: [] }];
  for (const line of text.split(/\r?\n/)) {
    const header = HEADER.exec(line)?.[1];
    if (header !== undefined) result.push({ header, lines: [line] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** The profile a config-file section header names (`default`, `profile x`), or undefined. */
function configProfile(header: string): string | undefined {
  if (header === DEFAULT_PROFILE) return DEFAULT_PROFILE;
  const m = /^profile\s+(.+)$/.exec(header);
  if (m) return m[1];
  // `[sso-session x]`, `[services x]` and the like are not profiles.
  return /\s/.test(header) ? undefined : header;
}

/**
 * The profiles of an earlier config file that the step carries on (all but `default` and
 * `drop`), each with its own region (undefined: none).
 */
export function carriedProfiles(
  config: string | undefined,
  drop: ReadonlySet<string>,
): { name: string; region?: string }[] {
  if (config === undefined) return [];
  return sections(config).flatMap((s) => {
    const name = s.header === undefined ? undefined : configProfile(s.header);
    if (name === undefined || name === DEFAULT_PROFILE || drop.has(name)) return [];
    const region = regionsOf(s.lines)[0];
    return [region === undefined ? { name } : { name, region }];
  });
}

/**
 * Every region the profiles of an earlier config file name, `default` included: a region the
 * step would hide for good if it set AWS_REGION, which no step can unset.
 */
export function configRegions(config: string | undefined): string[] {
  if (config === undefined) return [];
  return sections(config).flatMap((s) =>
    s.header !== undefined && configProfile(s.header) !== undefined ? regionsOf(s.lines) : [],
  );
}

function regionsOf(lines: string[]): string[] {
  return lines.flatMap((l) => {
    const region = /^\s*region\s*=\s*(\S+)\s*$/.exec(l)?.[1];
    return region === undefined ? [] : [region];
  });
}

/** The earlier file (config or credentials) that defines profile `name`, if one does. */
export function definingFile(
  name: string,
  carried: CarriedFiles,
): 'config' | 'credentials' | undefined {
  const defines = (text: string | undefined, profileOf: (h: string) => string | undefined) =>
    text !== undefined &&
    sections(text).some((s) => s.header !== undefined && profileOf(s.header) === name);
  if (defines(carried.config, configProfile)) return 'config';
  if (defines(carried.credentials, (h) => h)) return 'credentials';
  return undefined;
}

/** An earlier file's text without the sections of `drop`'s profiles. */
function carry(
  text: string | undefined,
  profileOf: (header: string) => string | undefined,
  drop: ReadonlySet<string>,
): string {
  if (text === undefined) return '';
  const kept = sections(text).filter((s) => {
    if (s.header === undefined) return true;
    const profile = profileOf(s.header);
    return profile === undefined || !drop.has(profile);
  });
  const body = kept
    .flatMap((s) => s.lines)
    .join('\n')
    .trim();
  return body === '' ? '' : `${body}\n`;
}

/**
 * The config and credentials files: `default` (a plain step's profile), the profiles carried
 * from the earlier files, then this step's profiles.
 */
export function renderProfileFiles(
  defaultProfile: Omit<ProfileEntry, 'name'>,
  profiles: readonly ProfileEntry[],
  carried: CarriedFiles,
): ProfileFiles {
  const ours = [{ ...defaultProfile, name: DEFAULT_PROFILE }, ...profiles];
  const drop = new Set(ours.map((p) => p.name));
  const config = [
    ...ours.slice(0, 1).map(configSection),
    carry(carried.config, configProfile, drop),
    ...ours.slice(1).map(configSection),
  ];
  const credentials = [
    ...ours.slice(0, 1).map(credentialsSection),
    carry(carried.credentials, (h) => h, drop),
    ...ours.slice(1).map(credentialsSection),
  ];
  return { config: joinSections(config), credentials: joinSections(credentials) };
}

function configSection(p: ProfileEntry): string {
  const header = p.name === DEFAULT_PROFILE ? `[${DEFAULT_PROFILE}]` : `[profile ${p.name}]`;
  const lines = [header, `region = ${p.region}`];
  if (p.credentialProcess !== undefined) lines.push(`credential_process = ${p.credentialProcess}`);
  return `${lines.join('\n')}\n`;
}

function credentialsSection(p: ProfileEntry): string {
  const c = p.credentials;
  if (!c) return '';
  const lines = [
    `[${p.name}]`,
    `aws_access_key_id = ${c.accessKeyId}`,
    `aws_secret_access_key = ${c.secretAccessKey}`,
  ];
  if (c.sessionToken !== undefined) lines.push(`aws_session_token = ${c.sessionToken}`);
  return `${lines.join('\n')}\n`;
}

function joinSections(parts: string[]): string {
  return parts.filter((p) => p !== '').join('\n');
}
