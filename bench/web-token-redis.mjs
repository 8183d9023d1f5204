// Requests per second of the web app's `GET /api/auth/token` for a signed-in session with its sessions in Redis
// (`RedisSessionStore`, a real redis-server started here) against sessions in memory (`MemorySessionStore`, the
// default), in the same run: alternating rounds of autocannon (50 connections), the ratio printed. The servers
// (emulator, both apps) run in a child process, the load generator here, as in apps/web/bench. The down-scoped
// Viewer token is cached in the store, so a token request reads the session and the Viewer token from the store
// (two GETs on Redis) and refreshes nothing.
//
//   pnpm exec turbo run build --filter=@aps-auth/web && pnpm exec node bench/web-token-redis.mjs
//   BENCH_SECONDS=5 BENCH_ROUNDS=3 (defaults); needs redis-server on the PATH (Debian: apt-get install redis-server)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './free-port.mjs';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: the bench's own knob, not an input of a turbo task
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: the bench's own knob, not an input of a turbo task
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const webDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'web');
const requireFromWeb = createRequire(join(webDir, 'package.json'));
/** The web benches' server side (emulator, signed-in apps), shared with apps/web/bench. */
const signedInApps = pathToFileURL(join(webDir, 'bench', 'signed-in-apps.mjs')).href;

/** The child: the emulator and the two apps (memory, Redis); one JSON line with their URLs, then serves. */
async function serve(redisUrl) {
  const { serveUntilTerminated, startSignedInApps } = await import(signedInApps);
  const { RedisSessionStore } = await import(pathToFileURL(join(webDir, 'dist', 'node.js')).href);
  const redisStore = new RedisSessionStore({ url: redisUrl, keyPrefix: 'bench:' });
  await redisStore.connect();
  const { apps, emulator, close } = await startSignedInApps({ memory: undefined, redis: redisStore });
  serveUntilTerminated(apps, emulator, () => close().then(() => redisStore.close()));
}

/** A redis-server of the bench's own: 127.0.0.1, a free port, a temporary data dir, no saves. */
async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'aps-auth-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    if (output.includes('Ready to accept connections')) break;
  }
  child.stdout.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  if (!existsSync(join(webDir, 'dist', 'node.js'))) {
    console.error('apps/web/dist is missing: run `pnpm exec turbo run build --filter=@aps-auth/web` first.');
    process.exit(1);
  }
  const autocannon = requireFromWeb('autocannon');
  const { BENCH_HOST } = await import(signedInApps);
  const run = (url, cookie) =>
    new Promise((resolve, reject) => {
      autocannon(
        { url, connections: 50, duration: SECONDS, headers: { cookie, host: BENCH_HOST } },
        (e, r) => (e ? reject(e) : resolve(r)),
      );
    });
  const redis = await startRedis();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', redis.url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const servers = JSON.parse((await lines.next()).value);
  const ratios = [];
  try {
    for (let round = 1; round <= ROUNDS; round += 1) {
      const memory = await run(servers.memory.url, servers.memory.cookie);
      const redisRun = await run(servers.redis.url, servers.redis.cookie);
      for (const [name, r] of [
        ['memory', memory],
        ['redis', redisRun],
      ]) {
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${name}: ${r.non2xx} non-2xx and ${r.errors} errors`);
      }
      const ratio = redisRun.requests.average / memory.requests.average;
      ratios.push(ratio);
      console.log(
        `round ${round}: memory sessions ${Math.round(memory.requests.average)} req/s, Redis sessions ${Math.round(redisRun.requests.average)} req/s, ratio ${ratio.toFixed(2)}`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
  const { refreshes } = JSON.parse((await lines.next()).value);
  await once(child, 'exit');
  await redis.stop();
  console.log(
    `refreshes at the token endpoint during the run: ${refreshes} (one per app: the first Viewer token)`,
  );
  console.log(`Redis / memory: ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`);
}

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();
