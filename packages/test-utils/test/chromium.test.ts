import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath, launchChromium } from '../src/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('chromiumPath', () => {
  it('honours CHROMIUM_PATH', () => {
    vi.stubEnv('CHROMIUM_PATH', '/opt/some/chrome');
    expect(chromiumPath()).toBe('/opt/some/chrome');
  });

  it("defaults to Debian's /usr/bin/chromium", () => {
    vi.stubEnv('CHROMIUM_PATH', undefined);
    expect(chromiumPath()).toBe('/usr/bin/chromium');
  });
});

describe('launchChromium', () => {
  it('launches the binary chromiumPath() names (a missing one is an error)', async () => {
    vi.stubEnv('CHROMIUM_PATH', '/nonexistent/aps-auth-chromium');
    await expect(launchChromium()).rejects.toThrow(/\/nonexistent\/aps-auth-chromium/);
  });

  it('really starts a headless browser that renders a data: page and runs its script', async () => {
    expect(CHROMIUM_ARGS).toContain('--headless');
    const browser = await launchChromium();
    try {
      expect(browser.isConnected()).toBe(true);
      expect(browser.version()).toMatch(/^\d+\./);
      const page = await browser.newPage();
      const html =
        '<!doctype html><title>t</title><h1 id="h">rendered</h1><script>document.title = String(6 * 7)</script>';
      await page.goto(`data:text/html,${encodeURIComponent(html)}`);
      expect(await page.textContent('#h')).toBe('rendered');
      expect(await page.title()).toBe('42');
      const box = await page.locator('#h').boundingBox();
      expect(box?.width).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
    expect(browser.isConnected()).toBe(false);
  });
});
