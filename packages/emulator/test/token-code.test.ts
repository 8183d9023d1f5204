import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  basic,
  CALLBACK,
  CONFIDENTIAL,
  get,
  locationParams,
  PUBLIC,
  pkce,
  postForm,
  start,
} from './helpers.js';

const AUTH = { authorization: basic('web-app', 'web-secret') };

async function codeFor(url: string, params: Record<string, string> = {}): Promise<string> {
  const res = await get(
    authorizeUrl(url, {
      client_id: CONFIDENTIAL.clientId,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'data:read',
      ...params,
    }),
  );
  return locationParams(res).get('code') ?? '';
}

function exchange(url: string, form: Record<string, string>, headers: Record<string, string> = AUTH) {
  return postForm(`${url}/authentication/v2/token`, { grant_type: 'authorization_code', ...form }, headers);
}

describe('token: authorization_code', () => {
  it("answers APS's shape with no-store: access and refresh token, expires_in 3599, no id_token without openid", async () => {
    const s = await start({ autoApprove: true });
    const code = await codeFor(s.url);
    const res = await exchange(s.url, { code, redirect_uri: CALLBACK });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3599);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.control.requests().at(-1)).toEqual({
      id: expect.any(Number),
      time: expect.any(String),
      method: 'POST',
      path: '/authentication/v2/token',
      endpoint: 'token',
      status: 200,
      clientId: 'web-app',
      grantType: 'authorization_code',
      clientAuth: 'basic',
    });
  });

  it('adds an id_token only when openid was asked', async () => {
    const s = await start({ autoApprove: true });
    const code = await codeFor(s.url, { scope: 'openid data:read', nonce: 'abc' });
    const body = (await (await exchange(s.url, { code, redirect_uri: CALLBACK })).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'token_type',
    ]);
  });

  it('a code works once', async () => {
    const s = await start({ autoApprove: true });
    const code = await codeFor(s.url);
    expect((await exchange(s.url, { code, redirect_uri: CALLBACK })).status).toBe(200);
    const again = await exchange(s.url, { code, redirect_uri: CALLBACK });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or has expired',
    });
    expect(s.control.requests().at(-1)).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('a code lives 5 minutes on the emulator clock', async () => {
    const s = await start({ autoApprove: true });
    const fresh = await codeFor(s.url);
    const old = await codeFor(s.url);
    s.control.advanceClock(299);
    expect((await exchange(s.url, { code: fresh, redirect_uri: CALLBACK })).status).toBe(200);
    s.control.advanceClock(1);
    const late = await exchange(s.url, { code: old, redirect_uri: CALLBACK });
    expect(late.status).toBe(400);
    expect(((await late.json()) as { error_description: string }).error_description).toBe(
      'The authorization code is invalid or has expired',
    );
  });

  it('codeLifetime is configurable', async () => {
    const s = await start({ autoApprove: true, codeLifetime: 10 });
    const code = await codeFor(s.url);
    s.control.advanceClock(10);
    expect((await exchange(s.url, { code, redirect_uri: CALLBACK })).status).toBe(400);
  });

  it('an unknown code, a missing code, or a code of another client is invalid', async () => {
    const s = await start({ autoApprove: true });
    const bad = await exchange(s.url, { code: 'nope', redirect_uri: CALLBACK });
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
    const missing = await exchange(s.url, { redirect_uri: CALLBACK });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'code'",
    });
    s.control.registerClient({ clientId: 'other', clientSecret: 'o', redirectUris: [CALLBACK] });
    const code = await codeFor(s.url);
    const foreign = await exchange(
      s.url,
      { code, redirect_uri: CALLBACK },
      { authorization: basic('other', 'o') },
    );
    expect(await foreign.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or has expired',
    });
  });

  it('redirect_uri must equal the authorize one: "The \'redirect_uri\' is invalid"', async () => {
    const s = await start({ autoApprove: true });
    for (const redirect_uri of ['http://localhost:8080/other/', `${CALLBACK}/`]) {
      const code = await codeFor(s.url);
      const res = await exchange(s.url, { code, redirect_uri });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_grant',
        error_description: "The 'redirect_uri' is invalid",
      });
    }
  });

  it('a missing redirect_uri is invalid_request (RFC 6749 5.2) and does not spend the code', async () => {
    const s = await start({ autoApprove: true });
    const code = await codeFor(s.url);
    for (const form of [{ code }, { code, redirect_uri: '' }] as Record<string, string>[]) {
      const res = await exchange(s.url, form);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: "The request is missing a required parameter 'redirect_uri'",
      });
    }
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'token',
      status: 400,
      error: 'invalid_request',
    });
    expect((await exchange(s.url, { code, redirect_uri: CALLBACK })).status).toBe(200);
  });

  it("a code_challenge at authorize and no code_verifier at token is APS's invalid_request, and the code is spent", async () => {
    const s = await start({ autoApprove: true });
    const { verifier, challenge } = pkce();
    const code = await codeFor(s.url, { code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await exchange(s.url, { code, redirect_uri: CALLBACK });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'code_verifier'",
    });
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'token',
      status: 400,
      error: 'invalid_request',
    });
    const again = await exchange(s.url, { code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('code_verifier must match the S256 challenge: "PKCE verification failed"', async () => {
    const s = await start({ autoApprove: true });
    const { verifier, challenge } = pkce();
    const pk = { code_challenge: challenge, code_challenge_method: 'S256' };
    const pkceError = { error: 'invalid_grant', error_description: 'PKCE verification failed' };
    for (const code_verifier of [pkce().verifier, 'short', `${verifier}!`]) {
      const code = await codeFor(s.url, pk);
      const form: Record<string, string> = { code, redirect_uri: CALLBACK, code_verifier };
      const res = await exchange(s.url, form);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(pkceError);
    }
    const code = await codeFor(s.url, pk);
    expect((await exchange(s.url, { code, redirect_uri: CALLBACK, code_verifier: verifier })).status).toBe(
      200,
    );
    // A verifier for a code that had no challenge is a PKCE failure too.
    const plain = await codeFor(s.url);
    expect(
      await (await exchange(s.url, { code: plain, redirect_uri: CALLBACK, code_verifier: verifier })).json(),
    ).toEqual(pkceError);
  });

  it('a public client authenticates with client_id alone and must have used PKCE', async () => {
    const s = await start({ autoApprove: true });
    const { verifier, challenge } = pkce();
    const redirectUri = PUBLIC.redirectUris[0] ?? '';
    const res = await get(
      authorizeUrl(s.url, {
        client_id: PUBLIC.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'data:read',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const code = locationParams(res).get('code') ?? '';
    const token = await exchange(
      s.url,
      { client_id: PUBLIC.clientId, code, redirect_uri: redirectUri, code_verifier: verifier },
      {},
    );
    expect(token.status).toBe(200);
    expect(s.control.requests().at(-1)).toMatchObject({
      clientAuth: 'none',
      clientId: 'desktop-app',
      status: 200,
    });
  });

  it("a public client's code issued without PKCE is refused at the token request, where APS refuses it", async () => {
    const s = await start({ autoApprove: true });
    const redirectUri = PUBLIC.redirectUris[0] ?? '';
    const codeWithoutPkce = async () => {
      const res = await get(
        authorizeUrl(s.url, {
          client_id: PUBLIC.clientId,
          response_type: 'code',
          redirect_uri: redirectUri,
          scope: 'data:read',
          state: 'st',
        }),
      );
      // Authorize issues the code, as APS does.
      expect(res.status).toBe(302);
      expect(locationParams(res).get('state')).toBe('st');
      return locationParams(res).get('code') ?? '';
    };
    const form = { client_id: PUBLIC.clientId, redirect_uri: redirectUri };
    const noVerifier = await exchange(s.url, { ...form, code: await codeWithoutPkce() }, {});
    expect(noVerifier.status).toBe(400);
    expect(await noVerifier.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'code_verifier'",
    });
    const someVerifier = await exchange(
      s.url,
      { ...form, code: await codeWithoutPkce(), code_verifier: pkce().verifier },
      {},
    );
    expect(await someVerifier.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'PKCE verification failed',
    });
    expect(s.control.requests().filter((r) => r.endpoint === 'authorize')).toMatchObject([
      { status: 302, clientId: PUBLIC.clientId },
      { status: 302, clientId: PUBLIC.clientId },
    ]);
  });

  it('a code issued without PKCE is refused to a client that became public, and the code is spent', async () => {
    const s = await start({ autoApprove: true });
    // Confidential at authorize time, so no code_challenge is needed...
    const code = await codeFor(s.url);
    // ...then the same client id becomes public (no secret) before the exchange.
    s.control.registerClient({ clientId: CONFIDENTIAL.clientId, redirectUris: [CALLBACK] });
    expect(s.control.listClients().find((c) => c.clientId === CONFIDENTIAL.clientId)?.type).toBe('public');
    const form = { client_id: CONFIDENTIAL.clientId, code, redirect_uri: CALLBACK };
    const res = await exchange(s.url, form, {});
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'code_verifier'",
    });
    expect(s.control.requests().at(-1)).toEqual({
      id: expect.any(Number),
      time: expect.any(String),
      method: 'POST',
      path: '/authentication/v2/token',
      endpoint: 'token',
      status: 400,
      clientId: CONFIDENTIAL.clientId,
      grantType: 'authorization_code',
      clientAuth: 'none',
      error: 'invalid_request',
    });
    // A failed exchange spends the code.
    expect(await (await exchange(s.url, form, {})).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or has expired',
    });
  });
});
