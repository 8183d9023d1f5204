// Start-up benchmark of the aps-auth CLI, in one run (ratios measured together, not timed tests):
//   node -e 0        the floor: Node itself, same binary
//   aps-auth token   with a valid cached token (temporary APS_AUTH_HOME): process start to exit
//   aps-auth login   a whole sign-in against an emulator running in another process (auto-approve;
//                    APS_AUTH_BROWSER=fetch follows the authorize redirect instead of a browser):
//                    process start to token stored (the "Token stored" line on stderr, printed once the
//                    token file is durably saved), and process start to exit
// Each runs RUNS times after WARMUP runs (which also fill Node's compile cache), interleaved; medians and
// their ratio to `node -e 0` are printed. Targets: token <= 1.3x, login to token stored <= 4x.
//
//   pnpm --filter @aps-auth/emulator --filter @aps-auth/cli build
//   pnpm exec node bench/cli-startup.mjs [--runs 30]
import { spawn } from 'node:child_process';
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

// One process, spawned without a shell; `marker` is a stderr line whose arrival is timed as well.
function time(args, marker) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(process.execPath, args, { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let markedAt;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      if (marker !== undefined && markedAt === undefined && stderr.includes(`${marker}\n`))
        markedAt = elapsed();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = elapsed();
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms, markedAt, stdout });
    });
  });
}

const NODE = 'node -e 0';
const TOKEN = 'aps-auth token (valid cached token)';
const STORED = 'aps-auth login: process start to token stored';
const EXIT = 'aps-auth login: process start to exit (after userinfo, profile, status)';
const samples = new Map([NODE, TOKEN, STORED, EXIT].map((name) => [name, []]));

try {
  await time([bin, 'login']); // a stored token for `token`
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const node = await time(['-e', '0']);
    const token = await time([bin, 'token']);
    const login = await time([bin, 'login'], 'Token stored');
    if (login.markedAt === undefined) throw new Error('login printed no "Token stored" line');
    if (i < WARMUP) continue;
    samples.get(NODE).push(node.ms);
    samples.get(TOKEN).push(token.ms);
    samples.get(STORED).push(login.markedAt);
    samples.get(EXIT).push(login.ms);
  }
  // Every login stored a token: `token` prints the one the last login stored.
  const stored = JSON.parse(readFileSync(join(home, 'tokens', 'default.json'), 'utf8'));
  if ((await time([bin, 'token'])).stdout.trim() !== stored.token.accessToken)
    throw new Error('token mismatch');
} finally {
  emulator.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const base = median(samples.get(NODE));
const targets = { [TOKEN]: '<= 1.3x', [STORED]: '<= 4x' };
console.log(`Node ${process.version}, ${RUNS} runs each (after ${WARMUP} warm-up runs), interleaved:`);
console.log('');
console.log('| command | median ms | min ms | ratio to node -e 0 (medians) | target |');
console.log('|---|---|---|---|---|');
for (const [name, values] of samples) {
  const m = median(values);
  console.log(
    `| ${name} | ${m.toFixed(1)} | ${Math.min(...values).toFixed(1)} | ${(m / base).toFixed(2)}x | ${targets[name] ?? ''} |`,
  );
}
