/** No token, code or secret in a log event, a redirect or a page, over a whole session (sign-in to sign-out). */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createWebApp, MemorySessionStore, type SessionStore, type WebLogEvent } from '../src/index.js';
import {
  authorize,
  Browser,
  CALLBACK,
  CLIENT_ID,
  CLIENT_SECRET,
  ORIGIN,
  SCOPES,
  SECRET,
  startEmu,
  startSignIn,
} from './helpers.js';

describe('secrets', () => {
  it('never appear in log events, Location headers or pages', async () => {
    const emu = await startEmu();
    const inner = new MemorySessionStore();
    const stored: string[] = [];
    const store: SessionStore = {
      get: (k) => inner.get(k),
      set: (k, v, ttl) => {
        stored.push(v);
        return inner.set(k, v, ttl);
      },
      take: (k) => inner.take(k),
      delete: (k) => inner.delete(k),
      increment: (k, ttl) => inner.increment(k, ttl),
      lock: (k, fn) => inner.lock(k, fn),
    };
    const events: WebLogEvent[] = [];
    const app = createWebApp({
      config: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: CALLBACK,
        scopes: SCOPES,
        baseUrl: emu.url,
      },
      sessionSecret: SECRET,
      store,
      log: (e) => events.push(e),
    });
    const browser = new Browser(app);
    const seen: string[] = [];
    const visit = async (path: string, init?: RequestInit) => {
      const res = await browser.request(path, init);
      seen.push(res.headers.get('location') ?? '', await res.text());
      return res;
    };
    const back = await authorize(await startSignIn(browser));
    await visit(`${back.pathname}${back.search}`);
    await visit('/');
    await visit('/api/auth/profile');
    emu.control.addFault({ endpoint: 'userinfo', status: 500, body: 'x', times: 5 });
    await visit('/api/auth/profile');
    await visit('/api/auth/logout', { method: 'POST', headers: { origin: ORIGIN } });

    const secrets = new Set<string>([CLIENT_SECRET, SECRET, back.searchParams.get('code')!]);
    for (const value of stored) {
      try {
        const parsed = JSON.parse(value) as Record<string, unknown>;
        for (const key of ['accessToken', 'refreshToken', 'codeVerifier']) {
          if (typeof parsed[key] === 'string') secrets.add(parsed[key] as string);
        }
      } catch {
        // Not JSON: not a token record.
      }
    }
    expect(secrets.size).toBeGreaterThanOrEqual(5);
    expect(events.length).toBeGreaterThan(0);
    const text = `${JSON.stringify(events)}\n${seen.join('\n')}`;
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('the app mounts in another Hono app', async () => {
    const emu = await startEmu();
    const parent = new Hono();
    parent.get('/viewer', (c) => c.text('my viewer page'));
    parent.route(
      '/',
      createWebApp({
        config: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: CALLBACK, baseUrl: emu.url },
        sessionSecret: SECRET,
      }),
    );
    const browser = new Browser(parent);
    const back = await authorize(await startSignIn(browser, '?returnTo=/viewer'));
    const res = await browser.request(`${back.pathname}${back.search}`);
    expect(res.headers.get('location')).toBe('/viewer');
    expect(await (await browser.request('/viewer')).text()).toBe('my viewer page');
    expect((await browser.request('/api/auth/token')).status).toBe(200);
  });
});
