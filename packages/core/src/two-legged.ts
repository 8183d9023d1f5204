import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { normalizeScopes } from './scopes.js';
import type { Token } from './token.js';
import { buildTokenRequest, processTokenResponse } from './token-request.js';
import { type HttpRequest, send } from './transport.js';

export interface TwoLeggedOptions {
  /** Scopes for the token; default the configuration's. */
  scopes?: string | readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

/** The client-credentials request; needs a confidential app (a client secret). */
export function buildTwoLeggedRequest(config: ResolvedConfig, options: TwoLeggedOptions = {}): HttpRequest {
  if (config.clientSecret === undefined) {
    throw new ConfigurationError(
      'clientSecret',
      'A two-legged (client credentials) token needs a confidential app: set the client secret (APS_CLIENT_SECRET).',
    );
  }
  const scopes = normalizeScopes(options.scopes ?? config.scopes, 'scopes');
  return buildTokenRequest(config, 'client_credentials', { scope: scopes.join(' ') });
}

/**
 * Gets a two-legged (client credentials) token. Retried on 429 and 5xx, honouring `Retry-After` up to
 * `retry.maxRetryAfterMs`, since asking again is harmless.
 */
export async function getTwoLeggedToken(
  config: ApsAuthConfig | ResolvedConfig,
  options: TwoLeggedOptions = {},
): Promise<Token> {
  const resolved = resolveConfig(config);
  const request = buildTwoLeggedRequest(resolved, options);
  const response = await send(resolved, request, options.signal);
  return processTokenResponse(response, resolved.now(), normalizeScopes(options.scopes ?? resolved.scopes));
}
