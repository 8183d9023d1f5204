/** The APS tutorials' routes: a down-scoped Viewer token and the profile, from the session on the server. */
import { describe, expect, it } from 'vitest';
import { Browser, jwtClaims, makeApp, ORIGIN, signIn, tokenCalls } from './helpers.js';

async function signedIn() {
  const t = await makeApp();
  const browser = new Browser(t.app);
  await signIn(browser);
  t.emu.control.clearRequests();
  return { ...t, browser };
}

describe('GET /api/auth/token', () => {
  it('answers a viewables:read token in the tutorials shape, cached until near expiry', async () => {
    const { browser, emu } = await signedIn();
    const res = await browser.request('/api/auth/token');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in']);
    expect(jwtClaims(body.access_token).scope).toEqual(['viewables:read']);
    expect(body.expires_in).toBeGreaterThan(3500);
    expect(body.expires_in).toBeLessThanOrEqual(3599);
    const refreshes = tokenCalls(emu, 'refresh_token');
    expect(refreshes).toHaveLength(1);
    const again = (await (await browser.request('/api/auth/token')).json()) as { access_token: string };
    expect(again.access_token).toBe(body.access_token);
    expect(tokenCalls(emu, 'refresh_token')).toHaveLength(1);
  });

  it('cuts one token for many concurrent requests of a session (single flight)', async () => {
    const { browser, emu } = await signedIn();
    const answers = await Promise.all(Array.from({ length: 8 }, () => browser.request('/api/auth/token')));
    const tokens = await Promise.all(
      answers.map(async (r) => ((await r.json()) as { access_token: string }).access_token),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(tokenCalls(emu, 'refresh_token')).toHaveLength(1);
  });

  it('cuts a new one when the cached token is near expiry', async () => {
    const { browser, emu, clock } = await signedIn();
    const first = (await (await browser.request('/api/auth/token')).json()) as { access_token: string };
    clock.advance(3300);
    const second = (await (await browser.request('/api/auth/token')).json()) as {
      access_token: string;
      expires_in: number;
    };
    expect(second.access_token).not.toBe(first.access_token);
    expect(tokenCalls(emu, 'refresh_token')).toHaveLength(2);
  });

  it('answers 401 not_signed_in without a session, and with a forged session cookie', async () => {
    const { app, browser } = await signedIn();
    const none = await new Browser(app).request('/api/auth/token');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: 'not_signed_in' });
    const [name, value] = [...browser.cookies].find(([n]) => n === 'aps-auth-session')!;
    const forged = await app.request(`${ORIGIN}/api/auth/token`, {
      headers: { cookie: `${name}=${value.replace(/^[^.]+/, 'someone-elses-session-id')}` },
    });
    expect(forged.status).toBe(401);
  });

  it('reads the session cookie among other cookies, in a short Cookie header and in a long one, the same way', async () => {
    const { app, browser } = await signedIn();
    const [name, value] = [...browser.cookies].find(([n]) => n === 'aps-auth-session')!;
    const forged = `${name}=${value.replace(/^[^.]+/, 'someone-elses-session-id')}`;
    for (const padding of ['theme=dark', `tracking=${'x'.repeat(2000)}`]) {
      const genuine = await app.request(`${ORIGIN}/api/auth/token`, {
        headers: { cookie: `${padding}; ${name}=${value}` },
      });
      expect(genuine.status).toBe(200);
      // The same header twice: the second answer comes from what the first verified, and still holds.
      const again = await app.request(`${ORIGIN}/api/auth/token`, {
        headers: { cookie: `${padding}; ${name}=${value}` },
      });
      expect(again.status).toBe(200);
      const wrong = await app.request(`${ORIGIN}/api/auth/token`, {
        headers: { cookie: `${padding}; ${forged}` },
      });
      expect(wrong.status).toBe(401);
    }
  });

  it('answers 401 not_signed_in once the session has expired (and the home page offers sign-in)', async () => {
    const { browser, clock, emu } = await signedIn();
    clock.advance(14 * 86_400 + 1);
    const res = await browser.request('/api/auth/token');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'not_signed_in' });
    expect(await (await browser.request('/')).text()).toContain('Sign in with Autodesk');
    expect(tokenCalls(emu, 'refresh_token')).toHaveLength(0);
  });

  it('answers 502 token_unavailable with core code when the token endpoint fails (fault injected)', async () => {
    const { browser, emu, events } = await signedIn();
    emu.control.addFault({
      endpoint: 'token',
      status: 503,
      body: '<h1>Service Unavailable</h1>',
      contentType: 'text/html',
    });
    const res = await browser.request('/api/auth/token');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'token_unavailable', code: 'UNEXPECTED_RESPONSE' });
    expect(events.some((e) => e.event === 'token_failed')).toBe(true);
    // The refresh token was not spent: the next request succeeds.
    expect((await browser.request('/api/auth/token')).status).toBe(200);
  });

  it('answers 502 when the connection to the token endpoint drops (never retried)', async () => {
    const { browser, emu } = await signedIn();
    emu.control.addFault({ endpoint: 'token', drop: true });
    const res = await browser.request('/api/auth/token');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'token_unavailable', code: 'NETWORK_ERROR' });
    // One request, dropped (the log cannot tell its grant type): no retry spent the refresh token twice.
    expect(emu.control.requests().filter((r) => r.endpoint === 'token')).toMatchObject([{ status: 0 }]);
  });

  it('answers 401 sign_in_required and ends the session when APS refuses the refresh token', async () => {
    const { browser, emu } = await signedIn();
    emu.control.addFault({
      endpoint: 'token',
      status: 400,
      body: JSON.stringify({
        error: 'invalid_grant',
        error_description: 'The refresh token is invalid or expired',
      }),
      contentType: 'application/json',
    });
    const stolen = browser.cookieHeader();
    const res = await browser.request('/api/auth/token');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'sign_in_required' });
    // The session is over: the cookie is cleared, and the old one finds nothing.
    expect(browser.cookies.has('aps-auth-session')).toBe(false);
    const again = await browser.request('/api/auth/token', { headers: { cookie: stolen } });
    expect(await again.json()).toMatchObject({ error: 'not_signed_in' });
  });

  it('refuses a cross-site request (Sec-Fetch-Site) before touching the session', async () => {
    const { browser, emu } = await signedIn();
    const res = await browser.request('/api/auth/token', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'forbidden_origin' });
    expect(emu.control.requests()).toHaveLength(0);
  });
});

describe('GET /api/auth/profile', () => {
  it('answers the userinfo document of the signed-in user', async () => {
    const { browser } = await signedIn();
    const res = await browser.request('/api/auth/profile');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({
      sub: 'EMU7TESTUSER',
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
    });
  });

  it('refreshes an expiring token first, once, and stores the rotated refresh token', async () => {
    const { browser, emu, clock } = await signedIn();
    clock.advance(3400);
    const answers = await Promise.all([
      browser.request('/api/auth/profile'),
      browser.request('/api/auth/profile'),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(tokenCalls(emu, 'refresh_token')).toHaveLength(1);
    // The rotated refresh token works (the old one is dead at the emulator).
    clock.advance(3600);
    expect((await browser.request('/api/auth/profile')).status).toBe(200);
    expect(tokenCalls(emu, 'refresh_token').map((r) => r.status)).toEqual([200, 200]);
    expect(await (await browser.request('/')).text()).toContain('in 60 minutes');
  });

  it('answers 401 without a session and 502 profile_unavailable when userinfo fails', async () => {
    const { app, browser, emu } = await signedIn();
    expect((await new Browser(app).request('/api/auth/profile')).status).toBe(401);
    emu.control.addFault({ endpoint: 'userinfo', status: 500, body: 'oops', times: 5 });
    const res = await browser.request('/api/auth/profile');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'profile_unavailable' });
  });
});
