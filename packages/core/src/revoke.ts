import { applyClientAuth } from './client-auth.js';
import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { expectSuccess } from './response.js';
import { type HttpRequest, type HttpResponse, send } from './transport.js';

export interface RevokeTokenOptions {
  token: string;
  /** Which kind of token `token` is. APS requires it (a revoke without it is a 400 `invalid_request`). */
  tokenTypeHint: 'access_token' | 'refresh_token';
  signal?: AbortSignal | undefined;
}

/** The revoke request (form `token`, `token_type_hint`, client authentication). */
export function buildRevokeRequest(config: ResolvedConfig, options: RevokeTokenOptions): HttpRequest {
  if (typeof options.token !== 'string' || options.token === '') {
    throw new ConfigurationError('token', 'token is required: the access or refresh token to revoke.');
  }
  if (options.tokenTypeHint !== 'access_token' && options.tokenTypeHint !== 'refresh_token') {
    throw new ConfigurationError(
      'tokenTypeHint',
      "tokenTypeHint is required: 'access_token' or 'refresh_token' (APS refuses a revoke without token_type_hint).",
    );
  }
  const body = new URLSearchParams({ token: options.token, token_type_hint: options.tokenTypeHint });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const secrets = applyClientAuth(config, headers, body);
  return {
    step: 'revoke',
    endpoint: 'revoke',
    method: 'POST',
    url: config.endpoints.revoke,
    headers,
    body,
    secrets: [options.token, ...secrets],
  };
}

/** Checks a revoke answer: 200 (any body) or a typed error. */
export function processRevokeResponse(response: HttpResponse, now: number): void {
  expectSuccess(response, now);
}

/** Revokes an access or refresh token at the server (APS answers 200 with an empty body). Not retried. */
export async function revokeToken(
  config: ApsAuthConfig | ResolvedConfig,
  options: RevokeTokenOptions,
): Promise<void> {
  const resolved = resolveConfig(config);
  const response = await send(resolved, buildRevokeRequest(resolved, options), options.signal);
  processRevokeResponse(response, resolved.now());
}
