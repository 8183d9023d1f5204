import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { ExitCode, exitCodeFor } from '../src/exit-codes.js';
import { describeExpiry, formatDuration, formatFields, formatRows } from '../src/output.js';
import { createProgress } from '../src/progress.js';
import { captureIo } from './helpers.js';

describe('exitCodeFor: the one table', () => {
  it.each([
    [{ code: 'SIGN_IN_REQUIRED' }, ExitCode.SIGN_IN_REQUIRED],
    [{ code: 'ABORTED' }, ExitCode.CANCELLED],
    [{ code: 'LOGIN_TIMEOUT' }, ExitCode.CANCELLED],
    [{ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'access_denied' }, ExitCode.CANCELLED],
    [{ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'invalid_scope' }, ExitCode.ERROR],
    [{ code: 'STATE_MISMATCH' }, ExitCode.ERROR],
    [{ code: 'NETWORK_ERROR' }, ExitCode.NETWORK],
    [{ code: 'TIMEOUT' }, ExitCode.NETWORK],
    [{ code: 'UNEXPECTED_RESPONSE' }, ExitCode.NETWORK],
    [{ code: 'OAUTH_ERROR', status: 503 }, ExitCode.NETWORK],
    [{ code: 'OAUTH_ERROR', status: 429 }, ExitCode.NETWORK],
    [{ code: 'OAUTH_ERROR', status: 401 }, ExitCode.ERROR],
    [{ code: 'CONFIGURATION_ERROR' }, ExitCode.ERROR],
    [{ code: 'CALLBACK_PORT_UNAVAILABLE' }, ExitCode.ERROR],
    [{ code: 'TOKEN_STORE_CORRUPT' }, ExitCode.ERROR],
    [new CliError('x', ExitCode.EXEC_NOT_FOUND), 127],
    [new Error('boom'), ExitCode.ERROR],
    ['a string', ExitCode.ERROR],
  ])('%j -> %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it('keeps the documented numbers', () => {
    expect(ExitCode).toEqual({
      OK: 0,
      ERROR: 1,
      USAGE: 2,
      SIGN_IN_REQUIRED: 3,
      CANCELLED: 4,
      NETWORK: 5,
      EXEC_FAILED: 126,
      EXEC_NOT_FOUND: 127,
    });
  });
});

describe('output', () => {
  it('formats durations', () => {
    expect([5, 60, 61, 3599, 3600, 3660, 7200].map(formatDuration)).toEqual([
      '5s',
      '1m',
      '1m 1s',
      '59m 59s',
      '1h',
      '1h 1m',
      '2h',
    ]);
    expect(describeExpiry(10_000, 70_000)).toBe('1970-01-01T00:00:10.000Z (expired 1m ago)');
  });

  it('lays out rows for a terminal and for a pipe', () => {
    const rows = [
      ['default', 'yes'],
      ['a-long-name', 'no'],
    ];
    expect(formatRows('table', ['NAME', 'SIGNED IN'], rows)).toBe(
      'NAME         SIGNED IN\ndefault      yes\na-long-name  no\n',
    );
    expect(formatRows('tsv', ['NAME', 'SIGNED IN'], rows)).toBe('default\tyes\na-long-name\tno\n');
    expect(
      formatFields('table', [
        ['user', 'Ada'],
        ['signed in', 'yes'],
      ]),
    ).toBe('user:      Ada\nsigned in: yes\n');
    expect(formatFields('tsv', [['user', 'Ada']])).toBe('user\tAda\n');
  });
});

describe('progress', () => {
  it('prints plain lines when stderr is not a terminal', () => {
    const io = captureIo({ tty: false });
    const progress = createProgress(io, { label: '[x] ' });
    progress.step('one');
    progress.info('a url');
    progress.done('finished');
    expect(io.err()).toBe('[x] one\n[x] a url\n[x] finished\n');
  });

  it('animates a spinner on a terminal, and clears it', () => {
    const io = captureIo({ tty: true });
    const progress = createProgress(io);
    progress.step('waiting');
    progress.done('done');
    expect(io.err()).toBe('\r\x1b[2K⠋ waiting\r\x1b[2K✓ done\n');
  });
});
