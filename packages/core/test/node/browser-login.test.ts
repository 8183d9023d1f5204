/**
 * login() with a real headless Chromium as the browser: the person sees the emulator's consent page, clicks
 * Allow or Deny, and the browser lands on the loopback listener's page.
 */
import { launchChromium } from '@aps-auth/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuthorizationResponseError } from '../../src/index.js';
import { FileTokenStore, type LoginEvent, login } from '../../src/node/index.js';
import { SECRET, start } from '../helpers.js';
import { freePort, tempDir } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

async function setup() {
  const callback = `http://localhost:${await freePort()}/api/auth/callback`;
  const server = await start({
    autoApprove: false,
    clients: [
      { clientId: 'web-app-id', clientSecret: SECRET, redirectUris: [callback], name: 'Browser Login' },
    ],
  });
  const home = await tempDir();
  const store = new FileTokenStore({ home, clientId: 'web-app-id', baseUrl: server.url });
  const config = {
    clientId: 'web-app-id',
    clientSecret: SECRET,
    redirectUri: callback,
    scopes: ['data:read', 'openid'],
    baseUrl: server.url,
  };
  return { server, store, config, callback };
}

/** A browser opener that shows the page in Chromium and clicks `button` on the consent page. */
function chromiumClicking(button: 'Allow' | 'Deny', pages: Page[]) {
  return async (url: string): Promise<void> => {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(url);
    await page.getByRole('button', { name: button }).click();
  };
}

describe('login() in headless Chromium', () => {
  it('Allow: the browser lands on "Signed in", the token is stored', async () => {
    const { server, store, config, callback } = await setup();
    const pages: Page[] = [];
    const events: LoginEvent[] = [];
    const { token } = await login({
      config,
      store,
      key: 'default',
      openUrl: chromiumClicking('Allow', pages),
      onEvent: (event) => events.push(event),
    });

    expect(await store.load('default')).toEqual(token);
    expect(token.idToken).toBeTypeOf('string');
    const page = pages[0]!;
    await page.waitForURL((url) => url.href.startsWith(`${callback}?`));
    expect(await page.locator('h1').textContent()).toBe('Signed in');
    expect(await page.locator('body').textContent()).toContain('You can close this tab');
    expect(events.map((event) => event.type)).toContain('callback-received');
    // Chromium opened the one-time start link and sent its cookie back with the callback (SameSite=Lax on a
    // cross-site redirect): nothing was refused as another browser.
    expect(events.find((event) => event.type === 'authorize-url')).toMatchObject({
      url: expect.stringMatching(new RegExp(`^${callback}/start\\?id=`)),
      startLink: true,
    });
    expect(events.filter((event) => event.type === 'callback-refused')).toEqual([]);
    expect(server.control.requests().filter((entry) => entry.endpoint === 'token')).toMatchObject([
      { grantType: 'authorization_code', clientAuth: 'basic', status: 200 },
    ]);
  }, 30_000);

  it('Deny: the login ends with access_denied, the browser says so, nothing is stored', async () => {
    const { server, store, config, callback } = await setup();
    const pages: Page[] = [];
    const failure = await login({
      config,
      store,
      key: 'default',
      openUrl: chromiumClicking('Deny', pages),
    }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(isAuthorizationResponseError(failure) && failure.error).toBe('access_denied');
    expect(await store.load('default')).toBeUndefined();
    const page = pages[0]!;
    await page.waitForURL((url) => url.href.startsWith(`${callback}?`));
    expect(await page.locator('h1').textContent()).toBe('Sign-in failed');
    expect(server.control.requests().filter((entry) => entry.endpoint === 'token')).toEqual([]);
  }, 30_000);
});
