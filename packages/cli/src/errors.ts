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

/**
 * Why there is no token for this configuration: none stored (`notSignedIn`), or one stored for another client
 * id or server (the store's `load` ignores it; its file says which), so that the message says so.
 */
export async function noTokenError(
  profile: string,
  config: { clientId: string | undefined; baseUrl: string },
  store: { loadFile(profile: string): Promise<{ clientId?: string; baseUrl?: string } | undefined> },
): Promise<CliError> {
  const file = await store.loadFile(profile).catch(() => undefined);
  if (file === undefined || config.clientId === undefined) return notSignedIn(profile);
  const login = `aps-auth login${profile === 'default' ? '' : ` --profile ${profile}`}`;
  const differences: string[] = [];
  if (file.clientId !== undefined && file.clientId !== config.clientId) {
    differences.push(`client id ${file.clientId} (configured: ${config.clientId})`);
  }
  const base = (value: string) => value.trim().replace(/\/+$/, '');
  if (file.baseUrl !== undefined && base(file.baseUrl) !== base(config.baseUrl)) {
    differences.push(`server ${file.baseUrl} (configured: ${config.baseUrl})`);
  }
  if (differences.length === 0) return notSignedIn(profile);
  return new CliError(
    `The token stored for profile "${profile}" is for another ${differences.join(' and ')}: it is not used.`,
    ExitCode.SIGN_IN_REQUIRED,
    `Run '${login}' to sign in with the configured client and server, or configure the ones it was made for.`,
  );
}
