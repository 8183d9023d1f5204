import { jsonOption, type ParseContext, parseFlags, parseProfile, profileOption } from '../../args.js';

export const usage = `Usage: aps-auth logout [--profile P] [--json]

Revokes the refresh token and the access token at the server, then forgets the token locally. The local
token is deleted even when revocation fails; the command then says so on stderr and exits 5, because
the refresh token may still be valid at the server (up to 15 days). The saved profile settings stay.

Options:
  --profile P   the profile (default: APS_AUTH_PROFILE, else "default")
  --json        one JSON document: profile, wasSignedIn, revoked, forgotten
  -h, --help    this help

Exit codes: 0 signed out (or was not signed in), 5 forgotten locally but not revoked at the server.
`;

export interface LogoutOptions {
  profile: string | undefined;
  json: boolean;
}

export function parse(argv: readonly string[], _context: ParseContext): LogoutOptions {
  const { values } = parseFlags('logout', argv, { ...profileOption, ...jsonOption });
  return { profile: parseProfile('logout', values.profile), json: values.json === true };
}
