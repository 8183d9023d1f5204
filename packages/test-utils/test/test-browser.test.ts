import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../src/index.js';

// A tiny site: /start sets a cookie and redirects to /page, which shows the cookie it got.
let base: string;
const server = createServer((req, res) => {
  if (req.url === '/start') {
    res.writeHead(302, { location: '/page', 'set-cookie': 'session=abc; HttpOnly; Path=/' }).end();
  } else {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`cookie: ${req.headers.cookie ?? 'none'}`);
  }
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('TestBrowser', () => {
  it('follows redirects and sends back the cookies a host set; visited lists every URL', async () => {
    const browser = new TestBrowser();
    const page = await browser.follow(`${base}/start`);
    expect(page).toMatchObject({ url: `${base}/page`, status: 200, body: 'cookie: session=abc' });
    expect(browser.visited).toEqual([`${base}/start`, `${base}/page`]);
    // Another browser has no cookie.
    expect((await new TestBrowser().follow(`${base}/page`)).body).toBe('cookie: none');
  });

  it('locationOf gives the redirect target, absolute, without following it', async () => {
    const browser = new TestBrowser();
    expect(await browser.locationOf(`${base}/start`)).toBe(`${base}/page`);
    expect(browser.visited).toEqual([`${base}/start`]);
    await expect(browser.locationOf(`${base}/page`)).rejects.toThrow('answered 200 without a redirect');
  });
});
