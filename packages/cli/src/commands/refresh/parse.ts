import { jsonOption, type ParseContext, parseFlags, parseProfile, profileOption } from '../../args.js';

export const usage = `Usage: aps-auth refresh [--profile P] [--json]

Refreshes the stored token now, even if it is still valid (under the store's lock: one refresh across
processes; the rotated refresh token is saved before anything else). Prints no token.

Options:
  --profile P   the profile (default: APS_AUTH_PROFILE, else "default")
  --json        one JSON document: profile, scopes, expiresAt, expiresIn
  -h, --help    this help

Exit codes: 0 refreshed, 3 not signed in or sign-in required again, 5 network or server.
`;

export interface RefreshOptions {
  profile: string | undefined;
  json: boolean;
}

export function parse(argv: readonly string[], _context: ParseContext): RefreshOptions {
  const { values } = parseFlags('refresh', argv, { ...profileOption, ...jsonOption });
  return { profile: parseProfile('refresh', values.profile), json: values.json === true };
}
