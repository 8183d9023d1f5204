import type { Hono } from 'hono';
import type { Client } from '../clients.js';
import type { AppContext, AppEnv, EmulatorDeps } from '../context.js';
import { gatewayError, RATE_LIMIT_MESSAGE } from '../errors.js';
import { parseScopes } from '../form.js';
import type { PendingAuthorization, ResponseMode } from '../grants.js';
import { consentPage, errorPage, invalidRedirectUriPage } from '../pages.js';
import { redirectBack } from '../redirect.js';

const STATE = /^[A-Za-z0-9,._-]{1,512}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MODES: readonly string[] = ['query', 'fragment', 'form_post'];
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

type Check = { error: string; description: string } | undefined;

/** The checks that are answered by redirecting back with `error` (after client and redirect_uri are trusted). */
function checkRequest(q: URLSearchParams, client: Client): Check {
  const fail = (error: string, description: string) => ({ error, description });
  if (q.get('response_type') !== 'code')
    return fail('unsupported_response_type', "Only response_type 'code' is supported");
  if (!client.grants.includes('authorization_code')) {
    return fail('unauthorized_client', 'The client is not authorized to use the authorization code flow');
  }
  const scopes = parseScopes(q.get('scope'));
  if (scopes.length === 0) return fail('invalid_scope', "The 'scope' parameter is required");
  if (scopes.length > 50) return fail('invalid_scope', 'At most 50 scopes may be requested');
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  if (method !== null && method !== 'S256') {
    return fail('invalid_request', "code_challenge_method must be 'S256' (plain is not supported)");
  }
  if (challenge !== null && method === null) {
    return fail('invalid_request', "code_challenge_method must be 'S256' (plain is not supported)");
  }
  if (method !== null && challenge === null)
    return fail('invalid_request', "The 'code_challenge' parameter is required");
  if (challenge !== null && !CHALLENGE.test(challenge)) {
    return fail('invalid_request', 'The code_challenge must be a base64url SHA-256 hash (43 characters)');
  }
  if (scopes.includes('openid') && !q.get('nonce')) {
    return fail('invalid_request', "The 'nonce' parameter is required when 'openid' is requested");
  }
  return undefined;
}

/** Issues a code for a decided (or auto-approved) authorization and redirects back with it. */
export function approve(c: AppContext, deps: EmulatorDeps, p: PendingAuthorization): Response {
  const code = deps.grants.addCode({
    clientId: p.clientId,
    redirectUri: p.redirectUri,
    scopes: p.scopes,
    nonce: p.nonce,
    codeChallenge: p.codeChallenge,
    userId: deps.user.userId,
    expiresAt: deps.clock.now() + deps.settings.codeLifetime * 1000,
  });
  return redirectBack(c, p.redirectUri, p.responseMode, { code, state: p.state });
}

/** `GET /authentication/v2/authorize`. */
export function registerAuthorizeRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.get('/authentication/v2/authorize', (c) => {
    const q = new URL(c.req.url).searchParams;
    const clientId = q.get('client_id');
    if (clientId) c.get('log').clientId = clientId;
    const client = clientId ? deps.clients.get(clientId) : undefined;
    if (!client) {
      c.get('log').error = 'invalid_client';
      return c.html(
        errorPage('400 - Invalid client_id', 'The client_id is missing or unknown.'),
        400,
        PAGE_HEADERS,
      );
    }
    const retryAfter = deps.rateLimiter.hit('authorize', client.clientId);
    if (retryAfter > 0) {
      return gatewayError(c, 429, 'ERR-001', RATE_LIMIT_MESSAGE, { 'Retry-After': String(retryAfter) });
    }
    const redirectUri = q.get('redirect_uri');
    if (redirectUri === null || !client.redirectUris.includes(redirectUri)) {
      c.get('log').error = 'invalid_redirect_uri';
      return c.html(invalidRedirectUriPage(), 400, PAGE_HEADERS);
    }
    const modeParam = q.get('response_mode');
    const responseMode = (
      modeParam !== null && MODES.includes(modeParam) ? modeParam : 'query'
    ) as ResponseMode;
    const rawState = q.get('state');
    const state = rawState !== null && STATE.test(rawState) ? rawState : undefined;
    const problem: Check =
      modeParam !== null && !MODES.includes(modeParam)
        ? { error: 'invalid_request', description: 'response_mode must be query, fragment or form_post' }
        : rawState !== null && state === undefined
          ? { error: 'invalid_request', description: 'state may only contain letters, digits and , . _ -' }
          : checkRequest(q, client);
    if (problem) {
      c.get('log').error = problem.error;
      return redirectBack(c, redirectUri, responseMode, {
        error: problem.error,
        error_description: problem.description,
        state,
      });
    }
    const pending: PendingAuthorization = {
      clientId: client.clientId,
      redirectUri,
      scopes: parseScopes(q.get('scope')),
      state,
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: q.get('code_challenge') ?? undefined,
      responseMode,
      expiresAt: deps.clock.now() + 10 * 60 * 1000,
    };
    const prompt = (q.get('prompt') ?? '').split(' ');
    if (deps.settings.autoApprove && !prompt.includes('login') && !prompt.includes('create')) {
      return approve(c, deps, pending);
    }
    const requestId = deps.grants.addPending(pending);
    const page = consentPage({
      requestId,
      appName: client.name,
      clientId: client.clientId,
      scopes: pending.scopes,
      user: deps.user,
      redirectUri,
    });
    return c.html(page, 200, PAGE_HEADERS);
  });
}
