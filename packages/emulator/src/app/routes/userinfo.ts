import type { Hono } from 'hono';
import type { AppEnv, EmulatorDeps } from '../context.js';
import { BAD_TOKEN_MESSAGE, gatewayError, NO_TOKEN_MESSAGE } from '../errors.js';

/** `GET /userinfo`: three-legged tokens only; APS's field names. */
export function registerUserinfoRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.get('/userinfo', async (c) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer +(\S+) *$/i.exec(header);
    const challenge = { 'WWW-Authenticate': 'Bearer' };
    if (!m?.[1]) return gatewayError(c, 401, 'AUTH-006', NO_TOKEN_MESSAGE, challenge);
    const now = deps.clock.now();
    const claims = await deps.signer.verifyAccessToken(m[1], now);
    if (!claims || claims.userid === undefined || !deps.grants.activeAccessToken(claims.jti, now)) {
      return gatewayError(c, 401, 'AUTH-006', BAD_TOKEN_MESSAGE, challenge);
    }
    c.get('log').clientId = claims.client_id;
    const u = deps.user;
    return c.json({
      sub: u.userId,
      name: `${u.firstName} ${u.lastName}`,
      given_name: u.firstName,
      family_name: u.lastName,
      preferred_username: u.userName,
      email: u.email,
      email_verified: true,
      profile: 'https://profile.autodesk.com',
      picture: `https://images.profile.autodesk.com/${encodeURIComponent(u.userId)}/profilepictures/x120.jpg`,
      locale: 'en-US',
      updated_at: 1700000000,
      is_2fa_enabled: false,
      country_code: 'US',
      language: 'en',
    });
  });
}
