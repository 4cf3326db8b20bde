/** src/connect/refresh/config.ts: profile names, refresh.json, and the quoted credential_process line. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHAIN_ENV_UNSET, chainPlan, plan, spec } from '../../../../__fixtures__/plans.js';
import {
  CHAIN_PROFILE,
  credentialProcess,
  lineage,
  parseRefreshConfig,
  parseSessionFile,
  primaryRefreshProfile,
  quoteArg,
  refreshProfileNames,
  type RefreshConfig,
} from '../../../../src/connect/refresh/config.js';

const named = [
  spec('hub'),
  spec('deployer', { source: 'hub' }),
  spec('notify', { source: 'hub', region: 'us-east-1' }),
];

describe('profile names', () => {
  test('a chain is one profile, aws-connection, for its last hop', () => {
    const p = chainPlan(3);
    expect(refreshProfileNames(p)).toEqual([[CHAIN_PROFILE, 'chain-3']]);
    expect(primaryRefreshProfile(p)).toBe('aws-connection');
  });

  test('exported connections are a profile each (not the hub); plain steps get the primary, else none', () => {
    const p = plan({ named: true, connections: named, primary: 'deployer' });
    expect(refreshProfileNames(p)).toEqual([
      ['deployer', 'deployer'],
      ['notify', 'notify'],
    ]);
    expect(primaryRefreshProfile(p)).toBe('deployer');
    expect(primaryRefreshProfile(plan({ named: true, connections: named }))).toBeUndefined();
    const exported = named.map((c) => (c.name === 'hub' ? { ...c, export: true } : c));
    expect(refreshProfileNames(plan({ named: true, connections: exported }))[0]).toEqual([
      'hub',
      'hub',
    ]);
  });
});

describe('quoteArg', () => {
  test.each<[string, NodeJS.Platform, string]>([
    ['/usr/bin/node', 'linux', '/usr/bin/node'],
    ['--profile', 'linux', '--profile'],
    [
      '/home/runner/work/_temp/aws-connection-1a2b/refresh.json',
      'linux',
      '/home/runner/work/_temp/aws-connection-1a2b/refresh.json',
    ],
    ['/tmp/with space/refresh.json', 'linux', "'/tmp/with space/refresh.json'"],
    ["/tmp/it's/refresh.json", 'darwin', "'/tmp/it'\\''s/refresh.json'"],
    ['/tmp/$HOME/`x`/"q"\\b', 'linux', '\'/tmp/$HOME/`x`/"q"\\b\''],
    ['C:\\hostedtoolcache\\node.exe', 'win32', '"C:\\hostedtoolcache\\node.exe"'],
    ['D:\\a\\_temp\\my dir\\refresh.json', 'win32', '"D:\\a\\_temp\\my dir\\refresh.json"'],
  ])('%j on %s -> %s', (arg, platform, quoted) => {
    expect(quoteArg(arg, platform)).toBe(quoted);
  });

  test.each<[string, NodeJS.Platform]>([
    ['', 'linux'],
    ['/tmp/a\nb', 'linux'],
    ['/tmp/a\u0000b', 'linux'],
    ['/tmp/a #b', 'linux'],
    ['/tmp/a ;b', 'linux'],
    ['/tmp/a\t#b', 'darwin'],
    ['C:\\a "b"', 'win32'],
    ['C:\\%TEMP%\\x', 'win32'],
  ])('refuses %j on %s', (arg, platform) => {
    expect(() => quoteArg(arg, platform)).toThrow(/cannot be/);
  });

  // What the consumers do with the line: /bin/sh -c (the JS SDK) and shlex.split (the AWS CLI).
  const nasty = ['/tmp/a b/node', "/tmp/it's/index.js", '/tmp/$HOME/`id`/"x"\\y/refresh.json'];
  const line = nasty.map((a) => quoteArg(a, 'linux')).join(' ');

  // Windows has no /bin/sh; there the Windows tests below are the ones that matter.
  (existsSync('/bin/sh') ? test : test.skip)('sh gives back every argument', () => {
    const out = spawnSync('/bin/sh', ['-c', `for a in ${line}; do printf '%s\\n' "$a"; done`], {
      encoding: 'utf8',
    });
    expect(out.stdout.split('\n').slice(0, -1)).toEqual(nasty);
  });

  const python = spawnSync('python3', ['-c', 'import shlex'], { encoding: 'utf8' }).status === 0;
  (python ? test : test.skip)('python shlex.split gives back every argument', () => {
    const out = spawnSync(
      'python3',
      ['-c', 'import json, shlex, sys; print(json.dumps(shlex.split(sys.stdin.read())))'],
      {
        input: line,
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out.stdout)).toEqual(nasty);
  });
});

/**
 * What a Windows consumer makes of a credential_process line. The JS SDK runs it with
 * `cmd.exe /d /s /c`, which expands `%NAME%` even inside double quotes and, outside them,
 * takes `^ & | < > ( )` as its own; node.exe then splits its command line by the C runtime's
 * rules, which botocore's `_windows_shell_split` (the AWS CLI, no cmd.exe) also follows: only
 * space and tab separate, `"` toggles quoting, and backslashes are literal except in a run
 * that ends at a `"` (2n of them give n; 2n+1 give n and a literal quote).
 */
function cmdChanges(line: string): string | undefined {
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '%') return 'cmd.exe expands %';
    else if (!quoted && '^&|<>()'.includes(ch)) return `cmd.exe takes ${ch} outside quotes`;
  }
  return quoted ? 'an unterminated quote' : undefined;
}

function windowsSplit(line: string): string[] {
  const args: string[] = [];
  let buf: string | undefined;
  let quoted = false;
  let slashes = 0;
  for (const ch of line) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      buf = (buf ?? '') + '\\'.repeat(Math.floor(slashes / 2));
      const escaped = slashes % 2 === 1;
      slashes = 0;
      if (escaped) buf += '"';
      else quoted = !quoted;
      continue;
    }
    if (slashes > 0) buf = (buf ?? '') + '\\'.repeat(slashes);
    slashes = 0;
    if ((ch === ' ' || ch === '\t') && !quoted) {
      if (buf !== undefined) args.push(buf);
      buf = undefined;
    } else buf = (buf ?? '') + ch;
  }
  if (slashes > 0) buf = (buf ?? '') + '\\'.repeat(slashes);
  if (buf !== undefined) args.push(buf);
  return args;
}

describe('quoteArg on Windows', () => {
  const paths = [
    'C:\\hostedtoolcache\\windows\\node\\24.11.1\\x64\\node.exe',
    'C:\\Program Files\\nodejs\\node.exe',
    'C:\\Program Files (x86)\\runner\\_work\\_actions\\o\\aws-connection\\v1\\dist\\refresh\\index.js',
    'D:\\a\\_temp\\my dir\\refresh.json',
    "C:\\Users\\O'Brien\\work\\refresh.json",
    'C:\\a^b\\node.exe',
    'C:\\tools & more\\node.exe',
    'C:\\Users\\Zoë Ünal\\node.exe',
    '\\\\server\\share\\runner dir\\node.exe',
    'C:\\a\\\\b\\node.exe',
    'C:\\ends\\with\\backslash\\',
    'C:\\ends with\\two\\\\',
    'D:/forward/slashes/refresh.json',
    'weird=name,with;punctuation',
    'caret^only',
  ];

  test.each(paths)('%j survives cmd.exe and the Windows argument split', (path) => {
    const quoted = quoteArg(path, 'win32');
    expect(cmdChanges(quoted)).toBeUndefined();
    expect(windowsSplit(quoted)).toEqual([path]);
  });

  test('a whole line splits back into its arguments', () => {
    const line = paths.map((p) => quoteArg(p, 'win32')).join(' ');
    expect(cmdChanges(line)).toBeUndefined();
    expect(windowsSplit(line)).toEqual(paths);
  });

  test.each([
    ['C:\\100%\\node.exe', /cannot be quoted for Windows/],
    ['C:\\%TEMP%\\refresh.json', /cannot be quoted for Windows/],
    ['C:\\say "hi"\\node.exe', /cannot be quoted for Windows/],
    ['C:\\a #b\\node.exe', /cannot be written into a credential_process line/],
    ['C:\\a\r\nb', /cannot be written into a credential_process line/],
  ])('refuses %j, which no quoting carries through cmd.exe and the split', (arg, why) => {
    expect(() => quoteArg(arg, 'win32')).toThrow(why);
  });

  test('the model itself catches what an unquoted line would lose', () => {
    expect(cmdChanges('C:\\a^b\\node.exe')).toMatch(/\^/);
    expect(cmdChanges('"C:\\%PATH%"')).toMatch(/%/);
    expect(windowsSplit('"C:\\ends\\"')).toEqual(['C:\\ends"']);
    expect(windowsSplit('C:\\Program Files\\node.exe')).toEqual(['C:\\Program', 'Files\\node.exe']);
  });
});

describe('credentialProcess', () => {
  const where = {
    node: '/opt/node 24/bin/node',
    program: '/actions/aws-connection/v1/dist/refresh/index.js',
    platform: 'linux' as const,
  };

  test('node, the program, the config and the profile', () => {
    expect(credentialProcess(where, '/tmp/_temp/aws-connection-ab/refresh.json', 'deployer')).toBe(
      "'/opt/node 24/bin/node' /actions/aws-connection/v1/dist/refresh/index.js --config /tmp/_temp/aws-connection-ab/refresh.json --profile deployer",
    );
  });

  test('on Windows: paths with spaces and backslashes, split back as node.exe reads them', () => {
    const win = {
      node: 'C:\\Program Files\\nodejs\\node.exe',
      program: 'D:\\a\\_actions\\o\\aws-connection\\v1\\dist\\refresh\\index.js',
      platform: 'win32' as const,
    };
    const config = 'D:\\a\\_temp\\aws connection ab\\refresh.json';
    const line = credentialProcess(win, config, 'deployer');
    expect(line).toBe(
      '"C:\\Program Files\\nodejs\\node.exe" "D:\\a\\_actions\\o\\aws-connection\\v1\\dist\\refresh\\index.js" --config "D:\\a\\_temp\\aws connection ab\\refresh.json" --profile deployer',
    );
    expect(cmdChanges(line)).toBeUndefined();
    expect(windowsSplit(line)).toEqual([
      win.node,
      win.program,
      '--config',
      config,
      '--profile',
      'deployer',
    ]);
  });

  test('on Windows: a % in a path is refused, naming the path', () => {
    const win = {
      node: 'C:\\node\\node.exe',
      program: 'C:\\100%\\index.js',
      platform: 'win32' as const,
    };
    expect(() => credentialProcess(win, 'C:\\t\\refresh.json', 'deployer')).toThrow(
      'cannot be quoted for Windows: "C:\\\\100%\\\\index.js"',
    );
  });

  test('refuses a profile name that would need quoting', () => {
    expect(() => credentialProcess(where, '/tmp/x/refresh.json', 'a b')).toThrow(
      /not a profile name/,
    );
  });
});

describe('refresh.json', () => {
  const config: RefreshConfig = {
    version: 1,
    region: 'eu-west-1',
    stsEndpoint: 'http://127.0.0.1:5000/',
    retryMaxAttempts: 4,
    named: true,
    base: { kind: 'session', origin: 'get-session-token', windowSeconds: 21600 },
    connections: named,
    profiles: { hub: 'hub', deployer: 'deployer', notify: 'notify' },
  };

  test('round-trips through JSON', () => {
    expect(parseRefreshConfig(JSON.stringify(config))).toEqual(config);
  });

  test.each<[string, RefreshConfig['base']]>([
    ['oidc', { kind: 'oidc', audience: 'sts.amazonaws.com' }],
    ['token file', { kind: 'web-identity-file', path: '/w/token' }],
    [
      'credential agent',
      {
        kind: 'agent',
        origin: 'get-session-token',
        windowSeconds: 21600,
        socket: 'agent.sock',
        until: '2030-01-01T00:00:00.000Z',
      },
    ],
    [
      'default chain',
      {
        kind: 'default-chain',
        env: { ...CHAIN_ENV_UNSET, AWS_CONFIG_FILE: '/c' },
      },
    ],
  ])('accepts a %s base', (_, base) => {
    expect(parseRefreshConfig(JSON.stringify({ ...config, base })).base).toEqual(base);
  });

  test.each<[string, unknown]>([
    ['not JSON', '{'],
    ['version 2', { ...config, version: 2 }],
    ['no region', { ...config, region: 1 }],
    ['an unknown base', { ...config, base: { kind: 'magic' } }],
    [
      'a default chain without its variables',
      { ...config, base: { kind: 'default-chain', env: {} } },
    ],
    ['a connection without a role', { ...config, connections: [{ ...named[0], role: undefined }] }],
    ['a profile of no connection', { ...config, profiles: { x: 'nope' } }],
    [
      'an agent socket outside the directory',
      {
        ...config,
        base: {
          ...{
            kind: 'agent',
            origin: 'get-session-token',
            windowSeconds: 21600,
            socket: 'agent.sock',
            until: '2030-01-01T00:00:00.000Z',
          },
          socket: '../x',
        },
      },
    ],
    [
      'an agent socket named ..',
      {
        ...config,
        base: {
          ...{
            kind: 'agent',
            origin: 'get-session-token',
            windowSeconds: 21600,
            socket: 'agent.sock',
            until: '2030-01-01T00:00:00.000Z',
          },
          socket: '..',
        },
      },
    ],
    [
      'an agent without its end',
      {
        ...config,
        base: {
          ...{
            kind: 'agent',
            origin: 'get-session-token',
            windowSeconds: 21600,
            socket: 'agent.sock',
            until: '2030-01-01T00:00:00.000Z',
          },
          until: undefined,
        },
      },
    ],
  ])('refuses %s', (_, value) => {
    expect(() =>
      parseRefreshConfig(typeof value === 'string' ? value : JSON.stringify(value)),
    ).toThrow(/refresh\.json is not one this version of aws-connection wrote/);
  });

  test('session.json: keys, optional token and expiry', () => {
    expect(
      parseSessionFile(
        '{"accessKeyId":"ASIA1","secretAccessKey":"s","sessionToken":"t","expiration":"2030-01-01T00:00:00.000Z"}',
      ),
    ).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: '2030-01-01T00:00:00.000Z',
    });
    expect(() => parseSessionFile('{"accessKeyId":"ASIA1"}')).toThrow(/session\.json/);
    expect(() => parseSessionFile('nope')).toThrow(/session\.json/);
  });
});

describe('lineage', () => {
  test('a connection after its sources, and nothing else', () => {
    const specs = [...named, spec('grandchild', { source: 'deployer' })];
    expect(lineage(specs, 'grandchild').map((s) => s.name)).toEqual([
      'hub',
      'deployer',
      'grandchild',
    ]);
    expect(lineage(specs, 'notify').map((s) => s.name)).toEqual(['hub', 'notify']);
    expect(lineage(specs, 'hub').map((s) => s.name)).toEqual(['hub']);
  });

  test('refuses a missing source and a cycle', () => {
    expect(() => lineage([spec('a', { source: 'gone' })], 'a')).toThrow(
      /source that is not in refresh\.json/,
    );
    expect(() => lineage([spec('a', { source: 'b' }), spec('b', { source: 'a' })], 'a')).toThrow(
      /cycle/,
    );
  });
});
