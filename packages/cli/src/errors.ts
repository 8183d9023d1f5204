import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** An error of the CLI itself, with its exit code. Its message never holds a secret. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.ERROR, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** A usage error: prints the message and a pointer to `--help`, exits 2. */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(
      message,
      ExitCode.USAGE,
      `Run 'aps-auth ${command === undefined ? '' : `${command} `}--help' for usage.`,
    );
    this.name = 'UsageError';
  }
}

/**
 * The next step for an error of core, chosen by its `code` (and `reason`), never by its wording: the command to
 * sign in (again), or to sign in with the configured client.
 */
export function hintFor(error: { code?: unknown; reason?: unknown; profile?: unknown }): string | undefined {
  const profile = typeof error.profile === 'string' ? error.profile : undefined;
  const login = loginCommand(profile);
  switch (error.code) {
    case 'SIGN_IN_REQUIRED':
      // Core's messages for a spent grant already say "sign in again": give the command only.
      return error.reason === 'no_token' ? `Run '${login}' to sign in.` : `Run '${login}'.`;
    case 'TOKEN_OTHER_CLIENT':
      return `Run '${login}' to sign in with the configured client and server, or configure the ones it was made for.`;
    default:
      return undefined;
  }
}

/** `aps-auth login` with ` --profile P` when the profile is not the default one. */
export function loginCommand(profile: string | undefined): string {
  return `aps-auth login${profile === undefined || profile === 'default' ? '' : ` --profile ${profile}`}`;
}
