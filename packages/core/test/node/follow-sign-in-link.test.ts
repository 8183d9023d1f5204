import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { followSignInLink, openProfile, visitSignInLink } from '../../src/node/index.js';
import { start } from '../helpers.js';
import { freePort, tempDir } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A tiny server answering each path with `routes[path]` (status, headers), recording the Cookie header. */
async function serve(routes: Record<string, { status: number; headers?: Record<string, string> }>) {
  const cookies: Array<string | undefined> = [];
  const server = createServer((request, response) => {
    cookies.push(request.headers.cookie);
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname] ?? { status: 404 };
    response.writeHead(route.status, route.headers ?? {});
    response.end(`page ${request.url}`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cookies };
}

describe('followSignInLink: the fetch "browser" for emulators, auto-approve servers and tests', () => {
  it('completes a real sign-in against the auto-approving emulator (start link cookie included)', async () => {
    const callback = `http://localhost:${await freePort()}/api/auth/callback`;
    const server = await start({
      autoApprove: true,
      clients: [{ clientId: 'desktop-app-id', redirectUris: [callback] }],
    });
    const session = await openProfile({
      env: {
        APS_AUTH_HOME: await tempDir(),
        APS_CLIENT_ID: 'desktop-app-id',
        APS_BASE_URL: server.url,
        APS_CALLBACK_URL: callback,
      },
      cwd: await tempDir(),
    });
    const status = await session.signIn({ openUrl: (url) => followSignInLink(url), userInfo: false });
    expect(status.state).toBe('valid');
  });

  it('keeps the cookies a host sets and sends them back to that host only; returns the last page', async () => {
    const other = await serve({ '/end': { status: 200 } });
    const site = await serve({
      '/start': { status: 302, headers: { location: '/next', 'set-cookie': 'bind=abc; HttpOnly; Path=/' } },
      '/next': { status: 303, headers: { location: `${other.url}/end` } },
    });
    const page = await visitSignInLink(`${site.url}/start`);
    expect(page).toMatchObject({ url: `${other.url}/end`, status: 200, body: 'page /end' });
    expect(site.cookies).toEqual([undefined, 'bind=abc']);
    expect(other.cookies).toEqual([undefined]);
  });

  it('refuses a link that does not redirect, and a redirect loop', async () => {
    const site = await serve({
      '/page': { status: 200 },
      '/loop': { status: 302, headers: { location: '/loop' } },
    });
    await expect(followSignInLink(`${site.url}/page`)).rejects.toThrow(/answered 200 without a redirect/);
    await expect(followSignInLink(`${site.url}/loop`)).rejects.toThrow(/redirected too many times/);
  });
});
