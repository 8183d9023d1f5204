import type { MiddlewareHandler } from 'hono';

/** The headers on every answer of the app, names in lower case. */
export type SecurityHeaders = Readonly<Record<string, string>>;

/**
 * A CSP without any script (the pages need none), no framing, no sniffing, and a Referer only to this site.
 * `form-action` allows the authorization server: a logout form may be redirected to its logout page. A route may
 * set its own `referrer-policy` (the callback and /relay say no-referrer).
 */
export function createSecurityHeaders(options: { logoutUrl: string; secure: boolean }): SecurityHeaders {
  const authServer = new URL(options.logoutUrl).origin;
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self' ${authServer}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return Object.freeze({
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'same-origin',
    ...(options.secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  });
}

/** The security headers with a JSON content type and `no-store`, built once per header set. */
const jsonHeaderSets = new WeakMap<SecurityHeaders, SecurityHeaders>();
function jsonHeaders(headers: SecurityHeaders): SecurityHeaders {
  let set = jsonHeaderSets.get(headers);
  if (set === undefined) {
    set = Object.freeze({ ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
    jsonHeaderSets.set(headers, set);
  }
  return set;
}

/** Answers built by `secureJson`: they carry the headers already. */
const secured = new WeakSet<Response>();

/**
 * Adds the security headers to every answer once its route has built it, each unless the route set its own.
 * Answers of `secureJson` are left as they are: they were built with them.
 */
export function securityHeaders(headers: SecurityHeaders): MiddlewareHandler {
  const entries = Object.entries(headers);
  return async (c, next) => {
    await next();
    if (secured.has(c.res)) return;
    for (const [name, value] of entries) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
}

/**
 * A JSON answer with the security headers, `no-store`, and `extra`, as one plain record. For the hot routes
 * (`GET /api/auth/token`): the Node adapter writes a plain record straight out, where headers set one by one
 * through `c.header()` first become a `Headers` object that is copied again (half the route's throughput).
 * Headers set with `c.header()` earlier in the same request are not carried over: use it where none were.
 */
export function secureJson(
  headers: SecurityHeaders,
  status: number,
  body: unknown,
  extra: Readonly<Record<string, string>> = {},
): Response {
  const response = new Response(JSON.stringify(body), {
    status,
    headers: Object.keys(extra).length === 0 ? jsonHeaders(headers) : { ...jsonHeaders(headers), ...extra },
  });
  secured.add(response);
  return response;
}
