import type { Client } from './clients.js';
import type { AppContext, EmulatorDeps } from './context.js';
import { decodeBase64Utf8, safeEqual } from './crypto-utils.js';
import { DESCRIPTIONS, gatewayError, oauthError, RATE_LIMIT_MESSAGE } from './errors.js';
import type { RateLimitedEndpoint } from './types.js';

export type ClientAuthResult = { ok: true; client: Client } | { ok: false; response: Response };

function parseBasic(header: string): { id: string; secret: string } | null {
  const m = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  const decoded = m?.[1] === undefined ? null : decodeBase64Utf8(m[1]);
  const colon = decoded?.indexOf(':') ?? -1;
  if (decoded == null || colon < 0) return null;
  try {
    // RFC 6749 2.3.1: both halves are form-urlencoded before base64.
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * Client authentication at token, revoke and introspect: a Basic header (with no `client_id` or `client_secret`
 * in the body), or `client_id` + `client_secret` in the body, or `client_id` alone for a public client. Also
 * applies the client's rate limit.
 */
export async function authenticateClient(
  c: AppContext,
  deps: EmulatorDeps,
  form: URLSearchParams,
  endpoint: RateLimitedEndpoint,
): Promise<ClientAuthResult> {
  const log = c.get('log');
  const header = c.req.header('authorization');
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  const usesBasic = header !== undefined && /^Basic /i.test(header);
  const fail = (status: 400 | 401, code: 'invalid_request' | 'invalid_client', description: string) => ({
    ok: false as const,
    response: oauthError(
      c,
      status,
      code,
      description,
      usesBasic && status === 401 ? { 'WWW-Authenticate': 'Basic realm="APS"' } : {},
    ),
  });

  if (usesBasic && bodySecret !== null) {
    log.clientAuth = 'both';
    return fail(400, 'invalid_request', DESCRIPTIONS.bothAuth);
  }
  if (usesBasic && bodyId !== null) {
    // APS refuses a body `client_id` next to a Basic header even when it names the same client.
    log.clientAuth = 'both';
    return fail(400, 'invalid_request', DESCRIPTIONS.clientIdWithHeader);
  }
  let id: string | null;
  let secret: string | null;
  if (usesBasic) {
    log.clientAuth = 'basic';
    const basic = parseBasic(header);
    if (!basic) return fail(401, 'invalid_client', DESCRIPTIONS.badClient);
    ({ id, secret } = basic);
  } else {
    log.clientAuth = bodySecret === null ? 'none' : 'body';
    id = bodyId;
    secret = bodySecret;
  }
  if (id !== null && id !== '') log.clientId = id;
  const client = id ? deps.clients.get(id) : undefined;
  if (!client) return fail(401, 'invalid_client', DESCRIPTIONS.badClient);

  const retryAfter = deps.rateLimiter.hit(endpoint, client.clientId);
  if (retryAfter > 0) {
    return {
      ok: false,
      response: gatewayError(c, 429, 'ERR-001', RATE_LIMIT_MESSAGE, { 'Retry-After': String(retryAfter) }),
    };
  }

  if (client.clientSecret === undefined) {
    // A public client has no secret to present.
    if (secret !== null) return fail(401, 'invalid_client', DESCRIPTIONS.badClient);
  } else if (secret === null || !(await safeEqual(secret, client.clientSecret))) {
    return fail(401, 'invalid_client', DESCRIPTIONS.badClient);
  }
  return { ok: true, client };
}
