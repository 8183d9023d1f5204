import { describe, expect, it } from 'vitest';
import { parseTuiArgs, UsageError, usage } from '../src/args.js';
import { findClipboardCommand, osc52 } from '../src/clipboard.js';
import { describeError } from '../src/errors.js';
import { createLineChannel } from '../src/line-channel.js';
import { renderQr } from '../src/qr.js';
import { combineScopes, KNOWN_SCOPES, separateScopes } from '../src/scopes.js';
import { hyperlink, supportsHyperlinks, wantsColor } from '../src/terminal.js';
import { formatDuration, formatSpan, printable } from '../src/text.js';

describe('arguments', () => {
  it('reads --profile, --manual, --no-open, --timeout and --demo', () => {
    expect(parseTuiArgs(['--profile', 'work', '--manual', '--timeout', '60'])).toEqual({
      command: 'run',
      profile: 'work',
      manual: true,
      open: true,
      timeoutMs: 60_000,
      demo: false,
    });
    expect(parseTuiArgs(['--demo', '--no-open'])).toMatchObject({ demo: true, open: false });
    expect(parseTuiArgs(['-h']).command).toBe('help');
    expect(parseTuiArgs(['--version']).command).toBe('version');
  });

  it('refuses unknown flags, a bad timeout and --manual with --no-open', () => {
    expect(() => parseTuiArgs(['--nope'])).toThrow(UsageError);
    expect(() => parseTuiArgs(['--timeout', '0'])).toThrow(/whole number of seconds/);
    expect(() => parseTuiArgs(['--timeout', '1.5'])).toThrow(UsageError);
    expect(() => parseTuiArgs(['--manual', '--no-open'])).toThrow(/drop --no-open/);
    expect(() => parseTuiArgs(['--profile', ' '])).toThrow(/needs a name/);
  });
});

describe('--relay', () => {
  it("takes the relay's origin, checked by core's parseRelayUrl as aps-auth login --relay checks it", () => {
    expect(parseTuiArgs(['--relay', 'https://auth.example.com/some/path'])).toMatchObject({
      relay: 'https://auth.example.com',
      open: true,
      manual: false,
    });
    expect(parseTuiArgs(['--relay', 'http://127.0.0.1:8787', '--no-open'])).toMatchObject({
      relay: 'http://127.0.0.1:8787',
      open: false,
    });
    expect(parseTuiArgs([]).relay).toBeUndefined();
    // --help documents it.
    expect(usage).toContain('[--relay URL]');
    expect(usage).toMatch(/--relay URL {5}no browser here: sign in on any device/);
    expect(usage).toContain("relay's URL/relay must be registered as a callback URL");
  });

  it('refuses plain http to a host that is not loopback, a non-URL, an empty value and --relay with --manual', () => {
    expect(() => parseTuiArgs(['--relay', 'http://auth.example.com'])).toThrow(/must use https/);
    expect(() => parseTuiArgs(['--relay', 'auth.example.com'])).toThrow(/is not a URL/);
    expect(() => parseTuiArgs(['--relay', 'https://user:pw@auth.example.com'])).toThrow(
      /user name or password/,
    );
    expect(() => parseTuiArgs(['--relay', ' '])).toThrow(/--relay needs a value/);
    expect(() => parseTuiArgs(['--relay', 'https://auth.example.com', '--manual'])).toThrow(/drop --manual/);
    expect(() => parseTuiArgs(['--relay'])).toThrow(UsageError);
  });

  it("gives core's relay error codes a next step and exit code; a timeout or wrong state through the relay its own", () => {
    const relayError = (code: string) => Object.assign(new Error(code), { code });
    expect(describeError(relayError('RELAY_UNAVAILABLE'), { relay: true })).toMatchObject({
      code: 'RELAY_UNAVAILABLE',
      exitCode: 5,
      nextStep: expect.stringMatching(/Check the relay URL/),
    });
    expect(describeError(relayError('RELAY_RATE_LIMITED'))).toMatchObject({
      exitCode: 5,
      nextStep: expect.stringMatching(/wait a minute/),
    });
    expect(describeError(relayError('RELAY_PAIRING_EXPIRED'))).toMatchObject({
      exitCode: 1,
      nextStep: expect.stringMatching(/new URL/),
    });
    for (const code of ['RELAY_URL_INVALID', 'RELAY_BAD_RESPONSE', 'RELAY_DECRYPT_FAILED']) {
      expect(describeError(relayError(code)).nextStep).not.toMatch(/aps-auth doctor/);
    }
    const timeout = relayError('LOGIN_TIMEOUT');
    expect(describeError(timeout, { relay: true }).nextStep).toMatch(/relay's \/relay is registered/);
    expect(describeError(timeout).nextStep).not.toMatch(/relay/);
    expect(describeError(relayError('STATE_MISMATCH'), { relay: true }).nextStep).toMatch(
      /open only the new URL/,
    );
  });
});

describe('text shown on the screen', () => {
  it('strips control and format characters (escape sequences, bidi overrides)', () => {
    expect(printable('a\u001b]52;c;eA==\u0007b\u202Ec')).toBe('a\uFFFD]52;c;eA==\uFFFDb\uFFFDc');
    expect(printable('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('formats countdowns', () => {
    expect(formatDuration(0)).toBe('expired');
    expect(formatSpan(0)).toBe('0 s');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(3 * 3600_000 + 120_000)).toBe('3 h 02 min');
    expect(formatDuration(15 * 86_400_000 - 1000)).toBe('14 d 23 h');
  });

  it('maps core error codes to a next step and the CLI exit codes', () => {
    const timeout = Object.assign(new Error('No callback'), { code: 'LOGIN_TIMEOUT' });
    expect(describeError(timeout)).toMatchObject({ code: 'LOGIN_TIMEOUT', exitCode: 4 });
    expect(describeError(timeout).nextStep).toMatch(/callback URL is registered/);
    const network = Object.assign(new Error('down\u001b[2J'), { code: 'NETWORK_ERROR' });
    expect(describeError(network)).toMatchObject({ exitCode: 5, message: 'down\uFFFD[2J' });
    expect(describeError('weird')).toMatchObject({ code: 'UNEXPECTED', exitCode: 1 });
  });
});

describe('terminal capabilities', () => {
  it('uses OSC 8 hyperlinks only where the terminal is known to show them', () => {
    expect(supportsHyperlinks({})).toBe(false);
    expect(supportsHyperlinks({ TERM: 'xterm-256color' })).toBe(false);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'WezTerm' })).toBe(true);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.0.9' })).toBe(false);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.5.0' })).toBe(true);
    expect(supportsHyperlinks({ VTE_VERSION: '6003' })).toBe(true);
    expect(supportsHyperlinks({ VTE_VERSION: '4205' })).toBe(false);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'WezTerm', TMUX: '/tmp/tmux-0/default,1,0' })).toBe(false);
    expect(supportsHyperlinks({ FORCE_HYPERLINK: '1' })).toBe(true);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'WezTerm', FORCE_HYPERLINK: '0' })).toBe(false);
    expect(hyperlink('https://x.test/a')).toBe(
      '\u001b]8;;https://x.test/a\u001b\\https://x.test/a\u001b]8;;\u001b\\',
    );
  });

  it('honours NO_COLOR (any non-empty value)', () => {
    expect(wantsColor({})).toBe(true);
    expect(wantsColor({ NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ NO_COLOR: '' })).toBe(true);
  });

  it('finds no system clipboard over SSH or without a display, and writes OSC 52 in base64', () => {
    expect(
      findClipboardCommand({ PATH: '/usr/bin:/bin', SSH_CONNECTION: '1 2 3 4', DISPLAY: ':0' }, 'linux'),
    ).toBe(undefined);
    expect(findClipboardCommand({ PATH: '/usr/bin:/bin' }, 'linux')).toBe(undefined);
    expect(osc52('hé')).toBe('\u001b]52;c;aMOp\u0007');
  });
});

describe('QR code', () => {
  it('draws two module rows per line with half blocks, quiet zone included', () => {
    const qr = renderQr('https://developer.api.autodesk.com/authentication/v2/authorize?client_id=x');
    expect(qr.width).toBeGreaterThanOrEqual(21 + 4);
    expect(qr.lines.length).toBe(Math.ceil(qr.width / 2));
    expect(qr.lines.every((line) => line.length === qr.width && /^[█▀▄ ]+$/.test(line))).toBe(true);
    // The quiet zone (2 modules) is light: the first line is full blocks.
    expect(qr.lines[0]).toBe('█'.repeat(qr.width));
  });
});

describe('scopes', () => {
  it('splits configured scopes into picked known ones and typed ones, and joins them back', () => {
    const { picked, typed } = separateScopes(['data:read', 'application:client:read', 'openid']);
    expect([...picked]).toEqual(['data:read', 'openid']);
    expect(typed).toBe('application:client:read');
    expect(combineScopes(picked, `${typed}, data:read`)).toEqual([
      'data:read',
      'openid',
      'application:client:read',
    ]);
    expect(KNOWN_SCOPES).toContain('viewables:read');
  });
});

describe('manual mode input', () => {
  it('hands pasted lines to core one at a time, and ends a read stopped by its signal with null', async () => {
    const channel = createLineChannel();
    channel.push('first');
    await expect(channel.readLine()).resolves.toBe('first');
    const pending = channel.readLine();
    channel.push('second');
    await expect(pending).resolves.toBe('second');
    const controller = new AbortController();
    const stopped = channel.readLine(controller.signal);
    controller.abort();
    await expect(stopped).resolves.toBe(null);
  });
});
