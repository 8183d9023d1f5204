import { jsonOption, type OutputFormat, outputFormat, type ParseContext, parseFlags } from '../../args.js';

export const usage = `Usage: aps-auth profiles [--json]

Lists the saved profiles of APS_AUTH_HOME: name, client id, server, signed in, token expiry. The current
profile (APS_AUTH_PROFILE, else "default") is marked with "*". Never prints a token or secret.

Options:
  --json        one JSON document: home, current, profiles [{name, current, clientId, baseUrl, signedIn, expiresAt}]
  -h, --help    this help
`;

export interface ProfilesOptions {
  format: OutputFormat;
}

export function parse(argv: readonly string[], context: ParseContext): ProfilesOptions {
  const { values } = parseFlags('profiles', argv, { ...jsonOption });
  return { format: outputFormat(values.json, context) };
}
