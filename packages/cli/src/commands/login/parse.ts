import { parseRelayUrl } from '@aps-auth/core';
import {
  jsonOption,
  nonEmpty,
  type OutputFormat,
  outputFormat,
  type ParseContext,
  parseCallbackUrl,
  parseFlags,
  parseProfile,
  parseTimeout,
  profileOption,
} from '../../args.js';
import { UsageError } from '../../errors.js';

export const usage = `Usage: aps-auth login [--profile P] [--scopes S] [--callback-url U] [--no-open] [--manual]
                      [--relay URL] [--timeout SEC] [--json]

Signs in with three-legged OAuth (authorization code + PKCE): opens the browser at the APS sign-in page,
listens on the callback URL's loopback host and port, exchanges the code and stores the token (0600).
With no client id configured anywhere and none of --profile, --scopes, --callback-url, --manual, --no-open,
it runs the demo: a local APS emulator in this process, a sign-in against it, and the status, leaving
nothing behind (with one of them, it fails: set APS_CLIENT_ID).

Options:
  --profile P        the profile to sign in (default: APS_AUTH_PROFILE, else "default")
  --scopes S         space-separated scopes (default: APS_SCOPES, else "data:read viewables:read")
  --callback-url U   the callback URL registered for the app (default: APS_CALLBACK_URL,
                     else http://localhost:8080/api/auth/callback)
  --no-open          print the URL instead of opening a browser (the callback still arrives here)
  --manual           for SSH sessions and containers: print the URL, then read the URL the browser was
                     redirected to (or its query) from stdin; nothing listens
  --relay URL        no browser here: sign in on any device through an aps-auth web app at URL
                     (https; http only for a loopback host). Prints the sign-in URL, waits for the
                     relay to hand the code over encrypted to this terminal, exchanges it here. The
                     relay's URL/relay must be registered as a callback URL of the APS app
  --timeout SEC      give up waiting for the sign-in after SEC seconds (1 to 2147483, default 300)
  --json             print the status document (see 'aps-auth status --json') on stdout
  -h, --help         this help

Exit codes: 0 signed in, 1 error (e.g. the port is busy, no client id), 2 usage, 4 cancelled, denied,
timed out or stdin ended (--manual), 5 network or server.
`;

export interface LoginOptions {
  profile: string | undefined;
  scopes: string | undefined;
  callbackUrl: string | undefined;
  open: boolean;
  manual: boolean;
  /** The relay's origin (`--relay`), checked by core's `parseRelayUrl`. */
  relay: string | undefined;
  timeoutMs: number | undefined;
  format: OutputFormat;
  /** An animated spinner on stderr (a terminal, and not while reading a pasted URL). */
  spinner: boolean;
}

export function parse(argv: readonly string[], context: ParseContext): LoginOptions {
  const { values } = parseFlags('login', argv, {
    ...profileOption,
    ...jsonOption,
    scopes: { type: 'string' },
    'callback-url': { type: 'string' },
    'no-open': { type: 'boolean' },
    manual: { type: 'boolean' },
    relay: { type: 'string' },
    timeout: { type: 'string' },
  });
  const manual = values.manual === true;
  if (manual && values['no-open'] === true) {
    throw new UsageError('--manual already prints the URL; drop --no-open.', 'login');
  }
  const relay = parseRelay(values.relay);
  if (relay !== undefined && (manual || values['no-open'] === true)) {
    throw new UsageError(
      `--relay prints the URL and needs no pasting; drop ${manual ? '--manual' : '--no-open'}.`,
      'login',
    );
  }
  if (relay !== undefined && values['callback-url'] !== undefined) {
    throw new UsageError("--relay signs in with the relay's /relay callback; drop --callback-url.", 'login');
  }
  return {
    profile: parseProfile('login', values.profile),
    scopes: nonEmpty('login', 'scopes', values.scopes),
    callbackUrl: parseCallbackUrl('login', values['callback-url']),
    open: values['no-open'] !== true && !manual && relay === undefined,
    manual,
    relay,
    timeoutMs: parseTimeout('login', values.timeout),
    format: outputFormat(values.json, context),
    spinner: context.stderrIsTTY && !manual,
  };
}

function parseRelay(value: string | undefined): string | undefined {
  const text = nonEmpty('login', 'relay', value);
  if (text === undefined) return undefined;
  try {
    return parseRelayUrl(text);
  } catch (error) {
    throw new UsageError((error as Error).message, 'login');
  }
}
