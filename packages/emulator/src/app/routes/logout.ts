import type { Hono } from 'hono';
import type { AppEnv, EmulatorDeps } from '../context.js';
import { errorPage, signedOutPage } from '../pages.js';

/** `GET /authentication/v2/logout`: 302 to a registered `post_logout_redirect_uri`, else a page. */
export function registerLogoutRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.get('/authentication/v2/logout', (c) => {
    const target = new URL(c.req.url).searchParams.get('post_logout_redirect_uri');
    if (target === null) return c.html(signedOutPage(), 200);
    if (!deps.clients.hasPostLogoutUri(target)) {
      c.get('log').error = 'invalid_request';
      return c.html(
        errorPage(
          '400 - Invalid post_logout_redirect_uri',
          'The post_logout_redirect_uri is not registered for any app (exact match).',
        ),
        400,
      );
    }
    return c.redirect(target, 302);
  });
}
