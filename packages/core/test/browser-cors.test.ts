/**
 * core's "." entry in a real headless Chromium, from a page on another origin than the emulator: a single-page
 * app with PKCE (a public client) signs in, exchanges the code, refreshes, reads userinfo and revokes, all
 * cross-origin, as APS serves browser apps.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '@aps-auth/emulator/node';
import { launchChromium } from '@aps-auth/test-utils';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SPA = 'browser-spa';

let browser: Browser;
let pageServer: Server;
let pageOrigin: string;

/** The app's own server: serves core's bundle, a blank page and the callback page (no logic of its own). */
async function startPageServer(): Promise<void> {
  const bundled = await build({
    entryPoints: [`${root}/src/index.ts`],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const core = bundled.outputFiles[0]?.text ?? '';
  pageServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/core.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(core);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>SPA</title><p>app</p>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  browser = await launchChromium();
  await startPageServer();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  pageServer?.closeAllConnections();
  await new Promise((resolve) => pageServer?.close(resolve));
});

async function emulatorForSpa(): Promise<RunningEmulator> {
  return start({ clients: [{ clientId: SPA, redirectUris: [`${pageOrigin}/callback`] }] });
}

/** What the page's config looks like: a public client (no secret) talking to the emulator on another origin. */
function spaConfig(emu: RunningEmulator) {
  return {
    clientId: SPA,
    redirectUri: `${pageOrigin}/callback`,
    scopes: ['data:read', 'viewables:read'],
    baseUrl: emu.url,
  };
}

/** Loads core's bundle into the page as `window.core`, as the app's own module script would. */
async function loadCore(page: Page): Promise<void> {
  await page.addScriptTag({
    type: 'module',
    content: "import * as core from '/core.js'; window.core = core;",
  });
  await page.waitForFunction(() => 'core' in globalThis);
}

async function openApp(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${pageOrigin}/`);
  await loadCore(page);
  return page;
}

// biome-ignore lint/suspicious/noExplicitAny: the bundle's exports, typed in the page only by use.
type PageGlobal = { core: any; location: { href: string; origin: string } };

describe("core's '.' entry in a browser page on another origin", () => {
  it('authorize -> exchangeCode -> refresh -> userinfo -> revoke, cross-origin', async () => {
    const emu = await emulatorForSpa();
    expect(new URL(emu.url).origin).not.toBe(pageOrigin);
    const config = spaConfig(emu);
    const page = await openApp();

    const request = await page.evaluate(async (cfg) => {
      const { core } = globalThis as unknown as PageGlobal;
      const r = await core.createAuthorizationRequest(cfg);
      sessionStorage.setItem('pending', JSON.stringify({ state: r.state, codeVerifier: r.codeVerifier }));
      return { url: r.url as string };
    }, config);
    // The emulator auto-approves and redirects the browser to the app's callback page.
    await page.goto(request.url);
    expect(new URL(page.url()).pathname).toBe('/callback');
    expect(new URL(page.url()).searchParams.get('code')).toEqual(expect.any(String));
    await loadCore(page);

    const result = await page.evaluate(async (cfg) => {
      const { core, location } = globalThis as unknown as PageGlobal;
      const pending = JSON.parse(sessionStorage.getItem('pending') ?? '{}');
      const { code } = core.parseCallback(cfg, location.href, { state: pending.state });
      const first = await core.exchangeCode(cfg, { code, codeVerifier: pending.codeVerifier });
      const second = await core.refreshToken(cfg, { refreshToken: first.refreshToken });
      const user = await core.getUserInfo(cfg, { accessToken: second.accessToken });
      // The first refresh token is spent: a second use fails with a typed error the page can read.
      const reused = await core.refreshToken(cfg, { refreshToken: first.refreshToken }).then(
        () => 'no error',
        (e: { code?: string; error?: string }) => ({ code: e.code, oauthError: e.error }),
      );
      await core.revokeToken(cfg, { token: second.refreshToken, tokenTypeHint: 'refresh_token' });
      return {
        origin: location.origin,
        first: { access: first.accessToken.length > 0, refresh: typeof first.refreshToken },
        secondRefresh: second.refreshToken,
        rotated: second.refreshToken !== first.refreshToken,
        scopes: second.scopes,
        sub: user.sub,
        reused,
      };
    }, config);

    expect(result).toMatchObject({
      origin: pageOrigin,
      first: { access: true, refresh: 'string' },
      rotated: true,
      scopes: ['data:read', 'viewables:read'],
      sub: 'EMU7TESTUSER',
      reused: { code: expect.any(String) },
    });
    // Seen from the emulator: every call came from the page, preflights are not logged.
    const calls = emu.control
      .requests()
      .filter((r) => r.endpoint !== 'authorize')
      .map((r) => ({ endpoint: r.endpoint, method: r.method, status: r.status, grantType: r.grantType }));
    expect(calls).toEqual([
      { endpoint: 'token', method: 'POST', status: 200, grantType: 'authorization_code' },
      { endpoint: 'token', method: 'POST', status: 200, grantType: 'refresh_token' },
      { endpoint: 'userinfo', method: 'GET', status: 200, grantType: undefined },
      { endpoint: 'token', method: 'POST', status: 400, grantType: 'refresh_token' },
      { endpoint: 'revoke', method: 'POST', status: 200, grantType: undefined },
    ]);
    // The revocation really happened: the rotated refresh token is dead.
    const after = await fetch(`${emu.url}/authentication/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: SPA,
        refresh_token: result.secondRefresh ?? '',
      }),
    });
    expect(await after.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it("the page cannot read the emulator's control API (no CORS there)", async () => {
    const emu = await emulatorForSpa();
    const page = await openApp();
    const outcome = await page.evaluate(async (url) => {
      try {
        const res = await fetch(`${url}/__emulator/clients`);
        return `read ${res.status}`;
      } catch (e) {
        return `blocked: ${(e as Error).name}`;
      }
    }, emu.url);
    expect(outcome).toBe('blocked: TypeError');
  });
});
