// The servers of the token-throughput bench, in a process of their own (the load generator must not share their
// event loop): the emulator, the web app with one signed-in session, and a bare Hono hello-world. Prints one JSON
// line with their URLs and the session cookie, then serves until it is sent SIGTERM.
import { createServer } from 'node:net';
import { startEmulator } from '@aps-auth/emulator/node';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createWebApp } from '../dist/index.js';
import { startWebServer } from '../dist/node.js';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function signIn(origin) {
  const login = await fetch(`${origin}/api/auth/login`, { redirect: 'manual' });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const consent = await fetch(login.headers.get('location'), { redirect: 'manual' });
  const back = new URL(consent.headers.get('location'));
  const callback = await fetch(`${origin}${back.pathname}${back.search}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return callback.headers
    .getSetCookie()
    .find((c) => c.startsWith('aps-auth-session='))
    .split(';')[0];
}

const port = await freePort();
const origin = `http://localhost:${port}`;
const emulator = await startEmulator({
  port: 0,
  autoApprove: true,
  rateLimits: false,
  clients: [
    { clientId: 'bench', clientSecret: 'bench-secret', redirectUris: [`${origin}/api/auth/callback`] },
  ],
});
const app = createWebApp({
  config: {
    clientId: 'bench',
    clientSecret: 'bench-secret',
    redirectUri: `${origin}/api/auth/callback`,
    baseUrl: emulator.url,
  },
  sessionSecret: 'bench-session-secret-of-at-least-32-characters',
});
const web = await startWebServer({ fetch: app.fetch, port, host: '127.0.0.1' });
const cookie = await signIn(origin);
const first = await fetch(`${origin}/api/auth/token`, { headers: { cookie } });
if (first.status !== 200) throw new Error(`token answered ${first.status}`);
const bare = new Hono().get('/', (c) => c.text('Hello Hono!'));
const bareServer = await new Promise((resolve) => {
  const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
process.stdout.write(
  `${JSON.stringify({
    tokenUrl: `http://127.0.0.1:${port}/api/auth/token`,
    host: `localhost:${port}`,
    bareUrl: `http://127.0.0.1:${bareServer.address().port}/`,
    cookie,
  })}\n`,
);
process.once('SIGTERM', () => {
  const refreshes = emulator.control
    .requests()
    .filter((r) => r.endpoint === 'token' && r.grantType === 'refresh_token').length;
  process.stdout.write(`${JSON.stringify({ refreshes })}\n`);
  Promise.all([web.close(), emulator.close(), new Promise((r) => bareServer.close(r))]).then(() =>
    process.exit(0),
  );
});
