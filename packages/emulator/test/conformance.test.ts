/**
 * Conformance: oauth4webapi, an independent and widely used OAuth 2 / OIDC client, completes the flows
 * against the emulator. Proof that it speaks standard OAuth, not only our own dialect.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { CALLBACK, CONFIDENTIAL, PUBLIC, requestIdOf, start } from './helpers.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

async function discover(url: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(url);
  const res = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(issuer, res);
}

/** Opens the authorize URL and posts the consent form's Allow, as a browser would; returns the callback URL. */
async function allowInBrowserLikeWay(authorizeUrl: URL, base: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  const res = await fetch(new URL(action, base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request: requestIdOf(html), decision: 'allow' }),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('conformance with oauth4webapi', () => {
  it('confidential client: discovery, code + PKCE with the Allow form, id_token via JWKS, userinfo, refresh x2, revoke', async () => {
    const s = await start();
    const as = await discover(s.url);
    expect(as.issuer).toBe(s.url);
    const client: oauth.Client = { client_id: CONFIDENTIAL.clientId };
    const clientAuth = oauth.ClientSecretBasic(CONFIDENTIAL.clientSecret ?? '');

    const codeVerifier = oauth.generateRandomCodeVerifier();
    const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const authUrl = new URL(as.authorization_endpoint ?? '');
    authUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid data:read data:write',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state,
      nonce,
    }).toString();

    const callback = await allowInBrowserLikeWay(authUrl, s.url);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const codeRes = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      CALLBACK,
      codeVerifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, codeRes, {
      expectedNonce: nonce,
      requireIdToken: true,
    });
    expect(tokens.token_type).toBe('bearer'); // oauth4webapi lower-cases it
    expect(tokens.expires_in).toBe(3599);
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    expect(claims).toMatchObject({ iss: s.url, aud: client.client_id, nonce, sub: 'EMU7TESTUSER' });

    // The id_token's signature, via the published JWKS.
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const verified = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: as.issuer,
      audience: client.client_id,
    });
    expect(verified.payload.nonce).toBe(nonce);

    const infoRes = await oauth.userInfoRequest(as, client, tokens.access_token, insecure);
    const info = await oauth.processUserInfoResponse(as, client, claims?.sub ?? '', infoRes);
    expect(info.email).toBe('ada.lovelace@example.com');

    // Refresh twice; the first refresh token is then dead.
    const r1 = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token ?? '', insecure),
    );
    expect(r1.refresh_token).not.toBe(tokens.refresh_token);
    expect(r1.id_token).toBeUndefined();
    const r2 = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, r1.refresh_token ?? '', insecure),
    );
    expect(r2.access_token).toBeTruthy();
    const reuse = oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token ?? '', insecure),
    );
    await expect(reuse).rejects.toMatchObject({
      name: 'ResponseBodyError',
      error: 'invalid_grant',
      error_description: 'The refresh token is invalid or expired',
      status: 400,
    });

    // Introspect, revoke, introspect again.
    const before = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, clientAuth, r2.access_token, insecure),
    );
    expect(before).toMatchObject({ active: true, client_id: client.client_id });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, r2.access_token, {
        ...insecure,
        additionalParameters: { token_type_hint: 'access_token' },
      }),
    );
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, r2.refresh_token ?? '', {
        ...insecure,
        additionalParameters: { token_type_hint: 'refresh_token' },
      }),
    );
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, clientAuth, r2.access_token, insecure),
    );
    expect(after.active).toBe(false);
    const dead = oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, r2.refresh_token ?? '', insecure),
    );
    await expect(dead).rejects.toMatchObject({ error: 'invalid_grant' });

    expect(s.control.requests().map((r) => [r.endpoint, r.status, r.clientAuth ?? null])).toEqual([
      ['discovery', 200, null],
      ['authorize', 200, null],
      ['consent', 302, null],
      ['token', 200, 'basic'],
      ['keys', 200, null],
      ['userinfo', 200, null],
      ['token', 200, 'basic'],
      ['token', 200, 'basic'],
      ['token', 400, 'basic'],
      ['introspect', 200, 'basic'],
      ['revoke', 200, 'basic'],
      ['revoke', 200, 'basic'],
      ['introspect', 200, 'basic'],
      ['token', 400, 'basic'],
    ]);
  });

  it('client_secret_post works the same way', async () => {
    const s = await start();
    const as = await discover(s.url);
    const client: oauth.Client = { client_id: CONFIDENTIAL.clientId };
    const res = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(CONFIDENTIAL.clientSecret ?? ''),
      { scope: 'data:read' },
      insecure,
    );
    const tokens = await oauth.processClientCredentialsResponse(as, client, res);
    expect(tokens.access_token).toBeTruthy();
    expect(s.control.requests().at(-1)).toMatchObject({
      grantType: 'client_credentials',
      clientAuth: 'body',
      status: 200,
    });
  });

  it('client_credentials with Basic: a two-legged token; userinfo refuses it', async () => {
    const s = await start();
    const as = await discover(s.url);
    const client: oauth.Client = { client_id: CONFIDENTIAL.clientId };
    const clientAuth = oauth.ClientSecretBasic(CONFIDENTIAL.clientSecret ?? '');
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(
        as,
        client,
        clientAuth,
        { scope: 'data:read bucket:read' },
        insecure,
      ),
    );
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3599 });
    expect(tokens.refresh_token).toBeUndefined();
    const info = await oauth.userInfoRequest(as, client, tokens.access_token, insecure);
    expect(info.status).toBe(401);
  });

  it('public client: code + PKCE with no secret (auth method none), then refresh', async () => {
    const s = await start({ autoApprove: true });
    const as = await discover(s.url);
    const client: oauth.Client = { client_id: PUBLIC.clientId };
    const redirectUri = PUBLIC.redirectUris[0] ?? '';
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const authUrl = new URL(as.authorization_endpoint ?? '');
    authUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'data:read',
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(authUrl, { redirect: 'manual' });
    const params = oauth.validateAuthResponse(
      as,
      client,
      new URL(res.headers.get('location') ?? ''),
      oauth.expectNoState,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        params,
        redirectUri,
        codeVerifier,
        insecure,
      ),
    );
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token ?? '', insecure),
    );
    expect(refreshed.access_token).toBeTruthy();
    expect(
      s.control
        .requests()
        .filter((r) => r.endpoint === 'token')
        .map((r) => r.clientAuth),
    ).toEqual(['none', 'none']);
  });

  it('the Deny answer reaches oauth4webapi as an access_denied error', async () => {
    const s = await start();
    const as = await discover(s.url);
    const client: oauth.Client = { client_id: CONFIDENTIAL.clientId };
    const state = oauth.generateRandomState();
    const page = await fetch(
      `${as.authorization_endpoint}?${new URLSearchParams({ client_id: client.client_id, redirect_uri: CALLBACK, response_type: 'code', scope: 'data:read', state })}`,
    );
    const res = await fetch(`${s.url}/authentication/v2/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestIdOf(await page.text()), decision: 'deny' }),
      redirect: 'manual',
    });
    expect(() =>
      oauth.validateAuthResponse(as, client, new URL(res.headers.get('location') ?? ''), state),
    ).toThrow(expect.objectContaining({ error: 'access_denied' }));
  });
});
