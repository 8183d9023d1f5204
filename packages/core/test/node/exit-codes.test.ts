import { describe, expect, it } from 'vitest';
import { AbortedError, ConfigurationError } from '../../src/index.js';
import { EXIT_CODES, exitCodeForError } from '../../src/node/index.js';

// One mapping from core's error codes to the exit codes the CLI and the TUI share, so that a script sees the
// same code for the same failure whichever front end it ran.
describe('exitCodeForError', () => {
  it('maps by code, never by message', () => {
    const cases: [unknown, number][] = [
      [{ code: 'SIGN_IN_REQUIRED', message: 'anything' }, EXIT_CODES.SIGN_IN_REQUIRED],
      [{ code: 'TOKEN_OTHER_CLIENT' }, EXIT_CODES.SIGN_IN_REQUIRED],
      [{ code: 'ABORTED' }, EXIT_CODES.CANCELLED],
      [{ code: 'LOGIN_TIMEOUT' }, EXIT_CODES.CANCELLED],
      [{ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'access_denied' }, EXIT_CODES.CANCELLED],
      [{ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'server_error' }, EXIT_CODES.ERROR],
      [{ code: 'NETWORK_ERROR' }, EXIT_CODES.NETWORK],
      [{ code: 'TIMEOUT' }, EXIT_CODES.NETWORK],
      [{ code: 'UNEXPECTED_RESPONSE' }, EXIT_CODES.NETWORK],
      [{ code: 'OAUTH_ERROR', status: 503 }, EXIT_CODES.NETWORK],
      [{ code: 'OAUTH_ERROR', status: 429 }, EXIT_CODES.NETWORK],
      [{ code: 'OAUTH_ERROR', status: 400 }, EXIT_CODES.ERROR],
      [{ code: 'CONFIGURATION_ERROR', message: 'Not signed in, network' }, EXIT_CODES.ERROR],
      [new Error('SIGN_IN_REQUIRED'), EXIT_CODES.ERROR],
      ['a string', EXIT_CODES.ERROR],
      [null, EXIT_CODES.ERROR],
    ];
    for (const [error, code] of cases) expect(exitCodeForError(error), JSON.stringify(error)).toBe(code);
  });

  it('takes core error classes as they are thrown', () => {
    expect(exitCodeForError(new AbortedError(undefined, 'Cancelled.'))).toBe(4);
    expect(exitCodeForError(new ConfigurationError('clientId', 'x'))).toBe(1);
    expect(EXIT_CODES).toEqual({ OK: 0, ERROR: 1, USAGE: 2, SIGN_IN_REQUIRED: 3, CANCELLED: 4, NETWORK: 5 });
  });
});
