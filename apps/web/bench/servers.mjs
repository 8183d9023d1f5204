// The servers of the token-throughput bench, in a process of their own: the emulator and the web app with one
// signed-in session (signed-in-apps.mjs), and a bare Hono hello-world. Prints one JSON line with their URLs and
// the session cookie, then serves until it is sent SIGTERM.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { serveUntilTerminated, startSignedInApps } from './signed-in-apps.mjs';

const { apps, emulator, close } = await startSignedInApps({ web: undefined });
const bare = new Hono().get('/', (c) => c.text('Hello Hono!'));
const bareServer = await new Promise((resolve) => {
  const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
serveUntilTerminated(
  { web: apps.web, bare: { url: `http://127.0.0.1:${bareServer.address().port}/` } },
  emulator,
  () => Promise.all([close(), new Promise((r) => bareServer.close(r))]),
);
