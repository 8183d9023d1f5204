// Start-up benchmark of the aps-auth CLI, in one run (ratios measured together, not timed tests):
//   node -e 0        the baseline: Node itself, same binary
//   aps-auth token   with a valid cached token (temporary APS_AUTH_HOME): process start to exit, run in a
//                    directory without a .env and in one with a .env (which the CLI then reads and parses)
//   aps-auth login   a whole sign-in against an emulator running in another process (auto-approve), timed
//                    twice: (a) `login --no-open` with this benchmark as the browser, in its own process as a
//                    real browser is (it reads the printed authorize URL and follows the redirect to the
//                    CLI's loopback listener): the target row; (b) `APS_AUTH_BROWSER=fetch`, where the CLI
//                    plays the browser itself, in its own process (more work in the timed process);
//                    each from process start to token stored (the "Token stored" line on stderr, printed
//                    once the token file is durably saved); (b) also to exit (after userinfo and status)
//   floor            the same sign-in steps with no aps-auth code, the browser played in-process as in (b)
//                    (a bare script: node:http listening on the
//                    callback's loopback addresses, WebCrypto PKCE, the redirect followed with fetch, the code
//                    exchanged with fetch, the token written under a mkdir lock with fsync of file and
//                    directory): what Node itself costs for this sign-in, for comparison
// Each runs RUNS times after WARMUP runs (which also fill Node's compile cache), interleaved; medians and
// their ratio to `node -e 0` are printed. Targets: token <= 1.2x (with and without a .env), login to token
// stored <= 4x.
//
//   npm run bench:cli         (builds the CLI and the emulator, then runs this file on the workspace's Node 24)
//   pnpm exec node bench/cli-startup.mjs [--runs 30] [--json]   (--json: one JSON object on stdout, for npm run bench)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

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

// A project directory with a .env, as `aps-auth token` meets it in a repository: the CLI reads and parses it.
const withDotenv = join(home, 'project');
mkdirSync(withDotenv);
writeFileSync(
  join(withDotenv, '.env'),
  `# a project's settings\nDATABASE_URL=postgres://localhost/app\nAPS_CALLBACK_URL=${callbackUrl}\n`,
);

// One process, spawned without a shell; `marker` is a stderr line whose arrival is timed as well.
function time(args, marker, cwd = home) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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

// A login with `--no-open`, the browser being this benchmark: like a real browser, another process reads the
// printed sign-in link (the listener's start link), follows it to the authorize URL and the emulator's
// auto-approve redirect back to the CLI's loopback listener, with the start link's cookie.
function timeLoginWithExternalBrowser() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const browserEnv = { ...env };
    delete browserEnv.APS_AUTH_BROWSER;
    const child = spawn(process.execPath, [bin, 'login', '--no-open'], {
      env: browserEnv,
      cwd: home,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let markedAt;
    let browsing;
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      const url = /^\s+(http\S+\/start\?id=\S+)$/m.exec(stderr)?.[1];
      if (url !== undefined && browsing === undefined) {
        browsing = (async () => {
          const start = await fetch(url, { redirect: 'manual' });
          await start.body?.cancel();
          const cookie = start.headers
            .getSetCookie()
            .map((line) => line.split(';', 1)[0])
            .join('; ');
          const answer = await fetch(start.headers.get('location'), { redirect: 'manual' });
          await answer.body?.cancel();
          const page = await fetch(answer.headers.get('location'), { headers: { cookie } });
          await page.text();
        })();
      }
      if (markedAt === undefined && stderr.includes('Token stored\n')) markedAt = elapsed();
    });
    child.once('error', reject);
    child.once('close', async (code) => {
      const ms = elapsed();
      await browsing;
      if (code !== 0) reject(new Error(`login --no-open exited ${code}: ${stderr}`));
      else resolve({ ms, markedAt });
    });
  });
}

// The floor (see the header); it prints "Token stored" like the CLI, before it removes its lock.
const floorScript = `
  const http = process.getBuiltinModule('node:http');
  const fs = process.getBuiltinModule('node:fs/promises');
  const { APS_BASE_URL: base, APS_CALLBACK_URL: callback, APS_AUTH_HOME: home } = process.env;
  const port = Number(new URL(callback).port);
  let received;
  const code = new Promise((resolve) => { received = resolve; });
  const servers = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = http.createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', connection: 'close' });
      response.end('<p>Signed in</p>');
      received(new URL(request.url, callback).searchParams.get('code'));
    });
    await new Promise((resolve) => server.listen(port, host, resolve));
    servers.push(server);
  }
  const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const authorize = new URL('/authentication/v2/authorize', base);
  authorize.search = new URLSearchParams({ response_type: 'code', client_id: 'bench', redirect_uri: callback,
    scope: 'data:read', state: b64(crypto.getRandomValues(new Uint8Array(32))),
    code_challenge: b64(new Uint8Array(digest)), code_challenge_method: 'S256' }).toString();
  void (async () => {
    let url = authorize.href;
    for (let hop = 0; hop < 2; hop++) {
      const answer = await fetch(url, { redirect: 'manual' });
      await answer.body?.cancel();
      url = new URL(answer.headers.get('location'), url).href;
    }
  })();
  const answer = await fetch(new URL('/authentication/v2/token', base), { method: 'POST', redirect: 'manual',
    headers: { accept: 'application/json', authorization: 'Basic ' + btoa('bench:bench-secret') },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: await code, code_verifier: verifier,
      redirect_uri: callback }) });
  const text = await answer.text();
  const dir = home + '/floor';
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.mkdir(dir + '/token.json.lock');
  const temporary = dir + '/.token.json.' + process.pid + '.tmp';
  const file = await fs.open(temporary, 'wx', 0o600);
  await file.writeFile(text);
  await file.sync();
  await file.close();
  await fs.rename(temporary, dir + '/token.json');
  const directory = await fs.open(dir, 'r');
  await directory.sync();
  await directory.close();
  process.stderr.write('Token stored\\n');
  await fs.rmdir(dir + '/token.json.lock');
  for (const server of servers) server.close();
`;

const NODE = 'node -e 0';
const TOKEN = 'aps-auth token (valid cached token)';
const TOKEN_DOTENV = 'aps-auth token (valid cached token), a .env in the working directory';
const STORED = 'aps-auth login --no-open, the browser another process: start to token stored';
const STORED_FETCH =
  'aps-auth login, the browser played in-process (APS_AUTH_BROWSER=fetch): start to token stored';
const EXIT = 'aps-auth login: process start to exit (after userinfo, profile, status)';
const FLOOR = 'floor: the same sign-in in a bare script (no aps-auth), process start to token stored';
const samples = new Map(
  [NODE, TOKEN, TOKEN_DOTENV, STORED, STORED_FETCH, EXIT, FLOOR].map((name) => [name, []]),
);

try {
  await time([bin, 'login']); // a stored token for `token`
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const node = await time(['-e', '0']);
    const token = await time([bin, 'token']);
    const tokenDotenv = await time([bin, 'token'], undefined, withDotenv);
    const external = await timeLoginWithExternalBrowser();
    const login = await time([bin, 'login'], 'Token stored');
    const floor = await time(['--input-type=module', '-e', floorScript], 'Token stored');
    if (login.markedAt === undefined || external.markedAt === undefined)
      throw new Error('login printed no "Token stored" line');
    if (floor.markedAt === undefined) throw new Error('the floor printed no "Token stored" line');
    if (i < WARMUP) continue;
    samples.get(NODE).push(node.ms);
    samples.get(TOKEN).push(token.ms);
    samples.get(TOKEN_DOTENV).push(tokenDotenv.ms);
    samples.get(STORED).push(external.markedAt);
    samples.get(STORED_FETCH).push(login.markedAt);
    samples.get(EXIT).push(login.ms);
    samples.get(FLOOR).push(floor.markedAt);
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
const targets = { [TOKEN]: '<= 1.2x', [TOKEN_DOTENV]: '<= 1.2x', [STORED]: '<= 4x' };
if (process.argv.includes('--json')) {
  const rows = [...samples].map(([name, values]) => ({
    name,
    medianMs: median(values),
    minMs: Math.min(...values),
    ratio: median(values) / base,
    target: targets[name] ?? null,
  }));
  console.log(JSON.stringify({ node: process.version, runs: RUNS, baselineMs: base, rows }));
  process.exit(0);
}
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
