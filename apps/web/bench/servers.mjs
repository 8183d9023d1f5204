// The servers of the token-throughput bench, in a process of their own: the emulator and the web app with one
// signed-in session (signed-in-apps.mjs), a bare Hono hello-world, and a bare Hono app answering the token
// route's bytes. Prints one JSON line with their URLs and
// the session cookie, then serves until it is sent SIGTERM.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { BENCH_HOST, serveUntilTerminated, startSignedInApps } from './signed-in-apps.mjs';

const { apps, emulator, close } = await startSignedInApps({ web: undefined });

function start(app) {
  return new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
}

const bareServer = await start(new Hono().get('/', (c) => c.text('Hello Hono!')));
// The floor: a bare Hono app answering the very bytes the token route answers (its headers and body, fixed), so
// that what the size of the answer costs (the load generator reads 1.3 kB instead of 0.2 kB) is told apart from
// what the app does.
const sample = await fetch(apps.web.url, { headers: { cookie: apps.web.cookie, host: BENCH_HOST } });
const sampleHeaders = Object.fromEntries([...sample.headers].filter(([name]) => name !== 'content-length'));
const sampleBody = await sample.text();
const floorServer = await start(
  new Hono().get('/', () => new Response(sampleBody, { headers: sampleHeaders })),
);
const url = (server) => `http://127.0.0.1:${server.address().port}/`;
serveUntilTerminated(
  { web: apps.web, bare: { url: url(bareServer) }, floor: { url: url(floorServer) } },
  emulator,
  () => Promise.all([close(), ...[bareServer, floorServer].map((s) => new Promise((r) => s.close(r)))]),
);
