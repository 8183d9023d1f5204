import {
  jsonOption,
  type OutputFormat,
  outputFormat,
  type ParseContext,
  parseFlags,
  parseProfile,
  profileOption,
} from '../../args.js';

export const usage = `Usage: aps-auth status [--profile P] [--json]

Shows who is signed in, the scopes and the expiry of the stored token (asking the server's userinfo
while the access token is valid). Never prints a token and never refreshes.

Options:
  --profile P   the profile (default: APS_AUTH_PROFILE, else "default")
  --json        one JSON document (see the README): profile, signedIn, user, scopes, expiresAt, ...
  -h, --help    this help

Exit codes: 0 signed in, 3 not signed in (the document is printed either way).
`;

export interface StatusOptions {
  profile: string | undefined;
  format: OutputFormat;
}

export function parse(argv: readonly string[], context: ParseContext): StatusOptions {
  const { values } = parseFlags('status', argv, { ...profileOption, ...jsonOption });
  return {
    profile: parseProfile('status', values.profile),
    format: outputFormat(values.json, context),
  };
}
