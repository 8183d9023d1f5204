// Refresh contention of the aps-auth CLI: N `aps-auth token` processes started at once on an expired stored
// token (after a real sign-in against the emulator, in this process); the emulator counts the refresh requests
// it received. Target: exactly 1 (the CLI refreshes a single-use refresh token once, whoever asks); every
// process must print the same new token. The same check as packages/cli/test/concurrency.e2e.test.ts, as a
// figure.
//
//   pnpm exec turbo run build --filter=@aps-auth/cli --filter=@aps-auth/emulator
//   pnpm exec node bench/refresh-contention.mjs [--processes 8] [--json]   (--json: one JSON object on stdout)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './free-port.mjs';
import { runNode } from './run-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/bin.js');
const emulatorNode = join(root, 'packages/emulator/dist/node.js');
const processesArg = process.argv.indexOf('--processes');
const PROCESSES = processesArg > 0 ? Number(process.argv[processesArg + 1]) : 8;

for (const file of [bin, emulatorNode]) {
  if (!existsSync(file)) {
    console.error(
      `missing ${file}: run pnpm exec turbo run build --filter=@aps-auth/cli --filter=@aps-auth/emulator`,
    );
    process.exit(1);
  }
}

function runCli(args, env) {
  return runNode([bin, ...args], { env, cwd: env.APS_AUTH_HOME });
}

const { startEmulator } = await import(pathToFileURL(emulatorNode).href);
const callbackUrl = `http://localhost:${await freePort()}/api/auth/callback`;
const emulator = await startEmulator({
  port: 0,
  autoApprove: true,
  rateLimits: false,
  clients: [{ clientId: 'bench', clientSecret: 'bench-secret', redirectUris: [callbackUrl] }],
});
const home = mkdtempSync(join(tmpdir(), 'aps-auth-bench-contention-'));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  APS_AUTH_HOME: home,
  APS_CLIENT_ID: 'bench',
  APS_CLIENT_SECRET: 'bench-secret',
  APS_BASE_URL: emulator.url,
  APS_CALLBACK_URL: callbackUrl,
  APS_AUTH_BROWSER: 'fetch',
};

let result;
try {
  const login = await runCli(['login'], env);
  if (login.code !== 0) throw new Error(`login exited ${login.code}: ${login.stderr}`);
  // The stored token made expired an hour after it was issued.
  const path = join(home, 'tokens', 'default.json');
  const file = JSON.parse(readFileSync(path, 'utf8'));
  const expiresAt = Date.now() - 1000;
  file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
  writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
  emulator.control.clearRequests();
  const runs = await Promise.all(Array.from({ length: PROCESSES }, () => runCli(['token'], env)));
  const failed = runs.filter((r) => r.code !== 0);
  if (failed.length > 0) throw new Error(`${failed.length} token processes failed: ${failed[0].stderr}`);
  const refreshes = emulator.control
    .requests()
    .filter((r) => r.endpoint === 'token' && r.grantType === 'refresh_token').length;
  const distinctTokens = new Set(runs.map((r) => r.stdout.trim())).size;
  result = { processes: PROCESSES, refreshes, distinctTokens, target: 1 };
} finally {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
}

if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(
    `${result.processes} concurrent aps-auth token on an expired token: ${result.refreshes} refresh request(s) at the emulator (target 1), ${result.distinctTokens} distinct token(s) printed`,
  );
}
if (result.refreshes !== 1 || result.distinctTokens !== 1) process.exitCode = 1;
