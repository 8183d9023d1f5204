import { parseArgs } from 'node:util';
import { parseRelayUrl } from '@aps-auth/core';

export const usage = `Usage: aps-auth-tui [--profile P] [--manual] [--no-open] [--relay URL] [--timeout SEC] [--demo]

Signs in to Autodesk Platform Services in an interactive terminal screen: set up the app (prefilled from
flags, environment, .env and the saved profile), sign in in a browser on this or any device (URL, QR code,
or paste the redirected URL), then see who is signed in, refresh, copy tokens, sign out, switch profiles.
Shares its store with 'aps-auth' (a sign-in here serves 'aps-auth token'). Needs a terminal: in scripts,
use 'aps-auth login'.

Options:
  --profile P     the profile (default: APS_AUTH_PROFILE, else "default")
  --manual        paste the redirected URL instead of listening on the callback URL (SSH, containers)
  --no-open       do not open a browser; show the URL (and a QR code on s) only
  --relay URL     no browser here: sign in on any device (a phone) through an aps-auth web app at URL
                  (https; http only for a loopback host). Shows the sign-in URL whole and its QR code;
                  the relay hands the code back encrypted to this terminal, which exchanges it. The
                  relay's URL/relay must be registered as a callback URL of the APS app
  --timeout SEC   give up waiting for the sign-in after SEC seconds (1 to 2147483, default 300)
  --demo          when no APS client id is configured, run against a local APS emulator in this process
                  (clearly labelled; a temporary home, removed on exit): what 'npm start' does
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
  /** `--relay URL`: the relay's origin (an aps-auth web app), checked by core's `parseRelayUrl`. */
  relay: string | undefined;
  timeoutMs: number;
  /** `--demo`: with no client id configured, the embedded emulator and a temporary home. */
  demo: boolean;
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
        relay: { type: 'string' },
        timeout: { type: 'string' },
        demo: { type: 'boolean' },
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
  const relay = parseRelay(values.relay);
  if (relay !== undefined && values.manual === true) {
    throw new UsageError('--relay prints the URL and needs no pasting; drop --manual.');
  }
  return {
    command: values.help === true ? 'help' : values.version === true ? 'version' : 'run',
    profile,
    manual: values.manual === true,
    open: values['no-open'] !== true,
    relay,
    timeoutMs,
    demo: values.demo === true,
  };
}

/** `--relay URL`, checked as `aps-auth login --relay` checks it (core's `parseRelayUrl`): its origin. */
function parseRelay(value: string | boolean | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.trim() === '') throw new UsageError('--relay needs a value.');
  try {
    return parseRelayUrl(value.trim());
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
