import { ConfigurationError } from '../../errors/configuration-error.js';
import type { Token } from '../../token.js';
import { getTwoLeggedToken as requestTwoLeggedToken } from '../../two-legged.js';
import { requestConfig, type SessionContext } from './context.js';

/** A client-credentials token for the configured confidential app, with the same rules (nothing is stored). */
export function getTwoLeggedToken(
  context: SessionContext,
  options: { scopes: string | readonly string[]; signal?: AbortSignal | undefined },
): Promise<Token> {
  if (context.config.clientId === undefined) {
    throw new ConfigurationError('clientId', 'No APS client id: set APS_CLIENT_ID (and APS_CLIENT_SECRET).', {
      problem: 'missing',
      input: 'APS_CLIENT_ID',
    });
  }
  const core = requestConfig(context);
  if (core.clientSecret === undefined) {
    throw new ConfigurationError(
      'clientSecret',
      context.config.secretWithheld === undefined
        ? 'A two-legged token needs the client secret of a confidential app: set APS_CLIENT_SECRET.'
        : 'A two-legged token needs the client secret of a confidential app, and the configured one is withheld: a .env chose where it would be sent (see the SECRET_WITHHELD warning).',
      { problem: 'missing', input: 'APS_CLIENT_SECRET' },
    );
  }
  return requestTwoLeggedToken(core, { scopes: options.scopes, signal: options.signal });
}
