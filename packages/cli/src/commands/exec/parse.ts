import { nonEmpty, type ParseContext, parseFlags, parseProfile, profileOption } from '../../args.js';
import { UsageError } from '../../errors.js';

export const usage = `Usage: aps-auth exec [--profile P] [--scopes S] -- CMD [ARGS...]

Runs CMD with APS_ACCESS_TOKEN set to a valid access token (refreshed first if needed), with stdin,
stdout and stderr passed through. SIGTERM and SIGHUP are forwarded to CMD, and SIGINT too unless it
came from the terminal's Ctrl+C (which CMD receives itself); SIGUSR1 and SIGUSR2 too, and SIGQUIT
unless it came from the terminal (Ctrl+\\). Exits with CMD's exit code; when CMD is killed by a
signal, aps-auth ends with the same signal. A signal before CMD starts (e.g. during a refresh) cancels:
CMD is not run, exit 4. Never prints the token.

Options:
  --profile P   the profile (default: APS_AUTH_PROFILE, else "default")
  --scopes S    hand CMD a narrower, down-scoped token
  -h, --help    this help

Exit codes: CMD's own; 3 not signed in, 4 cancelled before CMD started, 5 network or server (before CMD
runs), 126 CMD could not be run, 127 CMD not found.
`;

export interface ExecOptions {
  profile: string | undefined;
  scopes: string | undefined;
  command: string;
  args: string[];
}

/** Flags come before `--` (or before the first argument that is not a flag); everything after is CMD. */
export function splitCommand(argv: readonly string[]): { flags: string[]; command: string[] } {
  const dashes = argv.indexOf('--');
  if (dashes >= 0) return { flags: argv.slice(0, dashes), command: argv.slice(dashes + 1) };
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return { flags, command: argv.slice(i) };
    flags.push(arg);
    if ((arg === '--profile' || arg === '--scopes') && i + 1 < argv.length) flags.push(argv[++i]!);
  }
  return { flags, command: [] };
}

export function parse(argv: readonly string[], _context: ParseContext): ExecOptions {
  const split = splitCommand(argv);
  const { values } = parseFlags('exec', split.flags, { ...profileOption, scopes: { type: 'string' } });
  const [command, ...args] = split.command;
  if (command === undefined || command === '') {
    throw new UsageError('exec needs a command: aps-auth exec -- CMD [ARGS...]', 'exec');
  }
  return {
    profile: parseProfile('exec', values.profile),
    scopes: nonEmpty('exec', 'scopes', values.scopes),
    command,
    args,
  };
}
