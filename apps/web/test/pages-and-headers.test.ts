/** The pages and the headers every answer carries (CSP without scripts, no framing, cookies over https). */
import { describe, expect, it } from 'vitest';
import { CALLBACK_PATH, createWebApp } from '../src/index.js';
import { Browser, CLIENT_ID, makeApp, ORIGIN, SECRET, signIn, startEmu } from './helpers.js';

describe('security headers', () => {
  it.each(['/', '/healthz', '/api/auth/login', '/api/auth/token', '/nope'])('are on %s', async (path) => {
    const { app } = await makeApp();
    const res = await app.request(`${ORIGIN}${path}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toMatch(/^(same-origin|no-referrer)$/);
  });

  it('are the same set on the signed-in answers of /api/auth/token and /api/auth/profile as on a page', async () => {
    const { app } = await makeApp();
    const browser = new Browser(app);
    await signIn(browser);
    const security = (res: Response) =>
      Object.fromEntries(
        [...res.headers].filter(
          ([name]) => !['content-type', 'content-length', 'cache-control'].includes(name),
        ),
      );
    const page = security(await browser.request('/'));
    expect(Object.keys(page).sort()).toEqual([
      'content-security-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'referrer-policy',
      'x-content-type-options',
      'x-frame-options',
    ]);
    for (const path of ['/api/auth/token', '/api/auth/profile']) {
      const res = await browser.request(path);
      expect(res.status).toBe(200);
      expect(security(res)).toEqual(page);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toBe('application/json');
    }
  });

  it('the callback sends no Referer anywhere (the code is in its URL)', async () => {
    const { app } = await makeApp();
    const res = await new Browser(app).request('/api/auth/callback?code=x&state=y');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('over https: __Host- cookies with Secure, and HSTS', async () => {
    const emu = await startEmu();
    const { app } = await makeApp({ emu, callback: 'https://auth.example.com/api/auth/callback' });
    const browser = new Browser(app, 'https://auth.example.com');
    await signIn(browser);
    expect([...browser.cookies.keys()]).toEqual(['__Host-aps-auth-session']);
    const res = await browser.request('/');
    expect(await res.text()).toContain('Ada Lovelace');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const login = await app.request('https://auth.example.com/api/auth/login');
    const cookie = login.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^__Host-aps-auth-signin=/);
    expect(cookie).toMatch(/Path=\/; HttpOnly; Secure; SameSite=Lax/);
  });
});

describe('pages', () => {
  it('GET / offers sign-in, in plain HTML with no script', async () => {
    const { app } = await makeApp();
    const html = await (await app.request(`${ORIGIN}/`)).text();
    expect(html).toContain('<a class="button primary" href="/api/auth/login" id="sign-in">');
    expect(html).not.toContain('<script');
    expect(html).toContain('<html lang="en">');
  });

  it('shows the banner on every page when one is set (the embedded emulator)', async () => {
    const { app } = await makeApp({ banner: 'Local APS emulator' });
    const browser = new Browser(app);
    for (const path of ['/', '/api/auth/callback']) {
      expect(await (await browser.request(path)).text()).toContain('Local APS emulator');
    }
    await signIn(browser);
    expect(await (await browser.request('/')).text()).toContain('Local APS emulator');
  });

  it('escapes what the user profile says', async () => {
    const emu = await startEmu({
      user: {
        userId: 'U1',
        email: 'x@example.com',
        firstName: '<img src=x>',
        lastName: 'Doe',
        userName: 'x',
      },
    });
    const { app } = await makeApp({ emu });
    const browser = new Browser(app);
    await signIn(browser);
    const html = await (await browser.request('/')).text();
    expect(html).toContain('&lt;img src=x&gt; Doe');
    expect(html).not.toContain('<img src=x>');
  });

  it('GET /healthz and /style.css', async () => {
    const { app } = await makeApp();
    expect(await (await app.request(`${ORIGIN}/healthz`)).json()).toEqual({ status: 'ok' });
    const css = await app.request(`${ORIGIN}/style.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});

describe('createWebApp options', () => {
  const base = { clientId: CLIENT_ID, redirectUri: `${ORIGIN}${CALLBACK_PATH}` };

  it.each([
    [{ config: base, sessionSecret: 'short' }, 'sessionSecret'],
    [{ config: { clientId: CLIENT_ID }, sessionSecret: SECRET }, 'redirectUri'],
    [{ config: { ...base, redirectUri: `${ORIGIN}/callback` }, sessionSecret: SECRET }, 'redirectUri'],
    [{ config: base, sessionSecret: SECRET, sessionTtlSeconds: 0 }, 'sessionTtlSeconds'],
  ])('refuses bad options with a ConfigurationError naming the field', (options, field) => {
    expect(() => createWebApp(options)).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION_ERROR', field }),
    );
  });
});
