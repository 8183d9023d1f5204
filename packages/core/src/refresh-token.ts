import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { isOAuthError } from './errors/guards.js';
import { SignInRequiredError } from './errors/sign-in-required-error.js';
import { normalizeScopes } from './scopes.js';
import type { Token } from './token.js';
import { buildTokenRequest, processTokenResponse } from './token-request.js';
import { type HttpRequest, type HttpResponse, send } from './transport.js';

export interface RefreshTokenOptions {
  /** The current refresh token. APS refresh tokens are single-use: store the returned one at once. */
  refreshToken: string;
  /** A narrower set of scopes for the new access token (e.g. `['viewables:read']`); the grant keeps its own. */
  scopes?: string | readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

/** The refresh request (`grant_type=refresh_token`, optional narrower `scope`, client authentication). */
export function buildRefreshTokenRequest(config: ResolvedConfig, options: RefreshTokenOptions): HttpRequest {
  if (typeof options.refreshToken !== 'string' || options.refreshToken === '') {
    throw new ConfigurationError('refreshToken', 'refreshToken is required.');
  }
  const scopes = options.scopes === undefined ? undefined : normalizeScopes(options.scopes);
  return buildTokenRequest(
    config,
    'refresh_token',
    { refresh_token: options.refreshToken, scope: scopes?.join(' ') },
    [options.refreshToken],
  );
}

/** Processes a refresh answer; `invalid_grant` becomes `SignInRequiredError` (reason `refresh_rejected`). */
export function processRefreshTokenResponse(
  response: HttpResponse,
  now: number,
  requestedScopes: readonly string[] = [],
): Token {
  try {
    return processTokenResponse(response, now, requestedScopes);
  } catch (error) {
    if (isOAuthError(error) && error.error === 'invalid_grant') {
      throw new SignInRequiredError(
        'refresh_rejected',
        `The refresh token was rejected (invalid_grant${error.errorDescription ? `: ${error.errorDescription}` : ''}): sign in again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Uses a refresh token once and returns the new token (with the rotated refresh token). Sent once, never
 * retried: a lost answer may have spent the refresh token. Prefer `TokenManager`, which serialises refreshes
 * and stores the rotated token before handing out the access token.
 */
export async function refreshToken(
  config: ApsAuthConfig | ResolvedConfig,
  options: RefreshTokenOptions,
): Promise<Token> {
  const resolved = resolveConfig(config);
  const request = buildRefreshTokenRequest(resolved, options);
  const response = await send(resolved, request, options.signal);
  const scopes = options.scopes === undefined ? [] : normalizeScopes(options.scopes);
  return processRefreshTokenResponse(response, resolved.now(), scopes);
}
