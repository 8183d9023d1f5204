import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { basic, decodeJwtHeader, loginConfidential, postForm, start } from './helpers.js';

describe('tokens are RS256 JWTs signed by the published key', () => {
  it('publishes an RSA public key with a kid at /authentication/v2/keys', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/authentication/v2/keys`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    const key = jwks.keys[0] ?? {};
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(key.kid).toEqual(expect.any(String));
    expect(key).not.toHaveProperty('d');
    expect(key).not.toHaveProperty('p');
  });

  it("access tokens carry APS's claims and verify against the JWKS", async () => {
    const s = await start();
    const tokens = await loginConfidential(s, 'data:read data:write');
    const jwks = createRemoteJWKSet(new URL(`${s.url}/authentication/v2/keys`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      algorithms: ['RS256'],
      currentDate: new Date(s.control.now()),
    });
    const kid = (
      (await (await fetch(`${s.url}/authentication/v2/keys`)).json()) as { keys: Array<{ kid: string }> }
    ).keys[0]?.kid;
    expect(protectedHeader).toEqual({ alg: 'RS256', kid, typ: 'JWT' });
    expect(payload).toEqual({
      scope: ['data:read', 'data:write'],
      client_id: 'web-app',
      userid: 'EMU7TESTUSER',
      aud: 'https://autodesk.com',
      iss: s.url,
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(payload.exp).toBe((payload.iat ?? 0) + 3600);
    expect(Math.abs((payload.iat ?? 0) * 1000 - s.control.now())).toBeLessThan(2000);
  });

  it('iat and exp follow the emulator clock', async () => {
    const s = await start();
    s.control.advanceClock(86400);
    const tokens = await loginConfidential(s);
    const jwks = createRemoteJWKSet(new URL(`${s.url}/authentication/v2/keys`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      currentDate: new Date(s.control.now()),
    });
    expect((payload.iat ?? 0) * 1000).toBeGreaterThan(Date.now() + 86000 * 1000);
  });

  it("id tokens carry APS's documented claims (userid, user_name, user_email, first_name, last_name, analytics_id) and what a verifier needs", async () => {
    const s = await start({ now: () => 1_800_000_000_000 });
    const tokens = await loginConfidential(s, 'openid data:read');
    const jwks = createLocalJWKSet(
      (await (await fetch(`${s.url}/authentication/v2/keys`)).json()) as JSONWebKeySet,
    );
    const { payload } = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: s.url,
      audience: 'web-app',
      currentDate: new Date(s.control.now()),
    });
    const iat = 1_800_000_000;
    // Every claim, exactly: APS's names, not the generic OIDC profile ones (email, name, given_name, ...).
    expect(payload).toStrictEqual({
      iss: s.url,
      sub: 'EMU7TESTUSER',
      aud: 'web-app',
      iat,
      exp: iat + 3600,
      nonce: 'n0nce',
      userid: 'EMU7TESTUSER',
      user_name: 'ada.lovelace',
      user_email: 'ada.lovelace@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      analytics_id: 'EMU-ANALYTICS-EMU7TESTUSER',
    });
    expect(decodeJwtHeader(tokens.id_token ?? '').alg).toBe('RS256');
  });

  it('two-legged tokens have no userid; the lifetime option and setAccessTokenLifetime change exp and expires_in', async () => {
    const s = await start({ accessTokenLifetime: 600, issuer: 'https://issuer.example' });
    const auth = { authorization: basic('web-app', 'web-secret') };
    const cc = async () => {
      const res = await postForm(
        `${s.url}/authentication/v2/token`,
        { grant_type: 'client_credentials', scope: 'data:read' },
        auth,
      );
      return (await res.json()) as { access_token: string; expires_in: number };
    };
    const jwks = createRemoteJWKSet(new URL(`${s.url}/authentication/v2/keys`));
    const a = await cc();
    expect(a.expires_in).toBe(599);
    const { payload } = await jwtVerify(a.access_token, jwks, { issuer: 'https://issuer.example' });
    expect(payload).not.toHaveProperty('userid');
    expect(payload).toMatchObject({ client_id: 'web-app', scope: ['data:read'] });
    expect(payload.exp).toBe((payload.iat ?? 0) + 600);
    s.control.setAccessTokenLifetime(120);
    expect((await cc()).expires_in).toBe(119);
  });
});
