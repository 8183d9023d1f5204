import { describe, expect, it } from 'vitest';
import { basic, loginConfidential, loginPublic, postForm, start } from './helpers.js';

const AUTH = { authorization: basic('web-app', 'web-secret') };

function introspect(url: string, token: string, headers: Record<string, string> = AUTH, extra = {}) {
  return postForm(`${url}/authentication/v2/introspect`, { token, ...extra }, headers);
}
function revoke(url: string, form: Record<string, string>, headers: Record<string, string> = AUTH) {
  return postForm(`${url}/authentication/v2/revoke`, form, headers);
}

describe('introspect', () => {
  it('describes an active three-legged token as {active, scope, client_id, exp, userid}', async () => {
    const s = await start();
    const t = await loginConfidential(s, 'data:read data:write');
    const res = await introspect(s.url, t.access_token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      active: true,
      scope: 'data:read data:write',
      client_id: 'web-app',
      exp: expect.any(Number),
      userid: 'EMU7TESTUSER',
    });
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'introspect',
      status: 200,
      clientAuth: 'basic',
    });
  });

  it('two-legged tokens have no userid', async () => {
    const s = await start();
    const cc = (await (
      await postForm(
        `${s.url}/authentication/v2/token`,
        { grant_type: 'client_credentials', scope: 'data:read' },
        AUTH,
      )
    ).json()) as { access_token: string };
    expect(await (await introspect(s.url, cc.access_token)).json()).toEqual({
      active: true,
      scope: 'data:read',
      client_id: 'web-app',
      exp: expect.any(Number),
    });
  });

  it('answers {active:false} for garbage, a refresh token, an expired token and a token from before reset', async () => {
    const s = await start();
    const t = await loginConfidential(s);
    for (const token of ['garbage', 'a.b.c', t.refresh_token ?? '']) {
      expect(await (await introspect(s.url, token)).json()).toEqual({ active: false });
    }
    s.control.advanceClock(3600);
    expect(await (await introspect(s.url, t.access_token)).json()).toEqual({ active: false });
    s.control.reset();
    expect(await (await introspect(s.url, t.access_token)).json()).toEqual({ active: false });
  });

  it('a public client introspects with client_id in the body', async () => {
    const s = await start();
    const t = await loginPublic(s);
    const res = await introspect(s.url, t.access_token, {}, { client_id: 'desktop-app' });
    expect(await res.json()).toMatchObject({ active: true, client_id: 'desktop-app' });
  });

  it("an application can only introspect its own tokens: another client's active token is {active:false} to it", async () => {
    const s = await start();
    const pub = await loginPublic(s);
    const foreign = await introspect(s.url, pub.access_token, AUTH);
    expect(foreign.status).toBe(200);
    expect(await foreign.json()).toEqual({ active: false });
    const web = await loginConfidential(s);
    const otherWay = await introspect(s.url, web.access_token, {}, { client_id: 'desktop-app' });
    expect(await otherWay.json()).toEqual({ active: false });
    // Still active for their owners.
    expect(
      await (await introspect(s.url, pub.access_token, {}, { client_id: 'desktop-app' })).json(),
    ).toMatchObject({ active: true, client_id: 'desktop-app' });
    expect(await (await introspect(s.url, web.access_token)).json()).toMatchObject({
      active: true,
      client_id: 'web-app',
    });
  });

  it('needs client authentication and a token, with RFC 6749 errors', async () => {
    const s = await start();
    const noAuth = await introspect(s.url, 'x', {});
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({
      error: 'invalid_client',
      error_description: 'The client credentials are invalid',
    });
    const noToken = await postForm(`${s.url}/authentication/v2/introspect`, {}, AUTH);
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'token'",
    });
    const json = await fetch(`${s.url}/authentication/v2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: '{"token":"x"}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const both = await introspect(s.url, 'x', AUTH, { client_id: 'web-app', client_secret: 'web-secret' });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('revoke', () => {
  it('revoking an access token answers 200 with an empty body and deactivates it', async () => {
    const s = await start();
    const t = await loginConfidential(s);
    const res = await revoke(s.url, { token: t.access_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(await (await introspect(s.url, t.access_token)).json()).toEqual({ active: false });
    expect(s.control.requests().find((r) => r.endpoint === 'revoke')).toMatchObject({
      status: 200,
      clientId: 'web-app',
      clientAuth: 'basic',
    });
    // The refresh token still works.
    const r = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' },
      AUTH,
    );
    expect(r.status).toBe(200);
  });

  it('revoking a refresh token kills it and the access tokens of its grant', async () => {
    const s = await start();
    const t = await loginConfidential(s);
    const res = await revoke(s.url, { token: t.refresh_token ?? '', token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const r = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' },
      AUTH,
    );
    expect(await r.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token is invalid or expired',
    });
    expect(await (await introspect(s.url, t.access_token)).json()).toEqual({ active: false });
    const u = await fetch(`${s.url}/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(u.status).toBe(401);
  });

  it("answers 200 for an unknown token and does not revoke another client's token", async () => {
    const s = await start();
    expect((await revoke(s.url, { token: 'unknown', token_type_hint: 'access_token' })).status).toBe(200);
    const pub = await loginPublic(s);
    expect((await revoke(s.url, { token: pub.access_token, token_type_hint: 'access_token' })).status).toBe(
      200,
    );
    const foreignRefresh = { token: pub.refresh_token ?? '', token_type_hint: 'refresh_token' };
    expect((await revoke(s.url, foreignRefresh)).status).toBe(200);
    const check = await introspect(s.url, pub.access_token, {}, { client_id: 'desktop-app' });
    expect(await check.json()).toMatchObject({ active: true });
  });

  it('a public client revokes with client_id in the body', async () => {
    const s = await start();
    const pub = await loginPublic(s);
    const res = await revoke(
      s.url,
      { token: pub.refresh_token ?? '', token_type_hint: 'refresh_token', client_id: 'desktop-app' },
      {},
    );
    expect(res.status).toBe(200);
    expect(s.control.requests().at(-1)).toMatchObject({ endpoint: 'revoke', clientAuth: 'none' });
  });

  it("token_type_hint is required (APS's reference): missing or unknown is 400 invalid_request and revokes nothing", async () => {
    const s = await start();
    const t = await loginConfidential(s);
    const missing = await revoke(s.url, { token: t.access_token });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'token_type_hint'",
    });
    const unknown = await revoke(s.url, { token: t.access_token, token_type_hint: 'id_token' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'invalid_request',
      error_description: "token_type_hint must be 'access_token' or 'refresh_token'",
    });
    expect(s.control.requests().filter((r) => r.endpoint === 'revoke')).toMatchObject([
      { status: 400, error: 'invalid_request' },
      { status: 400, error: 'invalid_request' },
    ]);
    expect(await (await introspect(s.url, t.access_token)).json()).toMatchObject({ active: true });
    // A hint naming the other kind still finds the token (RFC 7009 2.1).
    const crossed = await revoke(s.url, { token: t.access_token, token_type_hint: 'refresh_token' });
    expect(crossed.status).toBe(200);
    expect(await (await introspect(s.url, t.access_token)).json()).toEqual({ active: false });
  });

  it('errors: no client auth 401, no token 400, JSON 400, both credentials 400', async () => {
    const s = await start();
    const noAuth = await revoke(s.url, { token: 'x', token_type_hint: 'access_token' }, {});
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({
      error: 'invalid_client',
      error_description: 'The client credentials are invalid',
    });
    const noToken = await revoke(s.url, { token_type_hint: 'access_token' });
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'token'",
    });
    const json = await fetch(`${s.url}/authentication/v2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: '{}',
    });
    expect(json.status).toBe(400);
    const both = await revoke(s.url, {
      token: 'x',
      token_type_hint: 'access_token',
      client_secret: 'web-secret',
    });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: 'invalid_request' });
  });
});
