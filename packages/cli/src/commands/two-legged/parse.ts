import {
  jsonOption,
  nonEmpty,
  type ParseContext,
  parseFlags,
  parseProfile,
  profileOption,
} from '../../args.js';
import { UsageError } from '../../errors.js';

export const usage = `Usage: aps-auth two-legged --scopes S [--profile P] [--json]

Prints a two-legged (client credentials) access token for a confidential app on stdout. Needs the
client secret (APS_CLIENT_SECRET). Nothing is stored.

Options:
  --scopes S    space-separated scopes, e.g. "data:read bucket:read" (required)
  --profile P   the profile whose client id and secret to use
  --json        one JSON document: accessToken, tokenType, expiresAt, expiresIn, scopes
  -h, --help    this help

Exit codes: 0 printed, 1 no secret or the client was rejected, 5 network or server.
`;

export interface TwoLeggedOptions {
  profile: string | undefined;
  scopes: string;
  json: boolean;
}

export function parse(argv: readonly string[], _context: ParseContext): TwoLeggedOptions {
  const { values } = parseFlags('two-legged', argv, {
    ...profileOption,
    ...jsonOption,
    scopes: { type: 'string' },
  });
  const scopes = nonEmpty('two-legged', 'scopes', values.scopes);
  if (scopes === undefined) throw new UsageError('--scopes is required.', 'two-legged');
  return { profile: parseProfile('two-legged', values.profile), scopes, json: values.json === true };
}
