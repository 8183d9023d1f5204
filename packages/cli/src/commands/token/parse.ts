import {
  jsonOption,
  nonEmpty,
  type ParseContext,
  parseFlags,
  parseProfile,
  profileOption,
} from '../../args.js';

export const usage = `Usage: aps-auth token [--profile P] [--scopes S] [--json]

Prints a valid access token on stdout, refreshing it first if it is expiring
(one refresh across every process sharing the store). Nothing else goes to stdout.

Options:
  --profile P   the profile (default: APS_AUTH_PROFILE, else "default")
  --scopes S    a narrower, down-scoped token, e.g. "viewables:read" for the Viewer
  --json        one JSON document: accessToken, tokenType, expiresAt, expiresIn, scopes, profile
  -h, --help    this help

Exit codes: 0 printed, 3 not signed in or sign-in required again, 5 network or server.
`;

export interface TokenOptions {
  profile: string | undefined;
  scopes: string | undefined;
  json: boolean;
}

export function parse(argv: readonly string[], _context: ParseContext): TokenOptions {
  const { values } = parseFlags('token', argv, {
    ...profileOption,
    ...jsonOption,
    scopes: { type: 'string' },
  });
  return {
    profile: parseProfile('token', values.profile),
    scopes: nonEmpty('token', 'scopes', values.scopes),
    json: values.json === true,
  };
}
