// Start-up benchmark of the aps-auth CLI, in one run (ratios, not timed tests):
//   node -e 0                                  the floor: Node itself
//   aps-auth token                             a valid cached token (temporary APS_AUTH_HOME)
//   aps-auth login                             a whole sign-in against an emulator in another process
//                                              (auto-approve; APS_AUTH_BROWSER=fetch follows the redirect),
//                                              process start to token stored
// Each is run RUNS times (after WARMUP runs that also fill Node's compile cache), interleaved; the median is
// reported with the ratio to `node -e 0`. Targets: token <= 1.3x, login <= 4x.
//
//   pnpm --filter @aps-auth/emulator --filter @aps-auth/cli build
//   pnpm exec node bench/cli-startup.mjs [--runs 30]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/bin.js');
const emulatorNode = join(root, 'packages/emulator/dist/node.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const WARMUP = 3;

for (const file of [bin, emulatorNode]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: run pnpm --filter @aps-auth/emulator --filter @aps-auth/cli build`);
    process.exit(1);
  }
}

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

// The emulator in its own process (rate limits off: the benchmark signs in more than 100 times a minute).
const callbackUrl = `http://localhost:${await freePort()}/api/auth/callback`;
const emulatorScript = `
  const { startEmulator } = await import(${JSON.stringify(emulatorNode)});
  const emu = await startEmulator({ port: 0, autoApprove: true, rateLimits: false,
    clients: [{ clientId: 'bench', clientSecret: 'bench-secret', redirectUris: [${JSON.stringify(callbackUrl)}] }] });
  process.stdout.write(emu.url + '\\n');
  process.on('SIGTERM', () => emu.close().then(() => process.exit(0)));
`;
const emulator = spawn(process.execPath, ['--input-type=module', '-e', emulatorScript], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const baseUrl = await new Promise((resolve, reject) => {
  let out = '';
  emulator.stdout.on('data', (chunk) => {
    out += chunk;
    if (out.includes('\n')) resolve(out.trim());
  });
  emulator.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
});

const home = mkdtempSync(join(tmpdir(), 'aps-auth-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  APS_AUTH_HOME: home,
  APS_CLIENT_ID: 'bench',
  APS_CLIENT_SECRET: 'bench-secret',
  APS_BASE_URL: baseUrl,
  APS_CALLBACK_URL: callbackUrl,
  APS_AUTH_BROWSER: 'fetch',
};

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, cwd: home, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'aps-auth token (valid cached token)', args: [bin, 'token'] },
  { name: 'aps-auth login (emulator, auto-approve)', args: [bin, 'login', '--json'] },
];
const samples = new Map(cases.map((c) => [c.name, []]));

try {
  time([bin, 'login']); // a stored token for `token`
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const c of cases) {
      const { ms } = time(c.args);
      if (i >= WARMUP) samples.get(c.name).push(ms);
    }
  }
  // Every login stored a token: the last `token` printed the token the last login stored.
  const stored = JSON.parse(readFileSync(join(home, 'tokens', 'default.json'), 'utf8'));
  if (time([bin, 'token']).stdout.trim() !== stored.token.accessToken) throw new Error('token mismatch');
} finally {
  emulator.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const base = median(samples.get('node -e 0'));
console.log(`Node ${process.version}, ${RUNS} runs each (after ${WARMUP} warm-up runs), medians:`);
console.log('');
console.log('| command | median ms | min ms | ratio to node -e 0 | target |');
console.log('|---|---|---|---|---|');
const targets = { 'node -e 0': '', 'aps-auth token (valid cached token)': '<= 1.3x', 'aps-auth login (emulator, auto-approve)': '<= 4x' };
for (const c of cases) {
  const values = samples.get(c.name);
  const m = median(values);
  console.log(
    `| ${c.name} | ${m.toFixed(1)} | ${Math.min(...values).toFixed(1)} | ${(m / base).toFixed(2)}x | ${targets[c.name]} |`,
  );
}
