import { buildLogoutUrl } from '@aps-auth/core';
import type { Hono } from 'hono';
import { coreCode, jsonError } from '../errors.js';
import type { WebDeps } from '../options.js';
import type { Sessions } from '../sessions.js';

/**
 * `POST /api/auth/logout`: only from a page of this site (`Origin` must be the app's own: a forged form on
 * another site, or a request without `Origin`, is refused). Revokes the grant through core's
 * `TokenManager.signOut`, forgets the session, then sends the browser home, or through Autodesk's logout page
 * when the form says `aps=1` or the app is configured so.
 */
export function registerLogoutRoute(app: Hono, deps: WebDeps, sessions: Sessions): void {
  app.post('/api/auth/logout', async (c) => {
    if (c.req.header('origin') !== deps.origin) {
      return jsonError(c, 403, 'forbidden_origin', 'Sign-out is accepted only from a page of this site.');
    }
    const session = await sessions.current(c);
    if (session !== undefined) {
      try {
        await sessions.manager(session.id).signOut({
          onRevocationFailure: (failure) =>
            deps.log({
              level: 'warn',
              event: 'revocation_failed',
              message: `Revoking the ${failure.tokenTypeHint} failed (${coreCode(failure.error)}); the session is forgotten all the same.`,
            }),
        });
      } catch {
        // Reported above; the session ends regardless.
      }
      await sessions.end(c, session.id);
    }
    const form = c.req.header('content-type')?.includes('form') ? await c.req.parseBody() : {};
    const throughAps = deps.logoutThroughAps || form.aps === '1';
    const target = throughAps
      ? buildLogoutUrl(deps.config, { postLogoutRedirectUri: `${deps.origin}/` })
      : '/';
    c.header('Cache-Control', 'no-store');
    return c.redirect(target, 303);
  });
}
