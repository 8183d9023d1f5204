import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  CALLBACK,
  CONFIDENTIAL,
  consent,
  get,
  locationParams,
  PUBLIC,
  pkce,
  postForm,
  requestIdOf,
  start,
} from './helpers.js';

const base = {
  client_id: CONFIDENTIAL.clientId,
  response_type: 'code',
  redirect_uri: CALLBACK,
  scope: 'data:read',
  state: 'abc-123_.,',
};

describe('authorize: redirect_uri and client_id', () => {
  it('shows the HTML "400 - Invalid redirect_uri" page and never redirects for an unregistered callback', async () => {
    const s = await start();
    for (const redirect_uri of [
      'http://localhost:8080/api/auth/callback/', // trailing slash
      'http://127.0.0.1:8080/api/auth/callback', // 127.0.0.1 is not localhost
      'http://localhost:8081/api/auth/callback', // port
      'https://localhost:8080/api/auth/callback', // scheme
    ]) {
      const res = await get(authorizeUrl(s.url, { ...base, redirect_uri }));
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<title>400 - Invalid redirect_uri');
      expect(html).toContain('<h1>400 - Invalid redirect_uri</h1>');
    }
    const missing = await get(authorizeUrl(s.url, { ...base, redirect_uri: '' }));
    expect(missing.status).toBe(400);
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'authorize',
      status: 400,
      clientId: 'web-app',
      error: 'invalid_redirect_uri',
    });
  });

  it('accepts every registered callback URL exactly', async () => {
    const s = await start({ autoApprove: true });
    const res = await get(authorizeUrl(s.url, { ...base, redirect_uri: 'http://localhost:8080/other/' }));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:8080\/other\/\?code=/);
  });

  it('answers an HTML 400 for a missing or unknown client_id, without redirecting', async () => {
    const s = await start();
    for (const client_id of ['nope', '']) {
      const res = await get(authorizeUrl(s.url, { ...base, client_id }));
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('400 - Invalid client_id');
    }
  });
});

describe('authorize: errors sent back to the app', () => {
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type', /response_type/],
    ['no response_type', { response_type: '' }, 'unsupported_response_type', /response_type/],
    ['no scope', { scope: '' }, 'invalid_scope', /scope/],
    [
      '51 scopes',
      { scope: Array.from({ length: 51 }, (_, i) => `s${i}`).join(' ') },
      'invalid_scope',
      /At most 50/,
    ],
    [
      'plain PKCE',
      { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' },
      'invalid_request',
      /S256/,
    ],
    ['challenge without method', { code_challenge: 'x'.repeat(43) }, 'invalid_request', /S256/],
    ['method without challenge', { code_challenge_method: 'S256' }, 'invalid_request', /code_challenge/],
    [
      'malformed challenge',
      { code_challenge: 'short', code_challenge_method: 'S256' },
      'invalid_request',
      /43/,
    ],
    ['openid without nonce', { scope: 'openid data:read' }, 'invalid_request', /nonce/],
    ['bad response_mode', { response_mode: 'web_message' }, 'invalid_request', /response_mode/],
  ];
  for (const [name, params, error, description] of cases) {
    it(`redirects with error=${error} for ${name}, keeping state`, async () => {
      const s = await start({ autoApprove: true });
      const res = await get(authorizeUrl(s.url, { ...base, ...params }));
      expect(res.status).toBe(302);
      expect(res.headers.get('location')?.startsWith(`${CALLBACK}?`)).toBe(true);
      const q = locationParams(res);
      expect(q.get('error')).toBe(error);
      expect(q.get('error_description')).toMatch(description);
      expect(q.get('state')).toBe(base.state);
      expect(q.get('code')).toBeNull();
      expect(s.control.requests().at(-1)).toMatchObject({ endpoint: 'authorize', status: 302, error });
    });
  }

  it('rejects a state with characters outside letters, digits and , . _ - and does not echo it', async () => {
    const s = await start({ autoApprove: true });
    const res = await get(authorizeUrl(s.url, { ...base, state: 'a b<script>' }));
    const q = locationParams(res);
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toMatch(/state/);
    expect(q.has('state')).toBe(false);
  });

  it('a public client without PKCE still gets a code (APS refuses it at the token request)', async () => {
    const s = await start({ autoApprove: true });
    const res = await get(
      authorizeUrl(s.url, {
        ...base,
        client_id: PUBLIC.clientId,
        redirect_uri: PUBLIC.redirectUris[0] ?? '',
      }),
    );
    const q = locationParams(res);
    expect(q.get('error')).toBeNull();
    expect(q.get('code')).toEqual(expect.any(String));
  });

  it('answers unauthorized_client when the client may not use the code flow', async () => {
    const s = await start({
      autoApprove: true,
      clients: [
        { clientId: 's2s', clientSecret: 'x', redirectUris: [CALLBACK], grants: ['client_credentials'] },
      ],
    });
    const res = await get(authorizeUrl(s.url, { ...base, client_id: 's2s' }));
    expect(locationParams(res).get('error')).toBe('unauthorized_client');
  });
});

describe('authorize: scopes, modes and auto-approve', () => {
  it('accepts 50 scopes, unknown scopes and dynamic data:read:<urn> scopes', async () => {
    const s = await start({ autoApprove: true });
    const scopes = ['data:read:urn:adsk.wipprod:fs.file:vf.abc?version=1', 'application:client:read'];
    while (scopes.length < 50) scopes.push(`custom:${scopes.length}`);
    const res = await get(authorizeUrl(s.url, { ...base, scope: scopes.join(' ') }));
    expect(res.status).toBe(302);
    const q = locationParams(res);
    expect(q.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBe(base.state);
  });

  it('auto-approve redirects at once with code and state; state is optional', async () => {
    const s = await start({ autoApprove: true });
    const res = await get(authorizeUrl(s.url, base));
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect([...locationParams(res).keys()].sort()).toEqual(['code', 'state']);
    const { state: _s, ...noState } = base;
    const res2 = await get(authorizeUrl(s.url, noState));
    expect([...locationParams(res2).keys()]).toEqual(['code']);
  });

  it('prompt=login (and prompt=create) always show the consent page, even in auto-approve mode', async () => {
    const s = await start({ autoApprove: true });
    for (const prompt of ['login', 'create']) {
      const res = await get(authorizeUrl(s.url, { ...base, prompt }));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('name="decision" value="allow"');
    }
  });

  it('setAutoApprove switches the mode at run time', async () => {
    const s = await start();
    expect((await get(authorizeUrl(s.url, base))).status).toBe(200);
    s.control.setAutoApprove(true);
    expect((await get(authorizeUrl(s.url, base))).status).toBe(302);
  });

  it('response_mode=fragment puts code and state in the fragment', async () => {
    const s = await start({ autoApprove: true });
    const res = await get(authorizeUrl(s.url, { ...base, response_mode: 'fragment' }));
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('code')).toBeTruthy();
    expect(fragment.get('state')).toBe(base.state);
  });

  it('response_mode=form_post answers an auto-posting form to the callback', async () => {
    const s = await start({ autoApprove: true });
    const res = await get(authorizeUrl(s.url, { ...base, response_mode: 'form_post' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="${CALLBACK}" id="form_post">`);
    expect(html).toMatch(/name="code" value="[A-Za-z0-9_-]{43}"/);
    expect(html).toContain(`name="state" value="${base.state.replace(/,/g, ',')}"`);
  });
});

describe('consent page', () => {
  it('shows the app, the scopes, the test user and Allow and Deny buttons in a plain form', async () => {
    const s = await start();
    const res = await get(authorizeUrl(s.url, { ...base, scope: 'data:read viewables:read' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Local APS emulator');
    expect(html).toContain('Test Web App');
    expect(html).toContain('<li>data:read</li><li>viewables:read</li>');
    expect(html).toContain('ada.lovelace@example.com');
    expect(html).toContain('<form method="post" action="/authentication/v2/authorize/decision">');
    expect(html).toContain('<button type="submit" name="decision" value="allow"');
    expect(html).toContain('<button type="submit" name="decision" value="deny"');
  });

  it('Allow redirects with code and state; Deny with error=access_denied and state', async () => {
    const s = await start();
    const allow = await consent(s, base, 'allow');
    expect(allow.status).toBe(302);
    expect(allow.headers.get('location')?.startsWith(`${CALLBACK}?code=`)).toBe(true);
    expect(locationParams(allow).get('state')).toBe(base.state);
    const deny = await consent(s, base, 'deny');
    expect(deny.status).toBe(302);
    const q = locationParams(deny);
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('state')).toBe(base.state);
    expect(q.get('code')).toBeNull();
    const log = s.control.requests().filter((r) => r.endpoint === 'consent');
    expect(log.map((r) => [r.status, r.clientId, r.error])).toEqual([
      [302, 'web-app', undefined],
      [302, 'web-app', 'access_denied'],
    ]);
  });

  it('the request id works once, and only within 10 minutes', async () => {
    const s = await start();
    const page = await (await get(authorizeUrl(s.url, base))).text();
    const request = requestIdOf(page);
    const decision = `${s.url}/authentication/v2/authorize/decision`;
    expect((await postForm(decision, { request, decision: 'allow' })).status).toBe(302);
    const again = await postForm(decision, { request, decision: 'allow' });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect(await again.text()).toContain('expired or was already answered');

    const late = requestIdOf(await (await get(authorizeUrl(s.url, base))).text());
    s.control.advanceClock(601);
    expect((await postForm(decision, { request: late, decision: 'allow' })).status).toBe(400);
  });

  it('rejects a forged request id or a bad decision', async () => {
    const s = await start();
    const decision = `${s.url}/authentication/v2/authorize/decision`;
    expect((await postForm(decision, { request: 'forged', decision: 'allow' })).status).toBe(400);
    const request = requestIdOf(await (await get(authorizeUrl(s.url, base))).text());
    expect((await postForm(decision, { request, decision: 'maybe' })).status).toBe(400);
  });

  it('escapes everything it interpolates', async () => {
    const s = await start({
      clients: [
        {
          clientId: 'x<y',
          clientSecret: 's',
          redirectUris: [CALLBACK],
          name: '<img src=x onerror=alert(1)>',
        },
      ],
    });
    const res = await get(
      authorizeUrl(s.url, { ...base, client_id: 'x<y', scope: '"><script>alert(1)</script>' }),
    );
    const html = await res.text();
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('x&#60;y');
  });

  it('uses the PKCE challenge from the authorize request for the code', async () => {
    const s = await start();
    const { verifier, challenge } = pkce();
    const redirectUri = PUBLIC.redirectUris[0] ?? '';
    const res = await consent(s, {
      client_id: PUBLIC.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'data:read',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = locationParams(res).get('code') ?? '';
    const token = await postForm(`${s.url}/authentication/v2/token`, {
      grant_type: 'authorization_code',
      client_id: PUBLIC.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
  });
});
