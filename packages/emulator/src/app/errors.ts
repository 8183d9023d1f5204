import type { AppContext } from './context.js';

/** Where APS's error documentation lives; gateway errors point there in `"more info"`. */
export const ERROR_DOCS_URL = 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/';

/** RFC 6749 error descriptions; the first seven are APS's own wording. */
export const DESCRIPTIONS = {
  badCode: 'The authorization code is invalid or has expired',
  pkce: 'PKCE verification failed',
  redirectUri: "The 'redirect_uri' is invalid",
  badRefresh: 'The refresh token is invalid or expired',
  badClient: 'The client credentials are invalid',
  clientIdWithHeader:
    "The 'client_id' is not supported in the request body when Authorization headers are present.",
  /** APS's wording (seen for `code_verifier`), used for every missing parameter at token, revoke, introspect. */
  missing: (name: string) => `The request is missing a required parameter '${name}'`,
  bothAuth: 'Client credentials must be sent either in the Authorization header or in the body, not both',
  contentType: "The request body must be 'application/x-www-form-urlencoded'",
  badGrantType: 'The grant type is not supported',
  unauthorizedClient: 'The client is not authorized to use this grant type',
  wideScope: 'The requested scope is invalid, unknown, or exceeds the scope granted',
  noScope: "The 'scope' parameter is required",
  badTokenTypeHint: "token_type_hint must be 'access_token' or 'refresh_token'",
} as const;

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** The RFC 6749 shape used at token, revoke and introspect: `{error, error_description}`. */
export function oauthError(
  c: AppContext,
  status: 400 | 401,
  error: OAuthErrorCode,
  description: string,
  headers: Record<string, string> = {},
): Response {
  c.get('log').error = error;
  return c.json({ error, error_description: description }, status, {
    'Cache-Control': 'no-store',
    ...headers,
  });
}

export type GatewayErrorCode = 'AUTH-001' | 'AUTH-006' | 'AUTH-010' | 'ERR-001';

/** The API gateway's shape: `{developerMessage, userMessage, errorCode, "more info"}` (yes, with a space). */
export function gatewayBody(errorCode: GatewayErrorCode, developerMessage: string, userMessage = '') {
  return { developerMessage, userMessage, errorCode, 'more info': ERROR_DOCS_URL };
}

export function gatewayError(
  c: AppContext,
  status: 401 | 403 | 429,
  errorCode: GatewayErrorCode,
  developerMessage: string,
  headers: Record<string, string> = {},
): Response {
  c.get('log').error = errorCode;
  return c.json(gatewayBody(errorCode, developerMessage), status, headers);
}

export const RATE_LIMIT_MESSAGE =
  'The request has exceeded the rate limit for this application. Try again later.';
export const BAD_TOKEN_MESSAGE = 'The token is invalid, expired, or not a three-legged token.';
export const NO_TOKEN_MESSAGE = 'The Authorization header with a Bearer token is missing.';
