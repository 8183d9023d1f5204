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
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Frame-Options', 'DENY');
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'same-origin');
    if (deps.secure) headers.set('Strict-Transport-Security', 'max-age=31536000');
  };
}

/** Answers that depend on the session are never cached by the browser or a proxy. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
};
