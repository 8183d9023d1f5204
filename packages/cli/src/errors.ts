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

export function notSignedIn(profile: string): CliError {
  return new CliError(
    `Not signed in (profile "${profile}").`,
    ExitCode.SIGN_IN_REQUIRED,
    `Run 'aps-auth login${profile === 'default' ? '' : ` --profile ${profile}`}' to sign in.`,
  );
}
