import { describe, expect, it } from 'vitest';
import {
  buildLogoutUrl,
  createAuthorizationRequest,
  exchangeCode,
  getTwoLeggedToken,
  getUserInfo,
  introspectToken,
  isOAuthError,
  isSignInRequiredError,
  parseCallback,
  refreshToken,
  revokeToken,
} from '../src/index.js';
import {
  authorize,
  CALLBACK,
  CONFIDENTIAL,
  confidentialConfig,
  login,
  PUBLIC,
  publicConfig,
  recorder,
  SECRET,
  start,
} from './helpers.js';

const basic = `Basic ${Buffer.from(`${CONFIDENTIAL.clientId}:${SECRET}`).toString('base64')}`;

describe('code exchange', () => {
  it('confidential client: Basic header, no client_id in the body, exact form', async () => {
    const server = await start();
    const rec = recorder();
    const config = confidentialConfig(server, { fetch: rec.fetch, now: () => 1_000_000 });
    const request = await createAuthorizationRequest(config);
    const { code } = parseCallback(config, await authorize(request.url), { state: request.state });
    const token = await exchangeCode(config, { code, codeVerifier: request.codeVerifier });

    expect(rec.calls).toHaveLength(1);
    const [call] = rec.calls;
    expect(call!.method).toBe('POST');
    expect(call!.url).toBe(`${server.url}/authentication/v2/token`);
    expect(call!.headers.authorization).toBe(basic);
    expect(call!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call!.headers.accept).toBe('application/json');
    expect(call!.headers['user-agent']).toBe('aps-auth-core');
    expect(Object.fromEntries(new URLSearchParams(call!.body))).toEqual({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: request.codeVerifier,
    });
    const log = server.control.requests().filter((r) => r.endpoint === 'token');
    expect(log).toEqual([
      expect.objectContaining({
        method: 'POST',
        status: 200,
        grantType: 'authorization_code',
        clientAuth: 'basic',
      }),
    ]);
    expect(token).toMatchObject({
      tokenType: 'Bearer',
      issuedAt: 1_000_000,
      expiresAt: 1_000_000 + 3599 * 1000,
      scopes: ['data:read', 'data:write', 'viewables:read'],
    });
    expect(token.accessToken.split('.')).toHaveLength(3);
    expect(token.refreshToken).toEqual(expect.any(String));
    expect(token.idToken).toBeUndefined();
  });

  it('public client: client_id in the body, no Authorization header', async () => {
    const server = await start();
    const rec = recorder();
    const config = publicConfig(server, { fetch: rec.fetch });
    const request = await createAuthorizationRequest(config);
    const { code } = parseCallback(config, await authorize(request.url), { state: request.state });
    await exchangeCode(config, { code, codeVerifier: request.codeVerifier });
    const [call] = rec.calls;
    expect(call!.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(call!.body))).toEqual({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: request.codeVerifier,
      client_id: PUBLIC.clientId,
    });
    expect(server.control.requests().find((r) => r.endpoint === 'token')).toMatchObject({
      clientAuth: 'none',
      status: 200,
    });
  });

  it('returns an id token when openid is asked', async () => {
    const server = await start();
    const { token } = await login(confidentialConfig(server), { scopes: ['openid', 'data:read'] });
    expect(token.idToken?.split('.')).toHaveLength(3);
  });

  it('a reused code is invalid_grant with advice', async () => {
    const server = await start();
    const config = confidentialConfig(server);
    const { code, codeVerifier } = await login(config);
    const error = await exchangeCode(config, { code, codeVerifier }).catch((e: unknown) => e);
    expect(isOAuthError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'OAUTH_ERROR',
      error: 'invalid_grant',
      status: 400,
      endpoint: 'token',
    });
    expect((error as Error).message).toMatch(/start the sign-in again/);
  });

  it('a wrong verifier fails PKCE verification', async () => {
    const server = await start();
    const config = publicConfig(server);
    const request = await createAuthorizationRequest(config);
    const { code } = parseCallback(config, await authorize(request.url), { state: request.state });
    const other = await createAuthorizationRequest(config);
    const error = await exchangeCode(config, { code, codeVerifier: other.codeVerifier }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_grant' });
    expect((error as Error).message).toMatch(/verifier/i);
  });

  it('a wrong secret is invalid_client with advice', async () => {
    const server = await start();
    const config = confidentialConfig(server);
    const request = await createAuthorizationRequest(config);
    const { code } = parseCallback(config, await authorize(request.url), { state: request.state });
    const error = await exchangeCode(
      { ...config, clientSecret: 'wrong-secret-value' },
      { code, codeVerifier: request.codeVerifier },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client', status: 401 });
    expect((error as Error).message).toMatch(/check the client id and secret/);
    expect((error as Error).message).not.toContain('wrong-secret-value');
  });

  it('rejects a malformed verifier before sending', async () => {
    const rec = recorder();
    await expect(
      exchangeCode(
        { clientId: 'x', redirectUri: CALLBACK, fetch: rec.fetch },
        { code: 'c', codeVerifier: 'short' },
      ),
    ).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR', field: 'codeVerifier' });
    expect(rec.calls).toHaveLength(0);
  });
});

describe('refresh', () => {
  it('sends the refresh token once and returns the rotated one', async () => {
    const server = await start();
    const rec = recorder();
    const config = confidentialConfig(server, { fetch: rec.fetch });
    const { token } = await login(config);
    rec.calls.length = 0;
    const refreshed = await refreshToken(config, { refreshToken: token.refreshToken! });
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]!.headers.authorization).toBe(basic);
    expect(Object.fromEntries(new URLSearchParams(rec.calls[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: token.refreshToken,
    });
    expect(refreshed.refreshToken).toBeDefined();
    expect(refreshed.refreshToken).not.toBe(token.refreshToken);
    expect(refreshed.scopes).toEqual(token.scopes);
    expect(refreshed.idToken).toBeUndefined();
  });

  it('down-scopes with a narrower scope, and the grant keeps its scopes', async () => {
    const server = await start();
    const rec = recorder();
    const config = publicConfig(server, { fetch: rec.fetch });
    const { token } = await login(config);
    const narrow = await refreshToken(config, {
      refreshToken: token.refreshToken!,
      scopes: ['viewables:read'],
    });
    expect(new URLSearchParams(rec.calls.at(-1)!.body).get('scope')).toBe('viewables:read');
    expect(new URLSearchParams(rec.calls.at(-1)!.body).get('client_id')).toBe(PUBLIC.clientId);
    expect(narrow.scopes).toEqual(['viewables:read']);
    const full = await refreshToken(config, { refreshToken: narrow.refreshToken! });
    expect(full.scopes).toEqual(['data:read', 'viewables:read']);
  });

  it('a wider scope is invalid_scope', async () => {
    const server = await start();
    const config = publicConfig(server);
    const { token } = await login(config);
    const error = await refreshToken(config, {
      refreshToken: token.refreshToken!,
      scopes: 'data:write',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_scope' });
  });

  it('a spent refresh token becomes SignInRequiredError', async () => {
    const server = await start();
    const config = confidentialConfig(server);
    const { token } = await login(config);
    await refreshToken(config, { refreshToken: token.refreshToken! });
    const error = await refreshToken(config, { refreshToken: token.refreshToken! }).catch((e: unknown) => e);
    expect(isSignInRequiredError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SIGN_IN_REQUIRED', reason: 'refresh_rejected' });
    expect((error as Error).message).toMatch(/sign in again/);
    expect((error as Error & { cause: unknown }).cause).toMatchObject({
      error: 'invalid_grant',
      status: 400,
    });
  });
});

describe('two-legged', () => {
  it('uses client credentials with Basic', async () => {
    const server = await start();
    const rec = recorder();
    const token = await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch }), {
      scopes: ['bucket:read', 'data:read'],
    });
    expect(rec.calls[0]!.headers.authorization).toBe(basic);
    expect(Object.fromEntries(new URLSearchParams(rec.calls[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'bucket:read data:read',
    });
    expect(token.refreshToken).toBeUndefined();
    expect(token.scopes).toEqual(['bucket:read', 'data:read']);
  });

  it('needs a secret', async () => {
    await expect(getTwoLeggedToken({ clientId: 'x', scopes: 'data:read' })).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      field: 'clientSecret',
    });
  });
});

describe('revoke, introspect, userinfo, logout', () => {
  it('introspects, revokes, and sees the token inactive', async () => {
    const server = await start();
    const rec = recorder();
    const config = confidentialConfig(server, { fetch: rec.fetch });
    const { token } = await login(config);
    rec.calls.length = 0;
    const active = await introspectToken(config, { token: token.accessToken });
    expect(active).toMatchObject({ active: true, clientId: CONFIDENTIAL.clientId, scopes: token.scopes });
    expect(active.expiresAt).toBeGreaterThan(0);
    expect(Object.fromEntries(new URLSearchParams(rec.calls[0]!.body))).toEqual({ token: token.accessToken });
    expect(rec.calls[0]!.headers.authorization).toBe(basic);

    await revokeToken(config, { token: token.refreshToken!, tokenTypeHint: 'refresh_token' });
    expect(Object.fromEntries(new URLSearchParams(rec.calls[1]!.body))).toEqual({
      token: token.refreshToken,
      token_type_hint: 'refresh_token',
    });
    expect(rec.calls[1]!.url).toBe(`${server.url}/authentication/v2/revoke`);
    await expect(refreshToken(config, { refreshToken: token.refreshToken! })).rejects.toMatchObject({
      code: 'SIGN_IN_REQUIRED',
    });
    await revokeToken(config, { token: token.accessToken, tokenTypeHint: 'access_token' });
    expect(await introspectToken(config, { token: token.accessToken })).toMatchObject({ active: false });
  });

  it('public client introspect/revoke send client_id in the body', async () => {
    const server = await start();
    const rec = recorder();
    const config = publicConfig(server, { fetch: rec.fetch });
    const { token } = await login(config);
    rec.calls.length = 0;
    // APS requires token_type_hint at revoke.
    await revokeToken(config, { token: token.accessToken, tokenTypeHint: 'access_token' });
    expect(Object.fromEntries(new URLSearchParams(rec.calls[0]!.body))).toEqual({
      token: token.accessToken,
      token_type_hint: 'access_token',
      client_id: PUBLIC.clientId,
    });
    expect(rec.calls[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses a revoke without token_type_hint before sending anything (APS requires it)', async () => {
    const server = await start();
    const rec = recorder();
    const config = publicConfig(server, { fetch: rec.fetch });
    const { token } = await login(config);
    rec.calls.length = 0;
    const call = revokeToken(config, { token: token.accessToken } as never);
    await expect(call).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR', field: 'tokenTypeHint' });
    expect(rec.calls).toHaveLength(0);
  });

  it('gets userinfo with a Bearer token at {base}/userinfo', async () => {
    const server = await start();
    const rec = recorder();
    const config = confidentialConfig(server, { fetch: rec.fetch });
    const { token } = await login(config);
    rec.calls.length = 0;
    const user = await getUserInfo(config, { accessToken: token.accessToken });
    expect(rec.calls[0]).toMatchObject({ method: 'GET', url: `${server.url}/userinfo` });
    expect(rec.calls[0]!.headers.authorization).toBe(`Bearer ${token.accessToken}`);
    expect(user.sub).toEqual(expect.any(String));
    expect(user.email).toEqual(expect.stringContaining('@'));
  });

  it('a bad access token at userinfo is a typed OAuth error', async () => {
    const server = await start();
    const error = await getUserInfo(confidentialConfig(server), { accessToken: 'not-a-token-value' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, endpoint: 'userinfo' });
    expect((error as Error).message).not.toContain('not-a-token-value');
  });

  it('builds the logout URL, which the emulator accepts', async () => {
    const server = await start();
    const url = buildLogoutUrl(confidentialConfig(server), {
      postLogoutRedirectUri: 'http://localhost:8080/bye',
    });
    expect(url).toBe(
      `${server.url}/authentication/v2/logout?post_logout_redirect_uri=${encodeURIComponent('http://localhost:8080/bye')}`,
    );
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost:8080/bye');
    expect(buildLogoutUrl({ clientId: 'x' })).toBe(
      'https://developer.api.autodesk.com/authentication/v2/logout',
    );
  });
});
