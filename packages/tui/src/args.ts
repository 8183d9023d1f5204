import { parseArgs } from 'node:util';

export const usage = `Usage: aps-auth-tui [--profile P] [--manual] [--no-open] [--timeout SEC]

Signs in to Autodesk Platform Services in an interactive terminal screen: set up the app (prefilled from
flags, environment, .env and the saved profile), sign in in a browser on this or any device (URL, QR code,
or paste the redirected URL), then see who is signed in, refresh, copy tokens, sign out, switch profiles.
Shares its store with 'aps-auth' (a sign-in here serves 'aps-auth token'). Needs a terminal: in scripts,
use 'aps-auth login'.

Options:
  --profile P     the profile (default: APS_AUTH_PROFILE, else "default")
  --manual        paste the redirected URL instead of listening on the callback URL (SSH, containers)
  --no-open       do not open a browser; show the URL (and a QR code on s) only
  --timeout SEC   give up waiting for the sign-in after SEC seconds (1 to 2147483, default 300)
  -h, --help      this help
  -v, --version   the version

Exit codes: 0 done, 1 error, 2 usage or no terminal, 3 sign-in required, 4 cancelled (Esc, Ctrl+C),
denied or timed out, 5 network or server.
`;

export interface TuiOptions {
  command: 'run' | 'help' | 'version';
  profile: string | undefined;
  manual: boolean;
  open: boolean;
  timeoutMs: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_TIMEOUT_S = 2_147_483;

export function parseTuiArgs(argv: readonly string[]): TuiOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string' },
        manual: { type: 'boolean' },
        'no-open': { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const profile = typeof values.profile === 'string' ? values.profile.trim() : undefined;
  if (profile === '') throw new UsageError('--profile needs a name.');
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (typeof values.timeout === 'string') {
    const seconds = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || seconds < 1 || seconds > MAX_TIMEOUT_S) {
      throw new UsageError(`--timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_S}.`);
    }
    timeoutMs = seconds * 1000;
  }
  if (values.manual === true && values['no-open'] === true) {
    throw new UsageError('--manual never opens a browser already; drop --no-open.');
  }
  return {
    command: values.help === true ? 'help' : values.version === true ? 'version' : 'run',
    profile,
    manual: values.manual === true,
    open: values['no-open'] !== true,
    timeoutMs,
  };
}
