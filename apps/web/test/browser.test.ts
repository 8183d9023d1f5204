/**
 * End to end in a real headless Chromium (Debian's): the app on a real HTTP server, the emulator's consent
 * page, sign in, profile, Viewer token, refresh, sign out, and the Deny path. A screenshot of each page goes
 * to `test-artifacts/` (git-ignored; the README shows copies).
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createAuthorizationRequest, exchangeCode, parseCallback } from '@aps-auth/core';
import { launchChromium } from '@aps-auth/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayPairing, createWebApp, MemorySessionStore } from '../src/index.js';
import { type RunningWebServer, startWebServer } from '../src/node/index.js';
import { CLIENT_ID, CLIENT_SECRET, SCOPES, SECRET, startEmu, TestClock, tokenCalls } from './helpers.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function setUp() {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const emu = await startEmu({
    autoApprove: false,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${origin}/api/auth/callback`, `${origin}/relay`],
        postLogoutRedirectUris: [`${origin}/`],
        name: 'aps-auth web (browser test)',
      },
    ],
  });
  const clock = new TestClock();
  const app = createWebApp({
    config: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${origin}/api/auth/callback`,
      scopes: SCOPES,
      baseUrl: emu.url,
      now: clock.now,
    },
    sessionSecret: SECRET,
    store: new MemorySessionStore({ now: clock.now }),
    banner: 'Local APS emulator: the test user is not a real account.',
  });
  const server: RunningWebServer = await startWebServer({ fetch: app.fetch, port, host: '127.0.0.1' });
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { origin, emu, clock, server, context, page, cspViolations, app };
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('web sign-in in headless Chromium', () => {
  it('signs in through the consent page, shows profile and Viewer token, refreshes, signs out', async () => {
    const t = await setUp();
    try {
      const { page } = t;
      await page.goto(`${t.origin}/`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
      await expect(page.locator('#banner').textContent()).resolves.toContain('Local APS emulator');
      await shoot(page, '1-signed-out');

      await page.click('#sign-in');
      await page.waitForURL(`${t.emu.url}/**`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        'aps-auth web (browser test)',
      );
      await shoot(page, '2-consent');

      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`${t.origin}/`);
      await expect(page.locator('#user-name').textContent()).resolves.toBe('Ada Lovelace');
      await expect(page.locator('#token-expiry').textContent()).resolves.toContain('in 60 minutes');
      await shoot(page, '3-signed-in');
      const cookies = await t.context.cookies(t.origin);
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
        ['aps-auth-session', true, 'Lax'],
      ]);

      await page.click('#profile');
      expect(JSON.parse((await page.locator('body').textContent()) ?? '')).toMatchObject({
        email: 'ada.lovelace@example.com',
      });
      await shoot(page, '4-profile');

      await page.goto(`${t.origin}/`);
      await page.click('#viewer-token');
      const viewer = JSON.parse((await page.locator('body').textContent()) ?? '') as Record<string, unknown>;
      expect(Object.keys(viewer).sort()).toEqual(['access_token', 'expires_in']);
      await shoot(page, '5-viewer-token');

      // An hour later the page still works: the token was refreshed on the server, once.
      const refreshesBefore = tokenCalls(t.emu, 'refresh_token').length;
      t.clock.advance(3500);
      await page.goto(`${t.origin}/api/auth/profile`);
      expect(JSON.parse((await page.locator('body').textContent()) ?? '')).toMatchObject({
        sub: 'EMU7TESTUSER',
      });
      expect(tokenCalls(t.emu, 'refresh_token').length).toBe(refreshesBefore + 1);

      await page.goto(`${t.origin}/`);
      await page.click('#sign-out');
      await page.waitForURL(`${t.origin}/`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
      await shoot(page, '6-signed-out-again');
      // The real browser's Origin header passed the CSRF check: both tokens were revoked.
      expect(
        t.emu.control.requests().filter((r) => r.endpoint === 'revoke' && r.status === 200),
      ).toHaveLength(2);
      expect(await t.context.cookies(t.origin)).toEqual([]);
      expect(t.cspViolations).toEqual([]);
    } finally {
      await t.context.close();
      await t.server.close();
    }
  });

  it('Deny on the consent page lands on a page saying the person is not signed in', async () => {
    const t = await setUp();
    try {
      const { page } = t;
      await page.goto(`${t.origin}/`);
      await page.click('#sign-in');
      await page.waitForURL(`${t.emu.url}/**`);
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL(`${t.origin}/api/auth/callback?**`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign-in cancelled');
      await expect(page.locator('#error-code').textContent()).resolves.toBe('access_denied');
      await shoot(page, '7-denied');
      expect(await t.context.cookies(t.origin)).toEqual([]);
      expect(tokenCalls(t.emu, 'authorization_code')).toHaveLength(0);
    } finally {
      await t.context.close();
      await t.server.close();
    }
  });

  it('relay: the browser signs in on the relay, the terminal gets the code and exchanges it', async () => {
    const t = await setUp();
    try {
      const { page } = t;
      const terminal = {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        baseUrl: t.emu.url,
        scopes: SCOPES,
      };
      const pairing = await createRelayPairing(t.origin);
      const request = await createAuthorizationRequest({ ...terminal, redirectUri: pairing.redirectUri });
      const state = pairing.relayState(request.state);
      const url = new URL(request.url);
      url.searchParams.set('state', state);
      const waiting = pairing.waitForCallback({ pollSeconds: 5 });
      await page.goto(url.href);
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`${t.origin}/relay?**`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Return to your terminal',
      );
      await shoot(page, '8-relay-return-to-terminal');
      const { code } = parseCallback(terminal, await waiting, { state });
      const token = await exchangeCode(
        { ...terminal, redirectUri: pairing.redirectUri },
        { code, codeVerifier: request.codeVerifier },
      );
      expect(token.accessToken).toBeTruthy();

      await page.goto(`${t.origin}/relay?code=example-code&state=example-state`);
      await expect(page.locator('#callback-url').inputValue()).resolves.toBe(
        `${t.origin}/relay?code=example-code&state=example-state`,
      );
      await shoot(page, '9-relay-copy-page');
      expect(t.cspViolations).toEqual([]);
    } finally {
      await t.context.close();
      await t.server.close();
    }
  });
});
