import { TestBrowser } from '@aps-auth/test-utils';
import { describe, expect, it } from 'vitest';
import { type CallbackContext, type CallbackVerdict, startLoopbackServer } from '../../src/node/index.js';
import { freePort, httpRequest } from './helpers.js';

const AUTHORIZE = 'http://127.0.0.1:9/authentication/v2/authorize?state=S&code_challenge=C';

async function serve() {
  const port = await freePort();
  const contexts: CallbackContext[] = [];
  const server = await startLoopbackServer({
    redirectUri: `http://localhost:${port}/api/auth/callback`,
    onCallback: (query, context): CallbackVerdict<string> => {
      contexts.push(context);
      return context.sameBrowser
        ? {
            kind: 'done',
            value: query.get('code') ?? '',
            page: { ok: true, title: 'Signed in', message: '' },
          }
        : { kind: 'refused', status: 400, page: { ok: false, title: 'Other browser', message: '' } };
    },
  });
  return { port, server, contexts, callback: `http://localhost:${port}/api/auth/callback` };
}

describe('the loopback start link (RFC 9700 section 4.7.1)', () => {
  it('redirects to the authorize URL and sets an HttpOnly, SameSite=Lax cookie for the callback path', async () => {
    const { port, server, callback } = await serve();
    const link = server.createStartUrl(AUTHORIZE);
    expect(link).toMatch(
      new RegExp(`^http://localhost:${port}/api/auth/callback/start\\?id=[A-Za-z0-9_-]{43}$`),
    );
    expect(link).not.toMatch(/state|code_challenge/);
    expect(server.activity).toEqual({ startVisits: 0, callbacks: 0 });
    const answer = await fetch(link, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(AUTHORIZE);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const cookie = answer.headers.getSetCookie();
    expect(cookie).toHaveLength(1);
    expect(cookie[0]).toMatch(
      new RegExp(`^aps_auth_${port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=/api/auth/callback$`),
    );
    expect(server.activity.startVisits).toBe(1);
    // The callback with that cookie is from the same browser.
    const pair = cookie[0]!.split(';')[0]!;
    const ok = await fetch(`${callback}?code=c&state=s`, { headers: { cookie: `other=1; ${pair}` } });
    expect(ok.status).toBe(200);
    await expect(server.result).resolves.toBe('c');
  });

  it('a callback without the cookie (or with a wrong one) is not from the same browser', async () => {
    const { server, callback, contexts } = await serve();
    server.createStartUrl(AUTHORIZE);
    expect((await fetch(`${callback}?code=c&state=s`)).status).toBe(400);
    const name = `aps_auth_${new URL(callback).port}`;
    const wrong = await fetch(`${callback}?code=c&state=s`, { headers: { cookie: `${name}=guess` } });
    expect(wrong.status).toBe(400);
    expect(contexts).toEqual([{ sameBrowser: false }, { sameBrowser: false }]);
    await server.close();
  });

  it('without a start link, callbacks are not browser-bound', async () => {
    const { server, callback, contexts } = await serve();
    expect((await fetch(`${callback}?code=c&state=s`)).status).toBe(200);
    expect(contexts).toEqual([{ sameBrowser: true }]);
    await expect(server.result).resolves.toBe('c');
  });

  it('a wrong id is an unknown link (404, not counted); only GET opens it', async () => {
    const { port, server } = await serve();
    const link = new URL(server.createStartUrl(AUTHORIZE));
    const path = `${link.pathname}?id=${'A'.repeat(43)}`;
    const unknown = await httpRequest(port, path);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Unknown sign-in link');
    expect((await httpRequest(port, `${link.pathname}${link.search}&id=x`)).status).toBe(404);
    expect((await httpRequest(port, `${link.pathname}${link.search}`, { method: 'HEAD' })).status).toBe(405);
    expect((await httpRequest(port, `${link.pathname}${link.search}`, { method: 'POST' })).status).toBe(405);
    expect(server.activity.startVisits).toBe(0);
    await server.close();
  });

  it('opened again by the same browser: redirected again; by another browser: 410 and the flow stops', async () => {
    const { server } = await serve();
    const link = server.createStartUrl(AUTHORIZE);
    const mine = new TestBrowser();
    expect(await mine.locationOf(link)).toBe(AUTHORIZE);
    expect(await mine.locationOf(link)).toBe(AUTHORIZE);
    const other = await new TestBrowser().follow(link);
    expect(other.status).toBe(410);
    expect(other.body).toContain('already opened in another browser');
    await expect(server.result).rejects.toMatchObject({
      name: 'AuthorizationResponseError',
      code: 'SIGN_IN_LINK_REUSED',
    });
  });
});
