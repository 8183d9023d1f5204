/**
 * The exit codes that every aps-auth command-line front end shares (`aps-auth`, `aps-auth-tui`; documented in
 * the CLI's README), and the one mapping from core's error codes to them: a script gets the same code for the
 * same failure whichever front end it ran. A front end may add codes of its own (the CLI's `exec`).
 */
export const EXIT_CODES = {
  /** Success. */
  OK: 0,
  /** Any other error: configuration, a rejected client, a corrupt store, a failed doctor check. */
  ERROR: 1,
  /** Usage: an unknown command or flag, a missing or malformed argument, no terminal for the TUI. */
  USAGE: 2,
  /** Not signed in, or the sign-in must be done again (the refresh token is gone or was rejected). */
  SIGN_IN_REQUIRED: 3,
  /** Cancelled (Ctrl+C, Esc, consent denied, stdin closed) or timed out waiting for the sign-in. */
  CANCELLED: 4,
  /** Network or server: no answer, a timeout, a 5xx, a 429, an unexpected response. */
  NETWORK: 5,
} as const;

export type SharedExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code for an error of core, by its `code` (and `error`/`status` where they decide), never its message. */
export function exitCodeForError(error: unknown): SharedExitCode {
  if (typeof error !== 'object' || error === null) return EXIT_CODES.ERROR;
  const e = error as { code?: unknown; status?: unknown; error?: unknown };
  switch (e.code) {
    case 'SIGN_IN_REQUIRED':
    case 'TOKEN_OTHER_CLIENT':
      return EXIT_CODES.SIGN_IN_REQUIRED;
    case 'ABORTED':
    case 'LOGIN_TIMEOUT':
      return EXIT_CODES.CANCELLED;
    case 'AUTHORIZATION_RESPONSE_ERROR':
      return e.error === 'access_denied' ? EXIT_CODES.CANCELLED : EXIT_CODES.ERROR;
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
    case 'UNEXPECTED_RESPONSE':
    case 'RELAY_UNAVAILABLE':
    case 'RELAY_RATE_LIMITED':
    case 'RELAY_BAD_RESPONSE':
      return EXIT_CODES.NETWORK;
    case 'OAUTH_ERROR':
      return typeof e.status === 'number' && (e.status >= 500 || e.status === 429)
        ? EXIT_CODES.NETWORK
        : EXIT_CODES.ERROR;
    default:
      return EXIT_CODES.ERROR;
  }
}
