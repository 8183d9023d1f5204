/** The consent page in a real headless Chromium: plain HTML forms, Allow and Deny, landing on the callback. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@aps-auth/test-utils';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, start } from './helpers.js';

let browser: Browser;
let callbackServer: Server;
let callbackUrl: string;
const hits: URL[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // The app's callback: a tiny loopback server that records what the browser brings back.
  callbackServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/auth/callback') hits.push(url);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>callback received</h1>');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://localhost:${(callbackServer.address() as AddressInfo).port}/api/auth/callback`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  callbackServer?.closeAllConnections();
  await new Promise((resolve) => callbackServer?.close(resolve));
});

async function openConsent(state: string) {
  const s = await start({
    clients: [
      { clientId: 'browser-app', clientSecret: 'x', redirectUris: [callbackUrl], name: 'Browser Test App' },
    ],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const url = authorizeUrl(s.url, {
    client_id: 'browser-app',
    response_type: 'code',
    redirect_uri: callbackUrl,
    scope: 'data:read viewables:read openid',
    state,
    nonce: 'n',
  });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return { s, page, context };
}

describe('consent page in headless Chromium', () => {
  it('Allow lands on the callback with code and state', async () => {
    const { s, page, context } = await openConsent('allow-state_1');
    expect(await page.title()).toContain('Local APS emulator');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Browser Test App',
    );
    expect(await page.locator('#scopes li').allTextContents()).toEqual([
      'data:read',
      'viewables:read',
      'openid',
    ]);
    expect(await page.locator('#user').textContent()).toContain('ada.lovelace@example.com');
    await page.screenshot({ path: join(tmpdir(), 'consent.png'), fullPage: true });

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/api/auth/callback'),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(callbackUrl);
    expect(landed.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(landed.searchParams.get('state')).toBe('allow-state_1');
    expect(await page.textContent('h1')).toBe('callback received');
    expect(hits.at(-1)?.searchParams.get('code')).toBe(landed.searchParams.get('code'));
    // The browser's favicon request is answered quietly and not logged.
    expect(s.control.requests().map((r) => [r.endpoint, r.status])).toEqual([
      ['authorize', 200],
      ['consent', 302],
    ]);
    await context.close();
  });

  it('Deny lands on the callback with error=access_denied and state', async () => {
    const { page, context } = await openConsent('deny-state');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/api/auth/callback'),
      page.getByRole('button', { name: 'Deny' }).click(),
    ]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe('deny-state');
    expect(landed.searchParams.has('code')).toBe(false);
    await context.close();
  });

  it('an unregistered callback shows the 400 page and the browser stays on the emulator', async () => {
    const { s, page, context } = await openConsent('x');
    const before = hits.length;
    const response = await page.goto(
      authorizeUrl(s.url, {
        client_id: 'browser-app',
        response_type: 'code',
        redirect_uri: `${callbackUrl}/`,
        scope: 'data:read',
      }),
    );
    expect(response?.status()).toBe(400);
    expect(await page.textContent('h1')).toBe('400 - Invalid redirect_uri');
    expect(new URL(page.url()).origin).toBe(s.url);
    expect(hits.length).toBe(before);
    await context.close();
  });
});
