import {
  jsonOption,
  type OutputFormat,
  outputFormat,
  type ParseContext,
  parseCallbackUrl,
  parseFlags,
  parseProfile,
  profileOption,
} from '../../args.js';

export const usage = `Usage: aps-auth doctor [--profile P] [--callback-url U] [--json]

Preflight checks before a sign-in:
  config               a client id is configured (and where it came from); a secret or a public app
  callback-url         the callback URL is well formed, http, on a loopback host, with an explicit port
  port                 the callback port can be bound right now
  server               the server answers
  clock                the local clock against the server's Date header (warn > 30 s, fail > 5 min)
  callback-registered  the authorize endpoint accepts this callback URL for this client (an unregistered
                       one gets APS's "400 - Invalid redirect_uri" page and never calls back)

Options:
  --profile P        the profile (default: APS_AUTH_PROFILE, else "default")
  --callback-url U   check this callback URL instead of the configured one
  --json             one JSON document: ok, profile, checks [{id, status, message}]
  -h, --help         this help

Exit codes: 0 no check failed (warnings allowed), 1 a check failed.
`;

export interface DoctorOptions {
  profile: string | undefined;
  callbackUrl: string | undefined;
  format: OutputFormat;
}

export function parse(argv: readonly string[], context: ParseContext): DoctorOptions {
  const { values } = parseFlags('doctor', argv, {
    ...profileOption,
    ...jsonOption,
    'callback-url': { type: 'string' },
  });
  return {
    profile: parseProfile('doctor', values.profile),
    callbackUrl: parseCallbackUrl('doctor', values['callback-url']),
    format: outputFormat(values.json, context),
  };
}
