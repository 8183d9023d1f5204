import { EXIT_CODES, exitCodeForError } from '@aps-auth/core/node';

/**
 * Every exit code of `aps-auth`, in one place (documented in the README): the codes every aps-auth front end
 * shares (core's `EXIT_CODES`: 0 OK, 1 ERROR, 2 USAGE, 3 SIGN_IN_REQUIRED, 4 CANCELLED, 5 NETWORK) and those of
 * `exec`. `bin.ts` is the only caller of `process.exit`; it maps thrown errors through `exitCodeFor`.
 */
export const ExitCode = {
  ...EXIT_CODES,
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
  const own = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof own === 'number' ? (own as ExitCodeValue) : exitCodeForError(error);
}
