import type { MiddlewareHandler } from 'hono';
import type { WebDeps } from './options.js';

/**
 * Headers on every answer: a CSP without any script (the pages need none), no framing, no sniffing, and a
 * Referer only to this site. `form-action` allows the authorization server: a logout form may be redirected
 * to its logout page. The callback sets `Referrer-Policy: no-referrer` itself.
 */
export function securityHeaders(deps: WebDeps): MiddlewareHandler {
  const authServer = new URL(deps.config.endpoints.logout).origin;
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self' ${authServer}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  const headers: Array<[string, string]> = [
    ['Content-Security-Policy', csp],
    ['X-Frame-Options', 'DENY'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    // A route may replace it (the callback and /relay say no-referrer).
    ['Referrer-Policy', 'same-origin'],
    ...(deps.secure ? [['Strict-Transport-Security', 'max-age=31536000'] as [string, string]] : []),
  ];
  // Set before the handler runs, so they go into the response as it is built (no copy of its headers after).
  return async (c, next) => {
    for (const [name, value] of headers) c.header(name, value);
    await next();
  };
}
