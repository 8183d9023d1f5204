import { describe, expect, it } from 'vitest';
import { basic, get, loginConfidential, postForm, start } from './helpers.js';

const AUTH006 = {
  developerMessage: expect.any(String),
  userMessage: expect.any(String),
  errorCode: 'AUTH-006',
  'more info': 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/',
};

const NOW_MS = 1_800_000_000_000;

/** APS's `sizeX<N>` keys, each the pre-signed URL of that thumbnail size. */
function thumbnailsOf(escapedUserId: string): Record<string, string> {
  const sizes = [20, 40, 50, 58, 80, 120, 160, 176, 240, 360];
  return Object.fromEntries(
    sizes.map((n) => [
      `sizeX${n}`,
      `https://images.profile.autodesk.com/${escapedUserId}/profilepictures/x${n}.jpg`,
    ]),
  );
}

describe('userinfo', () => {
  it("answers APS's field names for a three-legged token, the documented profile fields included", async () => {
    const s = await start({ now: () => NOW_MS });
    const t = await loginConfidential(s);
    const res = await get(`${s.url}/userinfo`, { authorization: `Bearer ${t.access_token}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    // Every field, exactly: the APS-only ones (is_2fa_enabled, country_code, ldap_enabled, eidm_guid, …) included.
    expect(body).toStrictEqual({
      sub: 'EMU7TESTUSER',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      preferred_username: 'ada.lovelace',
      email: 'ada.lovelace@example.com',
      email_verified: true,
      profile: 'https://profile.autodesk.com',
      picture: 'https://images.profile.autodesk.com/EMU7TESTUSER/profilepictures/x120.jpg',
      locale: 'en-US',
      updated_at: 1700000000,
      is_2fa_enabled: false,
      country_code: 'US',
      language: 'en',
      ldap_enabled: false,
      ldap_domain: null,
      created_date: '1577836800',
      // When the access token was issued (its iat), as a string like APS's.
      last_login_date: String(NOW_MS / 1000),
      eidm_guid: 'EMU7TESTUSER',
      opt_in: false,
      thumbnails: thumbnailsOf('EMU7TESTUSER'),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'userinfo',
      status: 200,
      clientId: 'web-app',
    });
  });

  it('serves the configured user', async () => {
    const user = {
      userId: 'U1/ä',
      email: 'g@example.org',
      firstName: 'Grace',
      lastName: 'Hopper',
      userName: 'grace',
    };
    const s = await start({ user, now: () => NOW_MS });
    const t = await loginConfidential(s);
    const body = await (await get(`${s.url}/userinfo`, { authorization: `Bearer ${t.access_token}` })).json();
    expect(body).toStrictEqual({
      sub: 'U1/ä',
      name: 'Grace Hopper',
      given_name: 'Grace',
      family_name: 'Hopper',
      preferred_username: 'grace',
      email: 'g@example.org',
      email_verified: true,
      profile: 'https://profile.autodesk.com',
      // The user id is escaped into the picture URL's path.
      picture: 'https://images.profile.autodesk.com/U1%2F%C3%A4/profilepictures/x120.jpg',
      locale: 'en-US',
      updated_at: 1700000000,
      is_2fa_enabled: false,
      country_code: 'US',
      language: 'en',
      ldap_enabled: false,
      ldap_domain: null,
      created_date: '1577836800',
      last_login_date: String(NOW_MS / 1000),
      eidm_guid: 'U1/ä',
      opt_in: false,
      thumbnails: thumbnailsOf('U1%2F%C3%A4'),
    });
  });

  it('answers 401 AUTH-006 in the gateway shape for no, bad, expired, revoked or two-legged tokens', async () => {
    const s = await start();
    const t = await loginConfidential(s);
    const cc = (await (
      await postForm(
        `${s.url}/authentication/v2/token`,
        { grant_type: 'client_credentials', scope: 'data:read' },
        { authorization: basic('web-app', 'web-secret') },
      )
    ).json()) as { access_token: string };
    const check = async (headers: Record<string, string>) => {
      const res = await get(`${s.url}/userinfo`, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual(AUTH006);
      expect(Object.keys(body)).toEqual(['developerMessage', 'userMessage', 'errorCode', 'more info']);
    };
    await check({});
    await check({ authorization: 'Bearer garbage' });
    await check({ authorization: `Basic ${t.access_token}` });
    await check({ authorization: `Bearer ${cc.access_token}` });
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'userinfo',
      status: 401,
      error: 'AUTH-006',
    });
    s.control.advanceClock(3600);
    await check({ authorization: `Bearer ${t.access_token}` });
  });
});

describe('logout', () => {
  it('302s to a registered post_logout_redirect_uri', async () => {
    const s = await start();
    const target = 'http://localhost:8080/bye';
    const res = await get(
      `${s.url}/authentication/v2/logout?post_logout_redirect_uri=${encodeURIComponent(target)}`,
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(target);
    expect(s.control.requests().at(-1)).toMatchObject({ endpoint: 'logout', status: 302 });
  });

  it('never redirects to an unregistered URI; without one it shows a signed-out page', async () => {
    const s = await start();
    const bad = await get(
      `${s.url}/authentication/v2/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
    expect(await bad.text()).toContain('Invalid post_logout_redirect_uri');
    const none = await get(`${s.url}/authentication/v2/logout`);
    expect(none.status).toBe(200);
    expect(await none.text()).toContain('Signed out');
  });
});

describe('discovery', () => {
  it('publishes the v2 endpoints under the base URL', async () => {
    const s = await start();
    const res = await get(`${s.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: s.url,
      authorization_endpoint: `${s.url}/authentication/v2/authorize`,
      token_endpoint: `${s.url}/authentication/v2/token`,
      revocation_endpoint: `${s.url}/authentication/v2/revoke`,
      introspection_endpoint: `${s.url}/authentication/v2/introspect`,
      end_session_endpoint: `${s.url}/authentication/v2/logout`,
      jwks_uri: `${s.url}/authentication/v2/keys`,
      userinfo_endpoint: `${s.url}/userinfo`,
      response_types_supported: ['code'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    // The ID token's claims: APS's names and the registered ones.
    expect(d.claims_supported).toEqual([
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'nonce',
      'userid',
      'user_name',
      'user_email',
      'first_name',
      'last_name',
      'analytics_id',
    ]);
    // Like APS (2023), it does not advertise PKCE methods: clients must not depend on it.
    expect(d).not.toHaveProperty('code_challenge_methods_supported');
    expect(s.control.requests().at(-1)).toMatchObject({ endpoint: 'discovery', status: 200 });
  });

  it('uses the issuer option when given', async () => {
    const s = await start({ issuer: 'https://auth.example' });
    const d = (await (await get(`${s.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(d.issuer).toBe('https://auth.example');
  });
});
