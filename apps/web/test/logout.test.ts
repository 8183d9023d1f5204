/** Signing out: POST from this site only (CSRF), revocation at the server, session gone, APS logout optional. */
import { describe, expect, it } from 'vitest';
import { Browser, makeApp, ORIGIN, signIn } from './helpers.js';

async function signedIn(options: Parameters<typeof makeApp>[0] = {}) {
  const t = await makeApp(options);
  const browser = new Browser(t.app);
  await signIn(browser);
  t.emu.control.clearRequests();
  return { ...t, browser };
}

const revocations = (t: Awaited<ReturnType<typeof signedIn>>) =>
  t.emu.control.requests().filter((r) => r.endpoint === 'revoke');

describe('POST /api/auth/logout', () => {
  it('revokes both tokens, ends the session and goes home', async () => {
    const t = await signedIn();
    const res = await t.browser.request('/api/auth/logout', { method: 'POST', headers: { origin: ORIGIN } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(revocations(t).map((r) => r.status)).toEqual([200, 200]);
    expect(t.browser.cookies.has('aps-auth-session')).toBe(false);
    expect(await (await t.browser.request('/')).text()).toContain('Sign in with Autodesk');
  });

  it('ends the session on the server, so a copy of the old cookie is worthless', async () => {
    const t = await signedIn();
    const stolen = t.browser.cookieHeader();
    await t.browser.request('/api/auth/logout', { method: 'POST', headers: { origin: ORIGIN } });
    const res = await t.app.request(`${ORIGIN}/api/auth/token`, { headers: { cookie: stolen } });
    expect(res.status).toBe(401);
  });

  it.each([
    ['no Origin', {}],
    ['another Origin', { origin: 'https://evil.example' }],
    ['the null Origin', { origin: 'null' }],
    ['a look-alike Origin', { origin: 'http://localhost:8080.evil.example' }],
  ])('refuses a forged sign-out with %s (403, still signed in)', async (_label, headers) => {
    const t = await signedIn();
    const res = await t.browser.request('/api/auth/logout', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'aps=1',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'forbidden_origin' });
    expect(revocations(t)).toHaveLength(0);
    expect((await t.browser.request('/api/auth/token')).status).toBe(200);
  });

  it('is not a GET route (a link or an image cannot sign anyone out)', async () => {
    const t = await signedIn();
    const res = await t.browser.request('/api/auth/logout');
    expect(res.status).toBe(404);
    expect((await t.browser.request('/api/auth/token')).status).toBe(200);
  });

  it('goes through the logout page of the authentication server when the form asks (aps=1)', async () => {
    const t = await signedIn();
    const res = await t.browser.request('/api/auth/logout', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'aps=1',
    });
    expect(res.status).toBe(303);
    const target = new URL(res.headers.get('location')!);
    expect(`${target.origin}${target.pathname}`).toBe(`${t.emu.url}/authentication/v2/logout`);
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/`);
    // The emulator sends the browser back home (the URI is registered).
    const back = await fetch(target, { redirect: 'manual' });
    expect(back.headers.get('location')).toBe(`${ORIGIN}/`);
  });

  it('always goes through it when configured so (logoutThroughAps)', async () => {
    const t = await signedIn({ logoutThroughAps: true });
    const res = await t.browser.request('/api/auth/logout', { method: 'POST', headers: { origin: ORIGIN } });
    expect(res.headers.get('location')).toContain('/authentication/v2/logout?post_logout_redirect_uri=');
  });

  it('forgets the session even when revocation fails, and logs the failure without the token', async () => {
    const t = await signedIn();
    t.emu.control.addFault({ endpoint: 'revoke', status: 500, body: 'down', times: 2 });
    const res = await t.browser.request('/api/auth/logout', { method: 'POST', headers: { origin: ORIGIN } });
    expect(res.status).toBe(303);
    expect(t.browser.cookies.has('aps-auth-session')).toBe(false);
    const failures = t.events.filter((e) => e.event === 'revocation_failed');
    expect(failures.map((e) => e.message)).toEqual([
      expect.stringContaining('refresh_token'),
      expect.stringContaining('access_token'),
    ]);
  });

  it('signs nobody out without a session, and still goes home', async () => {
    const t = await makeApp();
    const res = await new Browser(t.app).request('/api/auth/logout', {
      method: 'POST',
      headers: { origin: ORIGIN },
    });
    expect(res.status).toBe(303);
    expect(t.emu.control.requests()).toHaveLength(0);
  });
});
