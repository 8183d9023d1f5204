/** Signing in: login redirect, callback checks (state, replay, denial, expiry), returnTo. */
import { describe, expect, it } from 'vitest';
import {
  authorize,
  Browser,
  CALLBACK,
  CLIENT_ID,
  deny,
  makeApp,
  ORIGIN,
  signIn,
  startEmu,
  startSignIn,
  tokenCalls,
} from './helpers.js';

describe('GET /api/auth/login', () => {
  it('redirects to the authorize page with S256 PKCE, a fresh state and the callback URL', async () => {
    const { app, emu } = await makeApp();
    const browser = new Browser(app);
    const url = await startSignIn(browser);
    expect(url.origin + url.pathname).toBe(`${emu.url}/authentication/v2/authorize`);
    const p = url.searchParams;
    expect(p.get('client_id')).toBe(CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(CALLBACK);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('scope')).toBe('data:read viewables:read user-profile:read');
    // A second sign-in gets another state.
    const again = await startSignIn(new Browser(app));
    expect(again.searchParams.get('state')).not.toBe(p.get('state'));
  });

  it('binds the sign-in to this browser with a short-lived, HttpOnly, SameSite=Lax cookie', async () => {
    const { app } = await makeApp();
    const res = await app.request(`${ORIGIN}/api/auth/login`);
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith('aps-auth-signin='));
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    '/.//evil.example',
    'evil',
    '/\tevil',
  ])('refuses returnTo %j (open redirect) without starting a sign-in', async (returnTo) => {
    const { app, emu } = await makeApp();
    const res = await new Browser(app).request(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid_return_to');
    expect(res.headers.get('location')).toBeNull();
    expect(emu.control.requests()).toHaveLength(0);
  });
});

describe('GET /api/auth/callback', () => {
  it('exchanges the code once, starts a session and returns to the page asked for', async () => {
    const { app, emu, events } = await makeApp();
    const browser = new Browser(app);
    const res = await signIn(browser, `?returnTo=${encodeURIComponent('/viewer?urn=abc#view')}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/viewer?urn=abc#view');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(browser.cookies.has('aps-auth-session')).toBe(true);
    expect(browser.cookies.has('aps-auth-signin')).toBe(false);
    const exchanges = tokenCalls(emu, 'authorization_code');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ status: 200, clientAuth: 'basic' });
    const home = await (await browser.request('/')).text();
    expect(home).toContain('Ada Lovelace');
    expect(home).toContain('ada.lovelace@example.com');
    expect(home).toMatch(/expires <time datetime="[^"]+">in 60 minutes<\/time>/);
    expect(events.map((e) => e.event)).toContain('sign_in_completed');
  });

  it('refuses a callback whose state is not this browser sign-in (no token request)', async () => {
    const { app, emu } = await makeApp();
    const browser = new Browser(app);
    const back = await authorize(await startSignIn(browser));
    back.searchParams.set('state', 'forged-state-value');
    const res = await browser.request(`${back.pathname}${back.search}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('state_mismatch');
    expect(tokenCalls(emu, 'authorization_code')).toHaveLength(0);
    expect(browser.cookies.has('aps-auth-session')).toBe(false);
  });

  it('refuses a replayed callback, even with the sign-in cookie replayed too', async () => {
    const { app, emu } = await makeApp();
    const browser = new Browser(app);
    const back = await authorize(await startSignIn(browser));
    const cookie = browser.cookieHeader();
    const first = await browser.request(`${back.pathname}${back.search}`);
    expect(first.status).toBe(303);
    const replay = await app.request(`${ORIGIN}${back.pathname}${back.search}`, { headers: { cookie } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('sign_in_expired');
    expect(tokenCalls(emu, 'authorization_code')).toHaveLength(1);
  });

  it('exchanges once when the same callback arrives twice at the same time', async () => {
    const { app, emu } = await makeApp();
    const browser = new Browser(app);
    const back = await authorize(await startSignIn(browser));
    const cookie = browser.cookieHeader();
    const answers = await Promise.all(
      [1, 2].map(() => app.request(`${ORIGIN}${back.pathname}${back.search}`, { headers: { cookie } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(tokenCalls(emu, 'authorization_code')).toHaveLength(1);
  });

  it('refuses a callback in a browser that did not start the sign-in (login CSRF)', async () => {
    const { app, emu } = await makeApp();
    const back = await authorize(await startSignIn(new Browser(app)));
    const victim = new Browser(app);
    const res = await victim.request(`${back.pathname}${back.search}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sign_in_not_started');
    expect(victim.cookies.has('aps-auth-session')).toBe(false);
    expect(tokenCalls(emu, 'authorization_code')).toHaveLength(0);
  });

  it('refuses a forged sign-in cookie', async () => {
    const { app } = await makeApp();
    const browser = new Browser(app);
    const back = await authorize(await startSignIn(browser));
    const [name, value] = [...browser.cookies][0]!;
    browser.cookies.set(name, value.replace(/^[^.]+/, 'another-state'));
    const res = await browser.request(`${back.pathname}${back.search}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sign_in_not_started');
  });

  it('says the sign-in expired after 10 minutes (single use, short-lived)', async () => {
    const { app, clock, emu } = await makeApp();
    const browser = new Browser(app);
    const back = await authorize(await startSignIn(browser));
    clock.advance(601);
    const res = await browser.request(`${back.pathname}${back.search}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sign_in_expired');
    expect(tokenCalls(emu, 'authorization_code')).toHaveLength(0);
  });

  it('tells a person who denied consent that they are not signed in', async () => {
    const emu = await startEmu({ autoApprove: false });
    const { app } = await makeApp({ emu });
    const browser = new Browser(app);
    const back = await deny(emu, await startSignIn(browser));
    expect(back.searchParams.get('error')).toBe('access_denied');
    const res = await browser.request(`${back.pathname}${back.search}`);
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain('access_denied');
    expect(page).toContain('You did not allow access');
    expect(browser.cookies.has('aps-auth-session')).toBe(false);
    expect(tokenCalls(emu, 'authorization_code')).toHaveLength(0);
  });

  it('answers 502 with the core error code when the code exchange fails, and logs no secret', async () => {
    const { app, emu, events } = await makeApp();
    const browser = new Browser(app);
    const back = await authorize(await startSignIn(browser));
    emu.control.addFault({ endpoint: 'token', status: 503, body: '<h1>down</h1>', contentType: 'text/html' });
    const res = await browser.request(`${back.pathname}${back.search}`);
    expect(res.status).toBe(502);
    const page = await res.text();
    expect(page).toContain('exchange_failed');
    expect(page).not.toContain(back.searchParams.get('code')!);
    expect(events.find((e) => e.event === 'exchange_failed')?.message).toMatch(
      /\(UNEXPECTED_RESPONSE|NETWORK/,
    );
    expect(JSON.stringify(events)).not.toContain(back.searchParams.get('code')!);
    expect(browser.cookies.has('aps-auth-session')).toBe(false);
  });

  it('gives a new session id at sign-in and ends the one the browser came with (no fixation)', async () => {
    const { app } = await makeApp();
    const browser = new Browser(app);
    await signIn(browser);
    const before = browser.cookies.get('aps-auth-session');
    const oldCookie = browser.cookieHeader();
    await signIn(browser);
    const after = browser.cookies.get('aps-auth-session');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const old = await app.request(`${ORIGIN}/api/auth/token`, { headers: { cookie: oldCookie } });
    expect(old.status).toBe(401);
  });
});
