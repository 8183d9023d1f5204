/**
 * CORS for what a browser app (a single-page app using PKCE) calls: token, revoke, introspect, userinfo, keys and
 * discovery. Any origin may call them (no cookies are involved, so `*` without credentials). Never the control API
 * and never the consent form: those must stay out of reach of other pages.
 */

const CORS_PATHS: Record<string, 'GET' | 'POST'> = {
  '/authentication/v2/token': 'POST',
  '/authentication/v2/revoke': 'POST',
  '/authentication/v2/introspect': 'POST',
  '/authentication/v2/keys': 'GET',
  '/.well-known/openid-configuration': 'GET',
  '/userinfo': 'GET',
};

/** Request headers a browser app sends that are not CORS-safelisted: Basic/Bearer credentials and the form type. */
export const CORS_ALLOWED_HEADERS = 'authorization, content-type';
/** Response headers a browser app needs to read: the 429 wait and the 401 challenge. */
export const CORS_EXPOSED_HEADERS = 'retry-after, www-authenticate';
export const CORS_MAX_AGE_SECONDS = 600;

/** The method a CORS-enabled path is called with, or undefined when the path is not CORS-enabled. */
export function corsMethodOf(path: string): 'GET' | 'POST' | undefined {
  return CORS_PATHS[path];
}

/** The answer to a preflight (`OPTIONS`) on a CORS-enabled path. */
export function preflightResponse(method: 'GET' | 'POST'): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': method,
      'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
      'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
    },
  });
}

/** Adds the CORS headers of an actual response (errors and injected faults included). */
export function withCorsHeaders(res: Response): Response {
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS,
  };
  try {
    for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
    return res;
  } catch {
    // Immutable headers (a response from elsewhere): copy it.
    const copy = new Response(res.body, res);
    for (const [k, v] of Object.entries(cors)) copy.headers.set(k, v);
    return copy;
  }
}
