import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore, loadConfig, login, toCoreConfig } from '@aps-auth/core/node';
import type { LoginOptions } from './commands/login/parse.js';
import { followRedirects } from './fetch-browser.js';
import type { CommandResult, RunDeps } from './io.js';
import { createLoginEventHandler } from './login-events.js';
import { describeExpiry, writeJson } from './output.js';
import { createProgress } from './progress.js';
import { collectStatus, describeUser, renderStatus } from './status-report.js';

export const DEMO_CLIENT_ID = 'aps-auth-demo';
export const DEMO_BANNER =
  'local APS emulator — no APS credentials configured; set APS_CLIENT_ID to sign in to APS';
const LABEL = '[local emulator] ';

/** The emulator's own demo client (`aps-auth-emulator` with no --client) and where it listens by default. */
const EMULATOR_URL = 'http://127.0.0.1:9400';
const EMULATOR_CLIENT = 'APS_CLIENT_ID=aps-auth-demo APS_CLIENT_SECRET=aps-auth-demo-secret';

/**
 * What to type next, as it works where the demo was started: from a clone of the repository (`npm start`,
 * `npm run aps-auth`: npm and pnpm set `npm_package_name` for a root script) through the root scripts, where
 * `aps-auth` is not on PATH; elsewhere with the installed `aps-auth` and the emulator through npx.
 */
export function nextSteps(env: Readonly<Record<string, string | undefined>>): string[] {
  const clone = env.npm_package_name === 'aps-auth-monorepo';
  const cli = clone ? 'npm run -s aps-auth --' : 'aps-auth';
  return [
    'That was a real sign-in (code + PKCE over HTTP) against the local emulator; its token is gone now.',
    'To go on against an emulator that keeps running (token, status, refresh, exec):',
    `  ${clone ? 'npm run emulator' : 'npx @aps-auth/emulator'}    # in another terminal; leave it running`,
    `  export APS_BASE_URL=${EMULATOR_URL} ${EMULATOR_CLIENT}`,
    `  ${cli} login    # Allow on the emulator's page in your browser`,
    `  ${cli} token    # and status, refresh, exec -- CMD`,
    'To sign in to APS: create an app at https://aps.autodesk.com/myapps, register the callback URL',
    'http://localhost:8080/api/auth/callback, then (in a new terminal, without the lines above):',
    '  export APS_CLIENT_ID=<your client id>      # and APS_CLIENT_SECRET for a confidential app',
    `  ${cli} login`,
  ];
}

/** A free TCP port on the loopback interface (for the demo's callback URL). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The demo `aps-auth login` runs when no client id is configured: the emulator in this process (auto-approve,
 * a public demo client), a real sign-in against it over HTTP (the browser's part done by following the
 * redirect with fetch, so it works headless), the status, and how to sign in for real. Everything lives in a
 * temporary APS_AUTH_HOME that is removed at the end: the demo leaves nothing behind.
 */
export async function runDemo(options: LoginOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  io.stderr.write(`${LABEL}${DEMO_BANNER}\n`);
  const progress = createProgress(io, { spinner: options.spinner, label: LABEL });
  const home = await mkdtemp(join(tmpdir(), 'aps-auth-demo-'));
  let emulator: { url: string; close(): Promise<void> } | undefined;
  try {
    progress.step('Starting the emulator');
    const callbackUrl = `http://localhost:${await freePort()}/api/auth/callback`;
    const { startEmulator } = await import('@aps-auth/emulator/node');
    emulator = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      autoApprove: true,
      clients: [{ clientId: DEMO_CLIENT_ID, redirectUris: [callbackUrl], name: 'aps-auth demo' }],
    });
    progress.info(`Emulator at ${emulator.url}: demo client "${DEMO_CLIENT_ID}", test user, auto-approve`);
    const config = await loadConfig({
      env: {
        APS_AUTH_HOME: home,
        APS_CLIENT_ID: DEMO_CLIENT_ID,
        APS_BASE_URL: emulator.url,
        APS_CALLBACK_URL: callbackUrl,
        APS_SCOPES: options.scopes ?? 'data:read viewables:read user-profile:read',
      },
      cwd: home,
    });
    const store = new FileTokenStore({ home, clientId: config.clientId, baseUrl: config.baseUrl });
    try {
      await login({
        config: toCoreConfig(config, deps.now === undefined ? {} : { now: deps.now }),
        store,
        key: config.profile,
        openUrl: (url) => followRedirects(url),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        signal: deps.signal,
        onEvent: createLoginEventHandler(progress, 'fetch'),
      });
    } finally {
      progress.stop();
    }
    const status = await collectStatus(config, store, { now, userInfo: true, signal: deps.signal });
    const expiry =
      status.expiresAt === null ? '' : `; expires ${describeExpiry(Date.parse(status.expiresAt), now())}`;
    progress.done(`Signed in as ${describeUser(status.user)}${expiry}.`);
    if (options.format === 'json') writeJson(io, { ...status, demo: true });
    else io.stdout.write(renderStatus(status, options.format, now()));
    io.stderr.write(
      nextSteps(io.env)
        .map((line) => `${LABEL}${line}\n`)
        .join(''),
    );
    return 0;
  } finally {
    progress.stop();
    await emulator?.close();
    await rm(home, { recursive: true, force: true });
  }
}
