import type { Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { AppEnv, EmulatorDeps } from '../context.js';
import { DESCRIPTIONS, oauthError } from '../errors.js';
import { readForm } from '../form.js';

/** `POST /authentication/v2/introspect`: `{active, scope, client_id, exp, userid}` or `{active:false}`. */
export function registerIntrospectRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.post('/authentication/v2/introspect', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const auth = await authenticateClient(c, deps, form, 'introspect');
    if (!auth.ok) return auth.response;
    const token = form.get('token');
    if (!token) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('token'));
    const now = deps.clock.now();
    const headers = { 'Cache-Control': 'no-store' };
    const claims = await deps.signer.verifyAccessToken(token, now);
    // "An application can only introspect its own tokens": another client's token is inactive to it.
    if (
      claims &&
      claims.client_id === auth.client.clientId &&
      deps.grants.activeAccessToken(claims.jti, now)
    ) {
      return c.json(
        {
          active: true,
          scope: claims.scope.join(' '),
          client_id: claims.client_id,
          exp: claims.exp,
          ...(claims.userid === undefined ? {} : { userid: claims.userid }),
        },
        200,
        headers,
      );
    }
    return c.json({ active: false }, 200, headers);
  });
}
