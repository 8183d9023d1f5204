import type { ConfigSource } from './load-config.js';

/**
 * Why a client secret was not used: the `.env` of the working directory chose something it would be sent with
 * (`dotenv-chosen`: the profile, the client id or the server), or the saved profile's server came from a `.env`
 * (`dotenv-server`), and the secret did not come from that `.env`.
 */
export interface WithheldSecret {
  /** Where the withheld secret came from. */
  source: ConfigSource;
  because: 'dotenv-chosen' | 'dotenv-server';
  /** What the `.env` chose (for `dotenv-chosen`): `APS_AUTH_PROFILE`, `APS_CLIENT_ID`, `APS_BASE_URL`. */
  chosen: string[];
}

/**
 * The rule of trust (issue 8): a `.env` belongs to whatever repository the user stands in. Nothing it chooses
 * (profile, client id, server) receives a secret from outside that same `.env`, and a server once saved from a
 * `.env` never receives a secret from the environment or a flag. Returns why the secret is withheld, or
 * `undefined` when it may be used.
 */
export function withheldSecret(
  sources: {
    profile: ConfigSource;
    clientId: ConfigSource;
    baseUrl: ConfigSource;
    clientSecret: ConfigSource;
  },
  savedServerFromDotenv: boolean,
): WithheldSecret | undefined {
  const secretFrom = sources.clientSecret;
  if (secretFrom === 'default' || secretFrom === 'dotenv') return undefined;
  const chosen = [
    ...(sources.profile === 'dotenv' ? ['APS_AUTH_PROFILE'] : []),
    ...(sources.clientId === 'dotenv' ? ['APS_CLIENT_ID'] : []),
    ...(sources.baseUrl === 'dotenv' ? ['APS_BASE_URL'] : []),
  ];
  if (chosen.length > 0) return { source: secretFrom, because: 'dotenv-chosen', chosen };
  // The saved secret of a `.env` server came from that `.env` at sign-in: it may go back there, nothing else.
  if (sources.baseUrl === 'profile' && savedServerFromDotenv && secretFrom !== 'profile') {
    return { source: secretFrom, because: 'dotenv-server', chosen: [] };
  }
  return undefined;
}

const FROM: Record<ConfigSource, string> = {
  flag: 'the command line',
  env: 'the environment',
  dotenv: '.env',
  profile: 'the saved profile',
  default: 'nowhere',
};

/** The warning a front end shows when the withheld secret matters (a request is about to be made). */
export function describeWithheldSecret(
  withheld: WithheldSecret,
  where: { dotenvPath: string | undefined; baseUrl: string; profile: string },
): string {
  const secret = `The client secret from ${FROM[withheld.source]} is not used`;
  if (withheld.because === 'dotenv-server') {
    return (
      `${secret}: the server ${where.baseUrl} of profile "${where.profile}" was saved from a .env, and a .env's ` +
      'server receives only the secret of that .env (or the one saved with it). The request is made without a secret.'
    );
  }
  return (
    `${secret}: ${withheld.chosen.join(', ')} come${withheld.chosen.length === 1 ? 's' : ''} from ` +
    `${where.dotenvPath ?? '.env'}, and what a .env chooses receives only a secret from that same .env. Set ` +
    `${withheld.chosen.join(' and ')} in the environment (if you trust it), or put the secret in that .env. ` +
    'The request is made without a secret.'
  );
}
