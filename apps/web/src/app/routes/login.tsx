import { createAuthorizationRequest } from '@aps-auth/core';
import type { Hono } from 'hono';
import { coreCode, htmlError } from '../errors.js';
import type { WebDeps } from '../options.js';
import { parseReturnTo } from '../return-to.js';
import type { Sessions } from '../sessions.js';

/** `GET /api/auth/login[?returnTo=/path]`: a fresh state and PKCE verifier, then off to the authorize page. */
export function registerLoginRoute(app: Hono, deps: WebDeps, sessions: Sessions): void {
  app.get('/api/auth/login', async (c) => {
    const raw = c.req.query('returnTo');
    const returnTo = raw === undefined ? '/' : parseReturnTo(raw);
    if (returnTo === undefined) {
      return htmlError(
        c,
        deps,
        400,
        'invalid_return_to',
        'Cannot sign in',
        'returnTo must be a path on this site (starting with a single "/").',
      );
    }
    let request: Awaited<ReturnType<typeof createAuthorizationRequest>>;
    try {
      request = await createAuthorizationRequest(deps.config);
    } catch (error) {
      deps.log({
        level: 'error',
        event: 'sign_in_unavailable',
        message: `Sign-in failed (${coreCode(error)}).`,
      });
      return htmlError(
        c,
        deps,
        500,
        'sign_in_unavailable',
        'Cannot sign in',
        'The sign-in is misconfigured.',
      );
    }
    await sessions.beginSignIn(c, request.state, {
      codeVerifier: request.codeVerifier,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      returnTo,
    });
    c.header('Cache-Control', 'no-store');
    return c.redirect(request.url, 302);
  });
}
