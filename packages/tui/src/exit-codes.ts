/** The exit codes of `aps-auth-tui`: the same meanings as the CLI's (`aps-auth`'s README). */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  /** Usage, or no terminal to run in. */
  USAGE: 2,
  SIGN_IN_REQUIRED: 3,
  /** Cancelled (Esc, Ctrl+C, a signal), consent denied, or timed out. */
  CANCELLED: 4,
  NETWORK: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for a core error, by its `code` (never by its message). */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (typeof error !== 'object' || error === null) return ExitCode.ERROR;
  const e = error as { code?: unknown; status?: unknown; error?: unknown };
  switch (e.code) {
    case 'SIGN_IN_REQUIRED':
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
