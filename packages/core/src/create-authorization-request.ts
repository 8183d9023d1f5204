import { type ApsAuthConfig, type ResolvedConfig, requireRedirectUri, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { computeCodeChallenge, createCodeVerifier } from './pkce.js';
import { randomString } from './random.js';
import { normalizeScopes } from './scopes.js';

export interface AuthorizationRequestOptions {
  /** Scopes for this login; default the configuration's. 1 to 50; unknown scopes are allowed. */
  scopes?: string | readonly string[] | undefined;
  /** `login` forces re-authentication; `create` shows sign-up. */
  prompt?: 'login' | 'create' | undefined;
  /** How the code comes back: `query` (APS default), `fragment` or `form_post`. */
  responseMode?: 'query' | 'fragment' | 'form_post' | undefined;
  /** Only if this login uses another registered callback URL than the configuration's. */
  redirectUri?: string | undefined;
}

/** Everything a login must keep until the callback: the browser URL and the values to check and send. */
export interface AuthorizationRequest {
  /** Send the browser here. */
  url: string;
  /** 256 random bits, base64url; `parseCallback` compares it. */
  state: string;
  /** The PKCE verifier (S256); `exchangeCode` sends it. Secret until then. */
  codeVerifier: string;
  /** Present when `openid` is asked; `verifyIdToken` checks it. */
  nonce?: string;
  /** The scopes asked for. */
  scopes: string[];
  /** The redirect URI used (the code exchange must use the same). */
  redirectUri: string;
}

/**
 * Builds the authorize URL with fresh `state`, PKCE verifier (S256 challenge always) and, when `openid` is
 * asked, `nonce`.
 */
export async function createAuthorizationRequest(
  config: ApsAuthConfig | ResolvedConfig,
  options: AuthorizationRequestOptions = {},
): Promise<AuthorizationRequest> {
  const resolved = resolveConfig(config);
  const redirectUri = requireRedirectUri(resolved, options.redirectUri);
  const scopes = normalizeScopes(options.scopes ?? resolved.scopes, 'scopes');
  if (options.prompt !== undefined && options.prompt !== 'login' && options.prompt !== 'create') {
    throw new ConfigurationError('prompt', 'prompt must be "login" or "create".');
  }
  const modes = ['query', 'fragment', 'form_post'];
  if (options.responseMode !== undefined && !modes.includes(options.responseMode)) {
    throw new ConfigurationError('responseMode', 'responseMode must be "query", "fragment" or "form_post".');
  }
  const state = randomString(32);
  const codeVerifier = createCodeVerifier();
  const nonce = scopes.includes('openid') ? randomString(32) : undefined;

  const url = new URL(resolved.endpoints.authorize);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', resolved.clientId);
  params.set('redirect_uri', redirectUri);
  params.set('scope', scopes.join(' '));
  params.set('state', state);
  params.set('code_challenge', await computeCodeChallenge(codeVerifier));
  params.set('code_challenge_method', 'S256');
  if (nonce !== undefined) params.set('nonce', nonce);
  if (options.prompt !== undefined) params.set('prompt', options.prompt);
  if (options.responseMode !== undefined) params.set('response_mode', options.responseMode);

  const request: AuthorizationRequest = { url: url.href, state, codeVerifier, scopes, redirectUri };
  if (nonce !== undefined) request.nonce = nonce;
  return request;
}
