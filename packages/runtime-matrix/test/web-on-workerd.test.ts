/**
 * apps/web on workerd: `@aps-auth/web`'s `createWebApp`, bundled as a module worker, runs in miniflare with its
 * options from the worker's bindings, and a whole sign-in goes through it against the emulator on 127.0.0.1
 * (the worker's outbound fetch): login, authorize (auto-approve), callback, profile, token, logout.
 */
import { createAuthorizationRequest, createRelayPairing, exchangeCode } from '@aps-auth/core';
import { type RunningEmulator, startEmulator } from '@aps-auth/emulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWebWorker, startWebWorker, type WebWorker } from './web-worker.js';

const ORIGIN = 'http://localhost:8080';
const CALLBACK = `${ORIGIN}/api/auth/callback`;
const CLIENT = { clientId: 'workerd-web', clientSecret: 'cs-workerd-web-0123456789abcdefghij' };
const SESSION_SECRET = 'a-session-secret-for-the-workerd-test-0123456789';

/** A browser's cookie jar over the worker: keeps what the app sets, sends it back. */
class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie line the app sent, by cookie name (the last one wins). */
  readonly setCookies = new Map<string, string>();

  constructor(readonly worker: WebWorker) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const answer = await this.worker.fetch(new URL(path, ORIGIN).href, { ...init, headers });
    // Read to the end (as a browser does), so that no answer is left open in miniflare.
    const res = new Response(await answer.arrayBuffer(), answer);
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      this.setCookies.set(name, line);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

function location(res: Response, step: string): URL {
  const to = res.headers.get('location');
  if (to === null) throw new Error(`${step} answered ${res.status} without a Location`);
  return new URL(to, ORIGIN);
}

/** What the sign-in met on its way, kept for the assertions below. */
interface Walk {
  runtime: string;
  login: Response;
  authorizeUrl: URL;
  callback: Response;
  sessionCookie: string;
  home: { status: number; html: string };
  profile: { status: number; body: Record<string, unknown> };
  tokens: Array<{ status: number; body: Record<string, unknown> }>;
  tokenCalls: string[];
  logoutWithoutOrigin: number;
  logout: Response;
  logoutCalls: string[];
  tokenAfterLogout: number;
}

let emulator: RunningEmulator;
let worker: WebWorker;
let walk: Walk;

/** What workerd logged above `info` (its console and its own warnings, e.g. a promise across requests). */
function warnings(): Array<{ level: string; message: string }> {
  return worker.logs.filter((line) => line.level !== 'info' && line.level !== 'log');
}

function tokenCalls(): string[] {
  return emulator.control
    .requests()
    .filter((r) => r.endpoint === 'token')
    .map((r) => `${r.grantType} ${r.status}${r.error ? ` ${r.error}` : ''}`);
}

async function signInAndOut(browser: Browser): Promise<Walk> {
  const runtime = await (await browser.request('/__runtime')).text();
  const login = await browser.request('/api/auth/login');
  const authorizeUrl = location(login, 'GET /api/auth/login');
  // The browser at the emulator (auto-approve): straight back to the callback.
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  await authorize.body?.cancel();
  const back = location(authorize, 'authorize');
  const callback = await browser.request(`${back.pathname}${back.search}`);
  const sessionCookie = browser.setCookies.get('aps-auth-session') ?? '';
  // Where the callback sends the browser: the signed-in page, rendered on workerd.
  const homeRes = await browser.request(location(callback, 'the callback').pathname);
  const home = { status: homeRes.status, html: await homeRes.text() };
  const profileRes = await browser.request('/api/auth/profile');
  const profile = { status: profileRes.status, body: (await profileRes.json()) as Record<string, unknown> };
  // Concurrent requests of one session, each in a request context of its own, share one refresh.
  const tokenAnswers = await Promise.all(Array.from({ length: 4 }, () => browser.request('/api/auth/token')));
  const tokens = await Promise.all(
    tokenAnswers.map(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
    })),
  );
  const callsBeforeLogout = tokenCalls();
  const logoutWithoutOrigin = (await browser.request('/api/auth/logout', { method: 'POST' })).status;
  const logout = await browser.request('/api/auth/logout', { method: 'POST', headers: { origin: ORIGIN } });
  const logoutCalls = emulator.control
    .requests()
    .filter((r) => r.endpoint === 'revoke')
    .map((r) => `${r.status}`);
  const tokenAfterLogout = (await browser.request('/api/auth/token')).status;
  return {
    runtime,
    login,
    authorizeUrl,
    callback,
    sessionCookie,
    home,
    profile,
    tokens,
    tokenCalls: callsBeforeLogout,
    logoutWithoutOrigin,
    logout,
    logoutCalls,
    tokenAfterLogout,
  };
}

beforeAll(async () => {
  const [code, emu] = await Promise.all([
    bundleWebWorker(),
    startEmulator({
      port: 0,
      host: '127.0.0.1',
      autoApprove: true,
      rateLimits: false,
      clients: [
        { ...CLIENT, redirectUris: [CALLBACK, `${ORIGIN}/relay`], postLogoutRedirectUris: [`${ORIGIN}/`] },
      ],
    }),
  ]);
  emulator = emu;
  worker = await startWebWorker(code, {
    APS_CLIENT_ID: CLIENT.clientId,
    APS_CLIENT_SECRET: CLIENT.clientSecret,
    APS_CALLBACK_URL: CALLBACK,
    APS_BASE_URL: emulator.url,
    SESSION_SECRET,
  });
  walk = await signInAndOut(new Browser(worker));
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await emulator?.close();
});

describe('the web app on workerd (miniflare), signing in against the emulator', () => {
  it('runs on workerd, which logged no warning or error (a cross-request promise, a Node global...)', () => {
    expect(walk.runtime).toBe('Cloudflare-Workers');
    expect(warnings()).toEqual([]);
  });

  it('GET /api/auth/login sends the browser to the emulator with PKCE S256 and a state', () => {
    expect(walk.login.status).toBe(302);
    expect(walk.authorizeUrl.origin).toBe(emulator.url);
    const params = walk.authorizeUrl.searchParams;
    expect(params.get('client_id')).toBe(CLIENT.clientId);
    expect(params.get('redirect_uri')).toBe(CALLBACK);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the callback exchanges the code once, with the verifier, and starts a session', () => {
    expect(walk.callback.status).toBe(303);
    expect(walk.callback.headers.get('location')).toBe('/');
    // A code issued with a challenge is refused without its verifier: the 200 is the verifier's proof.
    expect(walk.tokenCalls.filter((call) => call.startsWith('authorization_code'))).toEqual([
      'authorization_code 200',
    ]);
  });

  it('the session cookie is HttpOnly, SameSite=Lax, for the whole site', () => {
    expect(walk.sessionCookie).toMatch(/^aps-auth-session=[A-Za-z0-9_-]{43}\.[^;]+%3D;/);
    expect(walk.sessionCookie).toMatch(/; HttpOnly(;|$)/);
    expect(walk.sessionCookie).toMatch(/; SameSite=Lax(;|$)/);
    expect(walk.sessionCookie).toMatch(/; Path=\/(;|$)/);
  });

  it('GET /api/auth/profile answers the emulator user, whom the home page shows signed in', () => {
    expect(walk.profile.status).toBe(200);
    expect(walk.profile.body).toMatchObject({ sub: expect.any(String), email: expect.any(String) });
    expect(walk.home.status).toBe(200);
    expect(walk.home.html).toContain(
      `Signed in as <span id="user-name">${String(walk.profile.body.name)}</span>`,
    );
  });

  it('GET /api/auth/token answers one down-scoped token to concurrent requests (one refresh)', () => {
    expect(walk.tokens.map((t) => t.status)).toEqual([200, 200, 200, 200]);
    const [token] = walk.tokens;
    expect(Object.keys(token?.body ?? {}).sort()).toEqual(['access_token', 'expires_in']);
    expect(new Set(walk.tokens.map((t) => t.body.access_token)).size).toBe(1);
    const claims = JSON.parse(atob(String(token?.body.access_token).split('.')[1] ?? '')) as {
      scope: string[];
    };
    expect(claims.scope).toEqual(['viewables:read']);
    expect(token?.body.expires_in).toBeGreaterThan(3000);
    expect(walk.tokenCalls).toEqual(['authorization_code 200', 'refresh_token 200']);
  });

  it('every answer carries the security headers', () => {
    for (const res of [walk.login, walk.callback, walk.logout]) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(walk.callback.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('POST /api/auth/logout needs the site Origin, revokes at the emulator and ends the session', () => {
    expect(walk.logoutWithoutOrigin).toBe(403);
    expect(walk.logout.status).toBe(303);
    expect(walk.logout.headers.get('location')).toBe('/');
    // The refresh token (the grant), then the access token.
    expect(walk.logoutCalls).toEqual(['200', '200']);
    expect(walk.tokenAfterLogout).toBe(401);
  });
});

describe('the relay on workerd: a terminal (core, here on Node) pairs with the worker and gets the code', () => {
  it('pairs, long-polls while the person signs in, opens the envelope and exchanges the code itself', async () => {
    // The terminal reaches the worker through createRelayPairing's fetch seam (miniflare's dispatchFetch).
    const pairing = await createRelayPairing(ORIGIN, { fetch: (url, init) => worker.fetch(url, init) });
    expect(pairing.redirectUri).toBe(`${ORIGIN}/relay`);
    const config = {
      ...CLIENT,
      redirectUri: pairing.redirectUri,
      scopes: ['data:read'],
      baseUrl: emulator.url,
    };
    const request = await createAuthorizationRequest(config);
    const url = new URL(request.url);
    url.searchParams.set('state', pairing.relayState(request.state));
    // The terminal waits (a long poll on workerd) while the person signs in on another device.
    const code = pairing.waitForCode(config, request.state, { pollSeconds: 10 });
    const authorize = await fetch(url, { redirect: 'manual' });
    await authorize.body?.cancel();
    const back = location(authorize, 'authorize');
    expect(back.pathname).toBe('/relay');
    const landing = await new Browser(worker).request(`${back.pathname}${back.search}`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Return to your terminal');
    emulator.control.clearRequests();
    const token = await exchangeCode(config, { code: await code, codeVerifier: request.codeVerifier });
    expect(token.scopes).toEqual(['data:read']);
    expect(tokenCalls()).toEqual(['authorization_code 200']);
    expect(warnings()).toEqual([]);
  });
});
