// Requests per second of `GET /api/auth/token` for a signed-in session, against a bare Hono hello-world on the
// same Node, in the same run (alternating rounds; the ratio is what counts). Target: at least 0.6. Each round
// also measures the floor: a bare Hono app answering the token route's very bytes (what the answer's size costs). The servers run
// in a child process (servers.mjs), the load generator (autocannon) here.
// Run: pnpm exec turbo run build --filter=@aps-auth/web && pnpm --filter @aps-auth/web bench
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { BENCH_HOST } from './signed-in-apps.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function run(url, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, duration: SECONDS, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const child = spawn(process.execPath, [new URL('./servers.mjs', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const servers = JSON.parse((await lines.next()).value);
const figures = [];
try {
  for (let round = 1; round <= ROUNDS; round += 1) {
    const b = await run(servers.bare.url, {});
    const w = await run(servers.web.url, { cookie: servers.web.cookie, host: BENCH_HOST });
    const f = await run(servers.floor.url, {});
    if (w.non2xx > 0 || w.errors > 0)
      throw new Error(`token run had ${w.non2xx} non-2xx and ${w.errors} errors`);
    const ratio = w.requests.average / b.requests.average;
    figures.push(ratio);
    console.log(
      `round ${round}: bare ${Math.round(b.requests.average)} req/s, /api/auth/token ${Math.round(w.requests.average)} req/s, ratio ${ratio.toFixed(2)}; ` +
        `floor (the same bytes from a bare app) ${Math.round(f.requests.average)} req/s, ${(f.requests.average / b.requests.average).toFixed(2)} of bare, token/floor ${(w.requests.average / f.requests.average).toFixed(2)}`,
    );
  }
} finally {
  child.kill('SIGTERM');
}
const { refreshes } = JSON.parse((await lines.next()).value);
await once(child, 'exit');
console.log(`refreshes at the token endpoint during the run: ${refreshes} (the down-scoped token is cached)`);
console.log(`ratio ${Math.min(...figures).toFixed(2)}–${Math.max(...figures).toFixed(2)} (target >= 0.6)`);
