import { describe, expect, it } from 'vitest';
import { basic, decodeJwt, loginConfidential, loginPublic, postForm, start } from './helpers.js';

const AUTH = { authorization: basic('web-app', 'web-secret') };
const BAD_REFRESH = { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired' };

function refresh(url: string, form: Record<string, string>, headers: Record<string, string> = AUTH) {
  return postForm(`${url}/authentication/v2/token`, { grant_type: 'refresh_token', ...form }, headers);
}

describe('token: refresh_token', () => {
  it('returns a new refresh token each time; a reused one is invalid_grant', async () => {
    const s = await start();
    const first = await loginConfidential(s);
    const r1 = await refresh(s.url, { refresh_token: first.refresh_token ?? '' });
    expect(r1.status).toBe(200);
    expect(r1.headers.get('cache-control')).toBe('no-store');
    const b1 = (await r1.json()) as Record<string, string | number>;
    expect(Object.keys(b1).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(b1.refresh_token).not.toBe(first.refresh_token);
    expect(b1.expires_in).toBe(3599);

    const reused = await refresh(s.url, { refresh_token: first.refresh_token ?? '' });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual(BAD_REFRESH);
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'token',
      grantType: 'refresh_token',
      status: 400,
      error: 'invalid_grant',
    });

    const r2 = await refresh(s.url, { refresh_token: String(b1.refresh_token) });
    expect(r2.status).toBe(200);
  });

  it('never returns an id_token, even when the grant had openid', async () => {
    const s = await start();
    const first = await loginConfidential(s, 'openid data:read');
    expect(first.id_token).toBeDefined();
    const body = (await (
      await refresh(s.url, { refresh_token: first.refresh_token ?? '' })
    ).json()) as object;
    expect(body).not.toHaveProperty('id_token');
  });

  it('allows a narrower scope, rejects a wider one, and the grant keeps its original scopes', async () => {
    const s = await start();
    const first = await loginConfidential(s, 'data:read data:write viewables:read');
    const wide = await refresh(s.url, {
      refresh_token: first.refresh_token ?? '',
      scope: 'data:read data:create',
    });
    expect(wide.status).toBe(400);
    expect(await wide.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or exceeds the scope granted',
    });
    // The rejected request did not spend the refresh token.
    const narrow = await refresh(s.url, {
      refresh_token: first.refresh_token ?? '',
      scope: 'viewables:read',
    });
    expect(narrow.status).toBe(200);
    const n = (await narrow.json()) as { access_token: string; refresh_token: string };
    expect(decodeJwt(n.access_token).scope).toEqual(['viewables:read']);
    const full = (await (await refresh(s.url, { refresh_token: n.refresh_token })).json()) as {
      access_token: string;
    };
    expect(decodeJwt(full.access_token).scope).toEqual(['data:read', 'data:write', 'viewables:read']);
    const empty = await refresh(s.url, { refresh_token: 'whatever', scope: ' ' });
    expect(empty.status).toBe(400);
  });

  it('refresh tokens live 15 days on the emulator clock', async () => {
    const s = await start();
    const a = await loginConfidential(s);
    const b = await loginConfidential(s);
    s.control.advanceClock(15 * 86400 - 1);
    expect((await refresh(s.url, { refresh_token: a.refresh_token ?? '' })).status).toBe(200);
    s.control.advanceClock(1);
    const late = await refresh(s.url, { refresh_token: b.refresh_token ?? '' });
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual(BAD_REFRESH);
  });

  it('refreshTokenLifetime is configurable', async () => {
    const s = await start({ refreshTokenLifetime: 60 });
    const a = await loginConfidential(s);
    s.control.advanceClock(60);
    expect(await (await refresh(s.url, { refresh_token: a.refresh_token ?? '' })).json()).toEqual(
      BAD_REFRESH,
    );
  });

  it("an unknown token, another client's token, or a missing one is rejected", async () => {
    const s = await start();
    expect(await (await refresh(s.url, { refresh_token: 'nope' })).json()).toEqual(BAD_REFRESH);
    const pub = await loginPublic(s);
    expect(await (await refresh(s.url, { refresh_token: pub.refresh_token ?? '' })).json()).toEqual(
      BAD_REFRESH,
    );
    const missing = await refresh(s.url, {});
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'refresh_token'",
    });
  });

  it('a public client refreshes with client_id alone', async () => {
    const s = await start();
    const pub = await loginPublic(s);
    const res = await refresh(
      s.url,
      { refresh_token: pub.refresh_token ?? '', client_id: 'desktop-app' },
      {},
    );
    expect(res.status).toBe(200);
  });

  it('a client without the refresh_token grant gets no refresh token and cannot refresh', async () => {
    const s = await start({
      autoApprove: true,
      clients: [
        {
          clientId: 'no-refresh',
          clientSecret: 'x',
          redirectUris: ['http://localhost:1/cb'],
          grants: ['authorization_code'],
        },
      ],
    });
    const auth = await fetch(
      `${s.url}/authentication/v2/authorize?client_id=no-refresh&response_type=code&redirect_uri=${encodeURIComponent('http://localhost:1/cb')}&scope=data:read`,
      { redirect: 'manual' },
    );
    const code = new URL(auth.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const res = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:1/cb' },
      { authorization: basic('no-refresh', 'x') },
    );
    expect(Object.keys((await res.json()) as object).sort()).toEqual([
      'access_token',
      'expires_in',
      'token_type',
    ]);
  });
});
