import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCallbackServerError } from '@aps-auth/core';
import { FileTokenStore, loadConfig, login, startLoopbackServer, toCoreConfig } from '@aps-auth/core/node';
import { DEMO_CLIENT_ID, freeLoopbackPort, startDemoEmulator } from '@aps-auth/emulator/node';
import type { LoginOptions } from './commands/login/parse.js';
import { followRedirects } from './fetch-browser.js';
import type { CommandResult, RunDeps } from './io.js';
import { createLoginEventHandler } from './login-events.js';
import { describeExpiry, writeJson } from './output.js';
import { createProgress } from './progress.js';
import { collectStatus, describeUser, renderStatus } from './status-report.js';

export const DEMO_BANNER =
  'local APS emulator — no APS credentials configured; set APS_CLIENT_ID to sign in to APS';
const LABEL = '[local emulator] ';

/**
 * The emulator's own demo client (`aps-auth-emulator` with no --client: `DEMO_CLIENT_ID` and this secret), the port the emulator listens on by
 * default and the callback port of the CLI's default callback URL (the one the demo client has registered).
 */
const EMULATOR_CLIENT_SECRET = 'aps-auth-demo-secret';
const EMULATOR_PORT = 9400;
const CALLBACK_PORT = 8080;

/** The ports the printed next steps use: the defaults, or free ones where a default is in use here. */
export interface NextStepPorts {
  emulator: number;
  callback: number;
}

export const DEFAULT_NEXT_STEP_PORTS: NextStepPorts = { emulator: EMULATOR_PORT, callback: CALLBACK_PORT };

/**
 * What to type next, as it works where the demo was started: from a clone of the repository (`npm start`,
 * `npm run aps-auth`: npm and pnpm set `npm_package_name` for a root script) through the root scripts, where
 * `aps-auth` is not on PATH; elsewhere with the installed `aps-auth` and the emulator through npx. Where a
 * default port is in use on this machine (`ports`), the lines name a free one instead, so that they work as
 * printed: the emulator's `--port`, and for the callback a `--client` registering it and `APS_CALLBACK_URL`.
 */
export function nextSteps(
  env: Readonly<Record<string, string | undefined>>,
  ports: NextStepPorts = DEFAULT_NEXT_STEP_PORTS,
): string[] {
  const clone = env.npm_package_name === 'aps-auth-monorepo';
  const cli = clone ? 'npm run -s aps-auth --' : 'aps-auth';
  const callbackUrl = `http://localhost:${ports.callback}/api/auth/callback`;
  const flags = [
    ...(ports.emulator === EMULATOR_PORT ? [] : [`--port ${ports.emulator}`]),
    ...(ports.callback === CALLBACK_PORT
      ? []
      : [`--client ${DEMO_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}=${callbackUrl}`]),
  ].join(' ');
  const emulator = clone
    ? `npm run emulator${flags ? ` -- ${flags}` : ''}`
    : `npx @aps-auth/emulator${flags ? ` ${flags}` : ''}`;
  const busy = [
    ...(ports.emulator === EMULATOR_PORT ? [] : [EMULATOR_PORT]),
    ...(ports.callback === CALLBACK_PORT ? [] : [CALLBACK_PORT]),
  ];
  const exported = [
    `APS_BASE_URL=http://127.0.0.1:${ports.emulator}`,
    `APS_CLIENT_ID=${DEMO_CLIENT_ID}`,
    `APS_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}`,
    ...(ports.callback === CALLBACK_PORT ? [] : [`APS_CALLBACK_URL=${callbackUrl}`]),
  ].join(' ');
  return [
    'That was a real sign-in (code + PKCE over HTTP) against the local emulator; its token is gone now.',
    'To go on against an emulator that keeps running (token, status, refresh, exec):',
    ...(busy.length === 0
      ? []
      : [
          `(port ${busy.join(' and ')} ${busy.length === 1 ? 'is' : 'are'} in use here: the lines below use free ones)`,
        ]),
    `  ${emulator}    # in another terminal; leave it running`,
    `  export ${exported}`,
    `  ${cli} login    # Allow on the emulator's page in your browser`,
    `  ${cli} token    # and status, refresh, exec -- CMD`,
    'To sign in to APS: create an app at https://aps.autodesk.com/myapps, register the callback URL',
    'http://localhost:8080/api/auth/callback, then (in a new terminal, without the lines above):',
    '  export APS_CLIENT_ID=<your client id>      # and APS_CLIENT_SECRET for a confidential app',
    `  ${cli} login`,
  ];
}

/**
 * The ports for the next steps: each default where it can be bound now (the emulator's on 127.0.0.1, the
 * callback's by the login listener's own rules), else a free one. Checked, then released: a port taken between
 * this check and the user's command is still possible, but a port already in use is never printed.
 */
export async function chooseNextStepPorts(): Promise<NextStepPorts> {
  const emulatorFree = await canListen(EMULATOR_PORT);
  const callbackFree = await canListenForCallback(`http://localhost:${CALLBACK_PORT}/api/auth/callback`);
  return {
    emulator: emulatorFree ? EMULATOR_PORT : await freeLoopbackPort(),
    callback: callbackFree ? CALLBACK_PORT : await freeLoopbackPort(),
  };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function canListenForCallback(redirectUri: string): Promise<boolean> {
  try {
    const listener = await startLoopbackServer({
      redirectUri,
      onCallback: () => ({ kind: 'refused', status: 400, page: { ok: false, title: '', message: '' } }),
    });
    await listener.close();
    return true;
  } catch (error) {
    if (isCallbackServerError(error)) return false;
    throw error;
  }
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
    const demo = await startDemoEmulator();
    emulator = demo.emulator;
    const { callbackUrl } = demo;
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
    const ports = await chooseNextStepPorts();
    io.stderr.write(
      nextSteps(io.env, ports)
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
