import { describe, expect, it } from 'vitest';
import type { ParseContext } from '../src/args.js';
import * as doctor from '../src/commands/doctor/index.js';
import * as exec from '../src/commands/exec/index.js';
import * as login from '../src/commands/login/index.js';
import * as logout from '../src/commands/logout/index.js';
import * as profiles from '../src/commands/profiles/index.js';
import * as refresh from '../src/commands/refresh/index.js';
import * as status from '../src/commands/status/index.js';
import * as token from '../src/commands/token/index.js';
import * as twoLegged from '../src/commands/two-legged/index.js';
import { ExitCode } from '../src/exit-codes.js';

const terminal: ParseContext = { stdoutIsTTY: true, stderrIsTTY: true, stdinIsTTY: true };
const piped: ParseContext = { stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false };

describe('login parse', () => {
  const base = {
    profile: undefined,
    scopes: undefined,
    callbackUrl: undefined,
    open: true,
    manual: false,
    timeoutMs: undefined,
  };
  it.each([
    ['terminal, no flags', terminal, [], { ...base, format: 'table', spinner: true }],
    ['piped, no flags', piped, [], { ...base, format: 'tsv', spinner: false }],
    ['terminal --json', terminal, ['--json'], { ...base, format: 'json', spinner: true }],
    ['terminal --no-open', terminal, ['--no-open'], { ...base, open: false, format: 'table', spinner: true }],
    // --manual reads a pasted line: no spinner over the prompt, even on a terminal.
    [
      'terminal --manual',
      terminal,
      ['--manual'],
      { ...base, open: false, manual: true, format: 'table', spinner: false },
    ],
    [
      'piped --manual',
      piped,
      ['--manual'],
      { ...base, open: false, manual: true, format: 'tsv', spinner: false },
    ],
    [
      'every value flag',
      piped,
      [
        '--profile',
        'work',
        '--scopes=data:read data:write',
        '--callback-url',
        'http://localhost:3000/cb',
        '--timeout',
        '90',
      ],
      {
        ...base,
        profile: 'work',
        scopes: 'data:read data:write',
        callbackUrl: 'http://localhost:3000/cb',
        timeoutMs: 90_000,
        format: 'tsv',
        spinner: false,
      },
    ],
  ] as const)('%s', (_name, context, argv, expected) => {
    expect(login.parse(argv, context)).toEqual(expected);
  });

  it.each([
    [['--manual', '--no-open'], '--manual already prints the URL; drop --no-open.'],
    [['--timeout', '0'], '--timeout must be from 1 to 2147483 seconds, got "0".'],
    [['--timeout', '0.0001'], '--timeout must be from 1 to 2147483 seconds, got "0.0001".'],
    [['--timeout', '0.5'], '--timeout must be from 1 to 2147483 seconds, got "0.5".'],
    [['--timeout', '3000000'], '--timeout must be from 1 to 2147483 seconds, got "3000000".'],
    [['--timeout', '2147483.5'], '--timeout must be from 1 to 2147483 seconds, got "2147483.5".'],
    [['--timeout', 'soon'], '--timeout must be a number of seconds, got "soon".'],
    [
      ['--profile', '../x'],
      '--profile: Invalid profile name "../x": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    ],
    [
      ['--profile', '.hidden'],
      '--profile: Invalid profile name ".hidden": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    ],
    [['--callback-url', 'not a url'], '--callback-url (from the command line) is not a valid URL.'],
    [
      ['--callback-url', 'ftp://localhost:8080/cb'],
      '--callback-url "ftp://localhost:8080/cb" (from the command line) must use http or https.',
    ],
    [
      ['--callback-url', 'http://localhost:8080/cb#x'],
      '--callback-url "http://localhost:8080/cb#x" (from the command line) must not contain a fragment (#).',
    ],
    [['--timeout'], '--timeout needs a value.'],
    [['--profile', '--json'], '--profile needs a value.'],
    [['--profile', ''], '--profile needs a value.'],
    [['--open'], 'unknown option "--open".'],
    [['-x'], 'unknown option "-x".'],
    [['--json=yes'], '--json takes no value.'],
    [['--json', '--json'], '--json was given twice.'],
    [['extra'], 'unexpected argument "extra".'],
  ])('%j is a usage error', (argv, message) => {
    for (const context of [terminal, piped]) {
      expect(() => login.parse(argv, context)).toThrow(
        expect.objectContaining({ message, exitCode: ExitCode.USAGE }),
      );
    }
  });
});

describe('--timeout bounds, --profile and --callback-url in every command', () => {
  it('accepts 1 and 2147483 seconds', () => {
    expect(login.parse(['--timeout', '1'], piped).timeoutMs).toBe(1000);
    expect(login.parse(['--timeout', '2147483'], piped).timeoutMs).toBe(2_147_483_000);
  });

  it('a malformed --profile is a usage error (exit 2) in every command that takes one', () => {
    for (const command of [login, token, refresh, logout, twoLegged, status, doctor]) {
      expect(() =>
        command.parse(
          ['--profile', '../x', '--scopes', 'data:read'].slice(0, command === twoLegged ? 4 : 2),
          piped,
        ),
      ).toThrow(
        expect.objectContaining({
          exitCode: ExitCode.USAGE,
          message: expect.stringMatching(/^--profile: Invalid profile name/),
        }),
      );
    }
    expect(() => exec.parse(['--profile', '../x', '--', 'true'], piped)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.USAGE }),
    );
    expect(() => doctor.parse(['--callback-url', 'not a url'], piped)).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.USAGE,
        message: expect.stringMatching(/^--callback-url/),
      }),
    );
  });
});

describe('token, refresh, logout, two-legged parse', () => {
  it.each([
    [token, [], { profile: undefined, scopes: undefined, json: false }],
    [
      token,
      ['--scopes', 'viewables:read', '--json'],
      { profile: undefined, scopes: 'viewables:read', json: true },
    ],
    [token, ['--profile=ci'], { profile: 'ci', scopes: undefined, json: false }],
    [refresh, ['--json'], { profile: undefined, json: true }],
    [logout, ['--profile', 'p1'], { profile: 'p1', json: false }],
    [twoLegged, ['--scopes', 'data:read'], { profile: undefined, scopes: 'data:read', json: false }],
  ] as const)('%#: parses the same on a terminal and in a pipe', (command, argv, expected) => {
    expect(command.parse(argv, terminal)).toEqual(expected);
    expect(command.parse(argv, piped)).toEqual(expected);
  });

  it('two-legged needs --scopes', () => {
    expect(() => twoLegged.parse([], piped)).toThrow('--scopes is required.');
  });
});

describe('status, doctor, profiles: the output format follows stdout', () => {
  it.each([
    [status, [], terminal, { profile: undefined, format: 'table' }],
    [status, [], piped, { profile: undefined, format: 'tsv' }],
    [status, ['--json'], terminal, { profile: undefined, format: 'json' }],
    [doctor, [], terminal, { profile: undefined, callbackUrl: undefined, format: 'table' }],
    [
      doctor,
      ['--callback-url', 'http://localhost:1/x'],
      piped,
      { profile: undefined, callbackUrl: 'http://localhost:1/x', format: 'tsv' },
    ],
    [profiles, [], terminal, { format: 'table' }],
    [profiles, ['--json'], piped, { format: 'json' }],
  ] as const)('%#', (command, argv, context, expected) => {
    expect(command.parse(argv, context)).toEqual(expected);
  });
});

describe('exec parse', () => {
  it.each([
    [
      ['--', 'node', '-e', '1'],
      { profile: undefined, scopes: undefined, command: 'node', args: ['-e', '1'] },
    ],
    [
      ['--profile', 'ci', '--', 'sh', '-c', 'x'],
      { profile: 'ci', scopes: undefined, command: 'sh', args: ['-c', 'x'] },
    ],
    // Without `--`, the first argument that is not a flag starts the command; its own flags stay its own.
    [
      ['--scopes', 'data:read', 'curl', '--json', '-H', 'x'],
      { profile: undefined, scopes: 'data:read', command: 'curl', args: ['--json', '-H', 'x'] },
    ],
    [['env'], { profile: undefined, scopes: undefined, command: 'env', args: [] }],
  ] as const)('%j', (argv, expected) => {
    expect(exec.parse(argv, terminal)).toEqual(expected);
    expect(exec.parse(argv, piped)).toEqual(expected);
  });

  it.each([[[]], [['--']], [['--profile', 'x']], [['--bogus', '--', 'ls']]])(
    '%j is a usage error',
    (argv) => {
      expect(() => exec.parse(argv, piped)).toThrow(expect.objectContaining({ exitCode: ExitCode.USAGE }));
    },
  );
});
