import type { Hono } from 'hono';
import type { AppEnv, EmulatorDeps } from '../context.js';
import { BAD_TOKEN_MESSAGE, gatewayError, NO_TOKEN_MESSAGE } from '../errors.js';
import type { EmulatorUser } from '../types.js';

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
    return c.json(userinfoOf(deps.user, claims.iat));
  });
}

const THUMBNAIL_SIZES = [20, 40, 50, 58, 80, 120, 160, 176, 240, 360];
/** 2020-01-01T00:00:00Z: when the test user's profile was "created". */
const CREATED = 1577836800;

/** APS's userinfo document for the test user; `last_login_date` is when the access token was issued. */
function userinfoOf(u: EmulatorUser, signedInAt: number) {
  const id = encodeURIComponent(u.userId);
  const thumbnails: Record<string, string> = {};
  for (const size of THUMBNAIL_SIZES) {
    thumbnails[`sizeX${size}`] = `https://images.profile.autodesk.com/${id}/profilepictures/x${size}.jpg`;
  }
  return {
    sub: u.userId,
    name: `${u.firstName} ${u.lastName}`,
    given_name: u.firstName,
    family_name: u.lastName,
    preferred_username: u.userName,
    email: u.email,
    email_verified: true,
    profile: 'https://profile.autodesk.com',
    picture: thumbnails.sizeX120,
    locale: 'en-US',
    updated_at: 1700000000,
    is_2fa_enabled: false,
    country_code: 'US',
    language: 'en',
    ldap_enabled: false,
    ldap_domain: null,
    created_date: String(CREATED),
    last_login_date: String(signedInAt),
    eidm_guid: u.userId,
    opt_in: false,
    thumbnails,
  };
}
