// The server side of the web benches (apps/web/bench/token-throughput.mjs, bench/web-token-redis.mjs), one
// module: the emulator (auto-approve, no rate limits) and one web app per session store, each with a signed-in
// session whose first Viewer token is already cached, served in a process of its own (the load generator must
// not share their event loop) until SIGTERM.
import { startEmulator } from '@aps-auth/emulator/node';
import { createWebApp } from '../dist/index.js';
import { startWebServer } from '../dist/node.js';

/** The apps' callback URL (never listened on: only its host matters) and the `Host` every request names. */
const CALLBACK = 'http://localhost:8080/api/auth/callback';
export const BENCH_HOST = 'localhost:8080';

/** A sign-in over HTTP (auto-approving emulator): the session cookie. */
async function signIn(base) {
  const login = await fetch(`${base}/api/auth/login`, { redirect: 'manual' });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const consent = await fetch(login.headers.get('location'), { redirect: 'manual' });
  const back = new URL(consent.headers.get('location'));
  const callback = await fetch(`${base}${back.pathname}${back.search}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return callback.headers
    .getSetCookie()
    .find((c) => c.startsWith('aps-auth-session='))
    .split(';')[0];
}

/**
 * Starts the emulator and a web app per entry of `stores` (`{ name: SessionStore | undefined }`, undefined: the
 * default memory store), signs each in and fetches its first token. Resolves with `{ apps, emulator, close }`,
 * `apps[name]` being `{ url, cookie }` (`url`: the app's `GET /api/auth/token`).
 */
export async function startSignedInApps(stores) {
  const emulator = await startEmulator({
    port: 0,
    autoApprove: true,
    rateLimits: false,
    clients: [{ clientId: 'bench', clientSecret: 'bench-secret', redirectUris: [CALLBACK] }],
  });
  const servers = [];
  const apps = {};
  for (const [name, store] of Object.entries(stores)) {
    const app = createWebApp({
      config: {
        clientId: 'bench',
        clientSecret: 'bench-secret',
        redirectUri: CALLBACK,
        baseUrl: emulator.url,
      },
      sessionSecret: 'bench-session-secret-of-at-least-32-characters',
      ...(store === undefined ? {} : { store }),
    });
    const server = await startWebServer({ fetch: app.fetch, port: 0, host: '127.0.0.1' });
    servers.push(server);
    const cookie = await signIn(server.url);
    const first = await fetch(`${server.url}/api/auth/token`, { headers: { cookie, host: BENCH_HOST } });
    if (first.status !== 200) throw new Error(`${name}: token answered ${first.status}`);
    apps[name] = { url: `${server.url}/api/auth/token`, cookie };
  }
  return {
    apps,
    emulator,
    close: () => Promise.all([...servers.map((s) => s.close()), emulator.close()]),
  };
}

/**
 * Prints `answer` as one JSON line, then serves; on SIGTERM prints `{ refreshes }` (refresh requests the
 * emulator saw), runs `close` and exits.
 */
export function serveUntilTerminated(answer, emulator, close) {
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  process.once('SIGTERM', () => {
    const refreshes = emulator.control
      .requests()
      .filter((r) => r.endpoint === 'token' && r.grantType === 'refresh_token').length;
    process.stdout.write(`${JSON.stringify({ refreshes })}\n`);
    close().then(() => process.exit(0));
  });
}
