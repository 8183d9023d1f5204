import { getUserInfo, isSignInRequiredError } from '@aps-auth/core';
import type { Context, Hono } from 'hono';
import { jsonError, tokenFailure } from '../errors.js';
import type { WebDeps } from '../options.js';
import { secureJson } from '../security-headers.js';
import type { Sessions } from '../sessions.js';
import { ViewerTokens } from '../viewer-tokens.js';

/** Reading a session's data from another site is refused outright (the cookie is Lax; this is belt and braces). */
function crossSite(c: Context): boolean {
  return c.req.header('sec-fetch-site') === 'cross-site';
}

/**
 * `GET /api/auth/token`: a down-scoped token for the Viewer in the APS tutorials' shape, cut by core's
 * `TokenManager` (cached until near expiry, single flight per session). `GET /api/auth/profile`: userinfo.
 */
export function registerApiRoutes(app: Hono, deps: WebDeps, sessions: Sessions): void {
  const viewerTokens = new ViewerTokens(deps, sessions);
  app.get('/api/auth/token', async (c) => {
    if (crossSite(c)) return jsonError(c, 403, 'forbidden_origin', 'Cross-site requests are refused.');
    const sessionId = await sessions.currentId(c);
    if (sessionId === undefined) return jsonError(c, 401, 'not_signed_in', 'Sign in first: /api/auth/login.');
    try {
      const token = await viewerTokens.get(sessionId);
      const expiresIn = Math.max(0, Math.floor((token.expiresAt - deps.now()) / 1000));
      return secureJson(deps.headers, 200, { access_token: token.accessToken, expires_in: expiresIn });
    } catch (error) {
      if (isSignInRequiredError(error)) await sessions.end(c, sessionId);
      return tokenFailure(c, deps, error, 'token');
    }
  });

  app.get('/api/auth/profile', async (c) => {
    if (crossSite(c)) return jsonError(c, 403, 'forbidden_origin', 'Cross-site requests are refused.');
    const sessionId = await sessions.currentId(c);
    if (sessionId === undefined) return jsonError(c, 401, 'not_signed_in', 'Sign in first: /api/auth/login.');
    try {
      const accessToken = await sessions.manager(sessionId).getAccessToken();
      const profile = await getUserInfo(deps.config, { accessToken });
      return secureJson(deps.headers, 200, profile);
    } catch (error) {
      if (isSignInRequiredError(error)) await sessions.end(c, sessionId);
      return tokenFailure(c, deps, error, 'profile');
    }
  });
}
