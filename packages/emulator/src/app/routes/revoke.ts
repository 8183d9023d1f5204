import type { Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { AppEnv, EmulatorDeps } from '../context.js';
import { DESCRIPTIONS, oauthError } from '../errors.js';
import { readForm } from '../form.js';

/**
 * `POST /authentication/v2/revoke` (RFC 7009): `token` and `token_type_hint` required; 200 with an empty body, also
 * for an unknown or foreign token.
 * A refresh token ends its whole grant; an access token only itself.
 */
export function registerRevokeRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.post('/authentication/v2/revoke', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const auth = await authenticateClient(c, deps, form, 'revoke');
    if (!auth.ok) return auth.response;
    const token = form.get('token');
    if (!token) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('token'));
    // APS's reference marks the hint required. Either kind of token is found whatever the hint says.
    const hint = form.get('token_type_hint');
    if (!hint) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('token_type_hint'));
    if (hint !== 'access_token' && hint !== 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.badTokenTypeHint);
    }
    const clientId = auth.client.clientId;
    if (deps.grants.refreshTokenClient(token) === clientId) {
      deps.grants.revokeRefreshToken(token);
    } else {
      const claims = await deps.signer.verifyAccessToken(token, deps.clock.now());
      if (claims?.client_id === clientId) deps.grants.revokeAccessToken(claims.jti);
    }
    return c.body(null, 200);
  });
}
