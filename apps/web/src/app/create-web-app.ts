import { Hono } from 'hono';
import { storeFailure } from './errors.js';
import { resolveWebOptions, type WebAppOptions } from './options.js';
import { registerApiRoutes } from './routes/api.js';
import { registerCallbackRoute } from './routes/callback.js';
import { registerPageRoutes } from './routes/home.js';
import { registerLoginRoute } from './routes/login.js';
import { registerLogoutRoute } from './routes/logout.js';
import { registerRelayRoutes } from './routes/relay.js';
import { securityHeaders } from './security-headers.js';
import { Sessions } from './sessions.js';
import { isSessionStoreError } from './store-errors.js';

/**
 * The web sign-in app (Web APIs only: runs wherever Hono runs). Mount it in another Hono app with
 * `parent.route('/', createWebApp(options))`, or serve it with `aps-auth-web`. Every protocol step is
 * `@aps-auth/core`'s; this app keeps sessions and renders pages. Throws core's `ConfigurationError` for bad
 * options.
 */
export function createWebApp(options: WebAppOptions): Hono {
  const deps = resolveWebOptions(options);
  const sessions = new Sessions(deps);
  const app = new Hono();
  app.use('*', securityHeaders(deps.headers));
  registerPageRoutes(app, deps, sessions);
  registerLoginRoute(app, deps, sessions);
  registerCallbackRoute(app, deps, sessions);
  registerApiRoutes(app, deps, sessions);
  registerLogoutRoute(app, deps, sessions);
  registerRelayRoutes(app, deps);
  app.notFound((c) => c.json({ error: 'not_found', error_description: 'No such route.' }, 404));
  app.onError((error, c) => {
    if (isSessionStoreError(error)) return storeFailure(c, deps, error);
    deps.log({ level: 'error', event: 'internal_error', message: `Unhandled error: ${error.name}.` });
    return c.json({ error: 'internal_error', error_description: 'Something went wrong.' }, 500);
  });
  return app;
}
