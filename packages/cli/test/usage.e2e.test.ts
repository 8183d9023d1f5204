import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainUsage } from '../src/commands.js';
import { BIN, runIn, useWorld } from './helpers.js';

// The built bin's usage: --version and --help on stdout (exit 0), and usage errors (exit 2) that name the
// value refused and the help to read.

const world = useWorld();
const run = (args: string[]) => runIn(world, args);

describe('global', () => {
  it('--version and --help print on stdout and exit 0', async () => {
    const pkg = JSON.parse(await readFile(join(BIN, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await run(['--version'])).toEqual({
      code: 0,
      signal: null,
      stdout: `${pkg.version}\n`,
      stderr: '',
    });
    expect(await run(['--help'])).toEqual({ code: 0, signal: null, stdout: mainUsage(), stderr: '' });
  });

  it('no command: the usage on stderr, exit 2; an unknown command: exit 2', async () => {
    expect(await run([])).toEqual({ code: 2, signal: null, stdout: '', stderr: mainUsage() });
    const unknown = await run(['bogus']);
    expect(unknown).toMatchObject({ code: 2, signal: null, stdout: '' });
    expect(unknown.stderr).toContain('unknown command "bogus"');
    expect(unknown.stderr).toContain("Run 'aps-auth --help' for usage.");
  });

  it('every command has --help on stdout, exit 0', async () => {
    for (const verb of [
      'login',
      'token',
      'refresh',
      'status',
      'logout',
      'two-legged',
      'exec',
      'doctor',
      'profiles',
    ]) {
      const result = await run([verb, '--help']);
      expect(result.code, verb).toBe(0);
      expect(result.stdout, verb).toMatch(new RegExp(`^Usage: aps-auth ${verb}`));
      expect(result.stderr, verb).toBe('');
    }
  });

  it('a bad flag is a usage error (exit 2) naming the command help', async () => {
    const result = await run(['token', '--bogus']);
    expect(result).toMatchObject({ code: 2, signal: null, stdout: '' });
    expect(result.stderr).toContain('unknown option "--bogus"');
    expect(result.stderr).toContain("Run 'aps-auth token --help' for usage.");
  });
});

describe('usage errors are exit 2 with the CLI wording', () => {
  it('a malformed --profile or --callback-url, an out-of-range --timeout', async () => {
    // Each message names the flag, the rule (or an example of a good value) and the value given.
    for (const [args, phrases] of [
      [
        ['login', '--profile', '../x'],
        ['--profile: Invalid profile name "../x"', 'use 1 to 64 letters, digits'],
      ],
      [
        ['token', '--profile', '../x'],
        ['--profile: Invalid profile name "../x"', 'use 1 to 64 letters, digits'],
      ],
      [
        ['login', '--callback-url', 'not a url'],
        ['--callback-url (from the command line) is not a valid URL'],
      ],
      [
        ['login', '--timeout', '3000000'],
        ['--timeout must be from 1 to 2147483 seconds', 'got "3000000"'],
      ],
      [
        ['login', '--timeout', '0.0001'],
        ['--timeout must be from 1 to 2147483 seconds', 'got "0.0001"'],
      ],
    ] as const) {
      const result = await run([...args]);
      const command = args[0];
      expect(result, args.join(' ')).toMatchObject({ code: 2, signal: null, stdout: '' });
      expect(result.stderr, args.join(' ')).toMatch(/^aps-auth: /);
      for (const phrase of phrases) expect(result.stderr, args.join(' ')).toContain(phrase);
      expect(result.stderr, args.join(' ')).toContain(`Run 'aps-auth ${command} --help' for usage.`);
    }
  });
});
