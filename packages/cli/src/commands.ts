import type { ParseContext } from './args.js';
import type { CommandResult, RunDeps } from './io.js';

/** What every command folder's `index.ts` exports. */
export interface CommandModule<O = unknown> {
  usage: string;
  parse(argv: readonly string[], context: ParseContext): O;
  run(options: O, deps: RunDeps): Promise<CommandResult>;
}

type Loader = () => Promise<CommandModule>;

/** Loaded lazily: `aps-auth token` loads the dispatcher and the token command, nothing else. */
export const commands: Record<string, { summary: string; load: Loader }> = {
  login: {
    summary: 'sign in (the demo with no APS credentials)',
    load: () => import('./commands/login/index.js') as Promise<CommandModule>,
  },
  token: {
    summary: 'print a valid access token',
    load: () => import('./commands/token/index.js') as Promise<CommandModule>,
  },
  refresh: {
    summary: 'refresh the stored token now',
    load: () => import('./commands/refresh/index.js') as Promise<CommandModule>,
  },
  status: {
    summary: 'who is signed in, scopes, expiry',
    load: () => import('./commands/status/index.js') as Promise<CommandModule>,
  },
  logout: {
    summary: 'revoke at the server, then forget locally',
    load: () => import('./commands/logout/index.js') as Promise<CommandModule>,
  },
  'two-legged': {
    summary: 'a client-credentials token (confidential app)',
    load: () => import('./commands/two-legged/index.js') as Promise<CommandModule>,
  },
  exec: {
    summary: 'run a command with APS_ACCESS_TOKEN set',
    load: () => import('./commands/exec/index.js') as Promise<CommandModule>,
  },
  doctor: {
    summary: 'preflight: config, callback URL, port, clock, server',
    load: () => import('./commands/doctor/index.js') as Promise<CommandModule>,
  },
  profiles: {
    summary: 'list the saved profiles',
    load: () => import('./commands/profiles/index.js') as Promise<CommandModule>,
  },
};

export function mainUsage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return `Usage: aps-auth <command> [options]

Sign in to Autodesk Platform Services (APS) and hand valid tokens to scripts.

Commands:
${Object.entries(commands)
  .map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)
  .join('\n')}

Run 'aps-auth help <command>' (or 'aps-auth <command> --help') for a command's options.
With no APS_CLIENT_ID configured, 'aps-auth login' signs in against a local emulator (a demo).

Global options:
  -h, --help      this help
  -v, --version   the version

Variables: APS_CLIENT_ID, APS_CLIENT_SECRET, APS_CALLBACK_URL, APS_SCOPES, APS_BASE_URL,
APS_AUTH_PROFILE, APS_AUTH_HOME (also read from .env in the working directory).
Exit codes: 0 ok, 1 error, 2 usage, 3 sign-in required, 4 cancelled or timed out, 5 network or server.
`;
}
