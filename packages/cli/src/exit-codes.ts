/**
 * Every exit code of `aps-auth`, in one place (documented in the README). `bin.ts` is the only caller of
 * `process.exit`; it maps thrown errors through `exitCodeFor`.
 */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** Any other error: configuration, a rejected client, a corrupt store, a failed doctor check. */
  ERROR: 1,
  /** Usage: an unknown command or flag, a missing or malformed argument. */
  USAGE: 2,
  /** Not signed in, or the sign-in must be done again (the refresh token is gone or was rejected). */
  SIGN_IN_REQUIRED: 3,
  /** Cancelled (Ctrl+C, consent denied, stdin closed) or timed out waiting for the sign-in. */
  CANCELLED: 4,
  /** Network or server: no answer, a timeout, a 5xx, a 429, an unexpected response. */
  NETWORK: 5,
  /** `exec`: the command could not be run (not executable). */
  EXEC_FAILED: 126,
  /** `exec`: the command was not found. */
  EXEC_NOT_FOUND: 127,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** `exec` ends with 128 + the signal's number when its child was killed by a signal it cannot re-raise. */
export const SIGNAL_EXIT_BASE = 128;

/** The exit code for an error thrown by a command: CLI errors carry theirs, core errors map by `code`. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (typeof error !== 'object' || error === null) return ExitCode.ERROR;
  const e = error as { exitCode?: unknown; code?: unknown; status?: unknown; error?: unknown };
  if (typeof e.exitCode === 'number') return e.exitCode as ExitCodeValue;
  switch (e.code) {
    case 'SIGN_IN_REQUIRED':
    case 'TOKEN_OTHER_CLIENT':
      return ExitCode.SIGN_IN_REQUIRED;
    case 'ABORTED':
    case 'LOGIN_TIMEOUT':
      return ExitCode.CANCELLED;
    case 'AUTHORIZATION_RESPONSE_ERROR':
      return e.error === 'access_denied' ? ExitCode.CANCELLED : ExitCode.ERROR;
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
    case 'UNEXPECTED_RESPONSE':
      return ExitCode.NETWORK;
    case 'OAUTH_ERROR':
      return typeof e.status === 'number' && (e.status >= 500 || e.status === 429)
        ? ExitCode.NETWORK
        : ExitCode.ERROR;
    default:
      return ExitCode.ERROR;
  }
}
