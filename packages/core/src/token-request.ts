import { applyClientAuth } from './client-auth.js';
import type { ResolvedConfig } from './config.js';
import { expectJsonObject, invalidField, lifetimeOutOfRange } from './response.js';
import { parseScopeValue } from './scopes.js';
import type { Token } from './token.js';
import type { HttpRequest, HttpResponse, Step } from './transport.js';

/** Builds a POST to the token endpoint: form body, client authentication, secrets listed for redaction. */
export function buildTokenRequest(
  config: ResolvedConfig,
  step: Extract<Step, 'authorization_code' | 'refresh_token' | 'client_credentials'>,
  params: Record<string, string | undefined>,
  secrets: readonly string[] = [],
): HttpRequest {
  const body = new URLSearchParams({ grant_type: step });
  for (const [name, value] of Object.entries(params)) if (value !== undefined) body.set(name, value);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const authSecrets = applyClientAuth(config, headers, body);
  return {
    step,
    endpoint: 'token',
    method: 'POST',
    url: config.endpoints.token,
    headers,
    body,
    secrets: [...secrets, ...authSecrets],
  };
}

function decodeScopeClaim(accessToken: string): string[] | undefined {
  // APS access tokens are JWTs whose `scope` claim is an array; read (not verified) only to learn the scopes.
  const payload = accessToken.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return parseScopeValue((claims as { scope?: unknown }).scope);
  } catch {
    return undefined;
  }
}

/** The longest lifetime a token answer may claim: a year (APS access tokens live an hour). */
export const MAX_TOKEN_LIFETIME_SEC = 365 * 24 * 60 * 60;
/** The largest time a `Date` can hold (ms since the epoch). */
const MAX_DATE_MS = 8.64e15;

/** Rejects a lifetime that is not positive, not finite, beyond a year, or ending past the largest `Date`. */
function checkLifetime(response: HttpResponse, lifetime: number, now: number): void {
  if (!Number.isFinite(lifetime) || lifetime <= 0) {
    throw lifetimeOutOfRange(response, `is ${lifetime}, not a positive number of seconds`);
  }
  if (lifetime > MAX_TOKEN_LIFETIME_SEC || now + lifetime * 1000 > MAX_DATE_MS) {
    throw lifetimeOutOfRange(response, `is ${lifetime} s, longer than any token lives (at most a year)`);
  }
}

/**
 * Turns a token endpoint answer into a `Token` (absolute expiry from `now`), or throws `OAuthError` /
 * `UnexpectedResponseError`. Scopes: the answer's `scope`, else the access token's `scope` claim, else
 * the requested ones.
 */
export function processTokenResponse(
  response: HttpResponse,
  now: number,
  requestedScopes: readonly string[] = [],
): Token {
  const json = expectJsonObject(response, now);
  const { access_token, token_type, expires_in, refresh_token, id_token } = json;
  if (typeof access_token !== 'string' || access_token === '') throw invalidField(response, 'access_token');
  if (typeof token_type !== 'string' || token_type === '') throw invalidField(response, 'token_type');
  const lifetime =
    typeof expires_in === 'string' && /^\d+$/.test(expires_in) ? Number(expires_in) : expires_in;
  if (typeof lifetime !== 'number' || Number.isNaN(lifetime)) throw invalidField(response, 'expires_in');
  checkLifetime(response, lifetime, now);
  if (refresh_token !== undefined && typeof refresh_token !== 'string')
    throw invalidField(response, 'refresh_token');
  if (id_token !== undefined && typeof id_token !== 'string') throw invalidField(response, 'id_token');
  const token: Token = {
    accessToken: access_token,
    tokenType: token_type,
    expiresAt: now + lifetime * 1000,
    issuedAt: now,
    scopes: parseScopeValue(json.scope) ?? decodeScopeClaim(access_token) ?? [...requestedScopes],
  };
  if (refresh_token) token.refreshToken = refresh_token;
  if (id_token) token.idToken = id_token;
  return token;
}
