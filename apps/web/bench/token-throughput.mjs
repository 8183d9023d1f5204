// Requests per second of `GET /api/auth/token` for a signed-in session, against a bare Hono hello-world on the
// same Node, in the same run (alternating rounds; the ratio is what counts). Target: at least 0.6.
// Run: pnpm exec turbo run build --filter=@aps-auth/web && pnpm --filter @aps-auth/web bench
import { createServer } from 'node:net';
import { startEmulator } from '@aps-auth/emulator/node';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { createWebApp } from '../dist/index.js';
import { startWebServer } from '../dist/node.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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

function run(url, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, duration: SECONDS, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
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
const bareUrl = `http://127.0.0.1:${bareServer.address().port}/`;

const figures = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const b = await run(bareUrl, {});
  const w = await run(`http://127.0.0.1:${port}/api/auth/token`, { cookie, host: `localhost:${port}` });
  if (w.non2xx > 0 || w.errors > 0)
    throw new Error(`token run had ${w.non2xx} non-2xx and ${w.errors} errors`);
  const ratio = w.requests.average / b.requests.average;
  figures.push(ratio);
  console.log(
    `round ${round}: bare ${Math.round(b.requests.average)} req/s, /api/auth/token ${Math.round(w.requests.average)} req/s, ratio ${ratio.toFixed(2)}`,
  );
}
const refreshes = emulator.control
  .requests()
  .filter((r) => r.endpoint === 'token' && r.grantType === 'refresh_token');
console.log(`token endpoint refreshes during the run: ${refreshes.length} (the down-scoped token is cached)`);
console.log(`ratio ${Math.min(...figures).toFixed(2)}–${Math.max(...figures).toFixed(2)} (target >= 0.6)`);
await web.close();
bareServer.close();
await emulator.close();
