import { describe, expect, it } from 'vitest';
import { basic, postForm, start } from './helpers.js';

const CC = { grant_type: 'client_credentials', scope: 'data:read' };
const BAD_CLIENT = { error: 'invalid_client', error_description: 'The client credentials are invalid' };

describe('client authentication at the token endpoint', () => {
  it('accepts a Basic header', async () => {
    const s = await start();
    const res = await postForm(`${s.url}/authentication/v2/token`, CC, {
      authorization: basic('web-app', 'web-secret'),
    });
    expect(res.status).toBe(200);
    expect(s.control.requests().at(-1)).toMatchObject({ clientAuth: 'basic', clientId: 'web-app' });
  });

  it('accepts client_id and client_secret in the body', async () => {
    const s = await start();
    const res = await postForm(`${s.url}/authentication/v2/token`, {
      ...CC,
      client_id: 'web-app',
      client_secret: 'web-secret',
    });
    expect(res.status).toBe(200);
    expect(s.control.requests().at(-1)).toMatchObject({ clientAuth: 'body', clientId: 'web-app' });
  });

  it('decodes form-encoded ids and secrets in the Basic header (RFC 6749 2.3.1)', async () => {
    const s = await start({ clients: [{ clientId: 'a+b', clientSecret: 'p:ss/+é %', redirectUris: [] }] });
    const res = await postForm(`${s.url}/authentication/v2/token`, CC, {
      authorization: basic('a+b', 'p:ss/+é %'),
    });
    expect(res.status).toBe(200);
  });

  it('credentials in the header and the body at once are 400 invalid_request', async () => {
    const s = await start();
    const res = await postForm(
      `${s.url}/authentication/v2/token`,
      { ...CC, client_id: 'web-app', client_secret: 'web-secret' },
      { authorization: basic('web-app', 'web-secret') },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description:
        'Client credentials must be sent either in the Authorization header or in the body, not both',
    });
    expect(s.control.requests().at(-1)).toMatchObject({
      status: 400,
      clientAuth: 'both',
      error: 'invalid_request',
    });
  });

  it("a Basic header with client_id alone in the body is 400 invalid_request at token, revoke and introspect (APS's text), tokens not issued", async () => {
    const s = await start();
    const auth = { authorization: basic('web-app', 'web-secret') };
    const refusal = {
      error: 'invalid_request',
      error_description:
        "The 'client_id' is not supported in the request body when Authorization headers are present.",
    };
    const cases: Array<[string, Record<string, string>]> = [
      ['token', { ...CC, client_id: 'web-app' }], // the same client as the header
      ['token', { ...CC, client_id: 'desktop-app' }], // another one
      ['revoke', { token: 'x', token_type_hint: 'access_token', client_id: 'web-app' }],
      ['introspect', { token: 'x', client_id: 'web-app' }],
    ];
    for (const [endpoint, form] of cases) {
      const res = await postForm(`${s.url}/authentication/v2/${endpoint}`, form, auth);
      expect(res.status, endpoint).toBe(400);
      expect(await res.json(), endpoint).toEqual(refusal);
      expect(s.control.requests().at(-1)).toMatchObject({
        endpoint,
        clientAuth: 'both',
        error: 'invalid_request',
      });
    }
  });

  it('a wrong secret, an unknown client, a missing client or a malformed header are 401 invalid_client', async () => {
    const s = await start();
    const token = `${s.url}/authentication/v2/token`;
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [CC, { authorization: basic('web-app', 'wrong') }],
      [CC, { authorization: basic('nobody', 'web-secret') }],
      [{ ...CC, client_id: 'web-app', client_secret: 'wrong' }, {}],
      [{ ...CC, client_id: 'web-app' }, {}], // a confidential client without its secret
      [CC, {}],
      [CC, { authorization: 'Basic !!!' }],
      [CC, { authorization: `Basic ${btoa('no-colon')}` }],
    ];
    for (const [form, headers] of cases) {
      const res = await postForm(token, form, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual(BAD_CLIENT);
    }
    const basicRes = await postForm(token, CC, { authorization: basic('web-app', 'wrong') });
    expect(basicRes.headers.get('www-authenticate')).toBe('Basic realm="APS"');
  });

  it('a public client presenting a secret is invalid_client', async () => {
    const s = await start();
    const res = await postForm(`${s.url}/authentication/v2/token`, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: 'desktop-app',
      client_secret: 'anything',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(BAD_CLIENT);
  });
});

describe('token endpoint request format', () => {
  it('accepts only application/x-www-form-urlencoded: JSON is 400 invalid_request', async () => {
    const s = await start();
    for (const type of ['application/json', 'multipart/form-data; boundary=x', 'text/plain']) {
      const res = await fetch(`${s.url}/authentication/v2/token`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic('web-app', 'web-secret') },
        body: JSON.stringify(CC),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: "The request body must be 'application/x-www-form-urlencoded'",
      });
    }
    const ok = await fetch(`${s.url}/authentication/v2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        authorization: basic('web-app', 'web-secret'),
      },
      body: new URLSearchParams(CC).toString(),
    });
    expect(ok.status).toBe(200);
  });

  it('a repeated parameter is invalid_request', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/authentication/v2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('web-app', 'web-secret'),
      },
      body: 'grant_type=client_credentials&scope=data:read&scope=data:write',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: "The 'scope' parameter must not be repeated",
    });
  });

  it('an unknown grant type is unsupported_grant_type; a missing one invalid_request', async () => {
    const s = await start();
    const auth = { authorization: basic('web-app', 'web-secret') };
    const unknown = await postForm(`${s.url}/authentication/v2/token`, { grant_type: 'password' }, auth);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'The grant type is not supported',
    });
    expect(s.control.requests().at(-1)).toMatchObject({
      grantType: 'password',
      error: 'unsupported_grant_type',
    });
    const missing = await postForm(`${s.url}/authentication/v2/token`, {}, auth);
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: "The request is missing a required parameter 'grant_type'",
    });
  });

  it('a grant the client is not registered for is unauthorized_client', async () => {
    const s = await start({
      clients: [
        { clientId: 'code-only', clientSecret: 'x', redirectUris: [], grants: ['authorization_code'] },
      ],
    });
    const res = await postForm(`${s.url}/authentication/v2/token`, CC, {
      authorization: basic('code-only', 'x'),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'The client is not authorized to use this grant type',
    });
  });
});

describe('client_credentials', () => {
  it('returns {access_token, token_type, expires_in} only, with a two-legged token', async () => {
    const s = await start();
    const res = await postForm(
      `${s.url}/authentication/v2/token`,
      { ...CC, scope: 'data:read bucket:create' },
      {
        authorization: basic('web-app', 'web-secret'),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
  });

  it('is for confidential clients only: a public client is unauthorized_client', async () => {
    const s = await start();
    const res = await postForm(`${s.url}/authentication/v2/token`, { ...CC, client_id: 'desktop-app' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('needs a scope, at most 50', async () => {
    const s = await start();
    const auth = { authorization: basic('web-app', 'web-secret') };
    const none = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials' },
      auth,
    );
    expect(await none.json()).toEqual({
      error: 'invalid_scope',
      error_description: "The 'scope' parameter is required",
    });
    const many = Array.from({ length: 51 }, (_, i) => `s${i}`).join(' ');
    const tooMany = await postForm(`${s.url}/authentication/v2/token`, { ...CC, scope: many }, auth);
    expect(await tooMany.json()).toMatchObject({ error: 'invalid_scope' });
  });
});
