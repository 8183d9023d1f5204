import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  basic,
  CALLBACK,
  CONFIDENTIAL,
  loginConfidential,
  postForm,
  start,
} from './helpers.js';

const PAGE = 'http://127.0.0.1:5173';

function preflight(url: string, method: string, headers = 'authorization,content-type') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: PAGE,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
  });
}

describe('CORS for what a browser app calls', () => {
  it('answers the preflight of token, revoke, introspect (POST) and userinfo, keys, discovery (GET)', async () => {
    const s = await start();
    const cases: Array<[string, string]> = [
      ['/authentication/v2/token', 'POST'],
      ['/authentication/v2/revoke', 'POST'],
      ['/authentication/v2/introspect', 'POST'],
      ['/userinfo', 'GET'],
      ['/authentication/v2/keys', 'GET'],
      ['/.well-known/openid-configuration', 'GET'],
    ];
    for (const [path, method] of cases) {
      const res = await preflight(`${s.url}${path}`, method);
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('access-control-allow-methods'), path).toBe(method);
      expect(res.headers.get('access-control-allow-headers'), path).toBe('authorization, content-type');
      expect(res.headers.get('access-control-max-age'), path).toBe('600');
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
  });

  it('preflights are neither logged nor answered by a fault meant for the real request', async () => {
    const s = await start();
    s.control.addFault({ endpoint: 'token', status: 503, body: '{"error":"temporarily_unavailable"}' });
    expect((await preflight(`${s.url}/authentication/v2/token`, 'POST')).status).toBe(204);
    expect(s.control.requests()).toEqual([]);
    const res = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials', scope: 'data:read' },
      { authorization: basic('web-app', 'web-secret'), origin: PAGE },
    );
    // The fault is still there for the real request, and carries CORS so that the page sees the 503.
    expect(res.status).toBe(503);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(s.control.requests()).toMatchObject([{ endpoint: 'token', status: 503, error: 'fault' }]);
  });

  it('actual responses, errors included, carry Access-Control-Allow-Origin and expose Retry-After and WWW-Authenticate', async () => {
    const s = await start({ rateLimits: { introspect: 1 } });
    const t = await loginConfidential(s, 'openid data:read');
    const auth = { authorization: basic('web-app', 'web-secret'), origin: PAGE };
    const responses: Array<[string, Response]> = [
      [
        'token 200',
        await postForm(
          `${s.url}/authentication/v2/token`,
          { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' },
          auth,
        ),
      ],
      [
        'token 401',
        await postForm(
          `${s.url}/authentication/v2/token`,
          { grant_type: 'client_credentials' },
          { origin: PAGE },
        ),
      ],
      ['introspect 200', await postForm(`${s.url}/authentication/v2/introspect`, { token: 'x' }, auth)],
      ['introspect 429', await postForm(`${s.url}/authentication/v2/introspect`, { token: 'x' }, auth)],
      [
        'revoke 200',
        await postForm(
          `${s.url}/authentication/v2/revoke`,
          { token: 'x', token_type_hint: 'access_token' },
          auth,
        ),
      ],
      [
        'userinfo 200',
        await fetch(`${s.url}/userinfo`, {
          headers: { authorization: `Bearer ${t.access_token}`, origin: PAGE },
        }),
      ],
      ['userinfo 401', await fetch(`${s.url}/userinfo`, { headers: { origin: PAGE } })],
      ['keys 200', await fetch(`${s.url}/authentication/v2/keys`, { headers: { origin: PAGE } })],
      [
        'discovery 200',
        await fetch(`${s.url}/.well-known/openid-configuration`, { headers: { origin: PAGE } }),
      ],
    ];
    for (const [name, res] of responses) {
      expect(`${res.status}`, name).toBe(name.split(' ')[1]);
      expect(res.headers.get('access-control-allow-origin'), name).toBe('*');
      expect(res.headers.get('access-control-expose-headers'), name).toBe('retry-after, www-authenticate');
    }
  });

  it('never on the control API: a cross-origin preflight or request gets no CORS header', async () => {
    const s = await start();
    const pre = await fetch(`${s.url}/__emulator/reset`, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${s.url}/__emulator/requests`, { headers: { origin: PAGE } });
    expect(get.status).toBe(403);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never on the consent page or the consent form', async () => {
    const s = await start();
    const page = await fetch(
      authorizeUrl(s.url, {
        client_id: CONFIDENTIAL.clientId,
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'data:read',
      }),
      { headers: { origin: PAGE } },
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    const decision = `${s.url}/authentication/v2/authorize/decision`;
    const pre = await fetch(decision, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const post = await postForm(decision, { request: 'x', decision: 'allow' }, { origin: PAGE });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});
