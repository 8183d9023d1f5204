import { type ApsAuthConfig, type ResolvedConfig, requireRedirectUri, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { CODE_VERIFIER_PATTERN } from './pkce.js';
import type { Token } from './token.js';
import { buildTokenRequest, processTokenResponse } from './token-request.js';
import { type HttpRequest, send } from './transport.js';

export interface ExchangeCodeOptions {
  /** The `code` from `parseCallback`. */
  code: string;
  /** The `codeVerifier` from `createAuthorizationRequest`. */
  codeVerifier: string;
  /** Only if the authorization request used another redirect URI than the configuration's. */
  redirectUri?: string | undefined;
  /** The scopes asked for; used for `Token.scopes` only if the server does not say. */
  scopes?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

/** The code exchange request (`grant_type=authorization_code`, PKCE verifier, client authentication). */
export function buildExchangeCodeRequest(config: ResolvedConfig, options: ExchangeCodeOptions): HttpRequest {
  if (typeof options.code !== 'string' || options.code === '') {
    throw new ConfigurationError('code', 'code is required: the authorization code from parseCallback().');
  }
  if (typeof options.codeVerifier !== 'string' || !CODE_VERIFIER_PATTERN.test(options.codeVerifier)) {
    throw new ConfigurationError(
      'codeVerifier',
      'codeVerifier must be the verifier created by createAuthorizationRequest() (43 to 128 characters of [A-Za-z0-9-._~]).',
    );
  }
  return buildTokenRequest(
    config,
    'authorization_code',
    {
      code: options.code,
      redirect_uri: requireRedirectUri(config, options.redirectUri),
      code_verifier: options.codeVerifier,
    },
    [options.code, options.codeVerifier],
  );
}

/**
 * Exchanges an authorization code for tokens. Sent once, never retried: a lost answer would spend the code.
 * Throws `OAuthError` (e.g. `invalid_grant`), `NetworkError`, `TimeoutError`, `AbortedError`,
 * `UnexpectedResponseError` or `ConfigurationError`.
 */
export async function exchangeCode(
  config: ApsAuthConfig | ResolvedConfig,
  options: ExchangeCodeOptions,
): Promise<Token> {
  const resolved = resolveConfig(config);
  const request = buildExchangeCodeRequest(resolved, options);
  const response = await send(resolved, request, options.signal);
  return processTokenResponse(response, resolved.now(), options.scopes ?? resolved.scopes ?? []);
}
