import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@aps-auth/emulator/node';
import { afterEach } from 'vitest';

/**
 * The real relay: the aps-auth web app (apps/web) served on 127.0.0.1, next to the emulator. Loaded from the
 * web app's sources at run time (the web app depends on core, so core cannot depend on it as a package).
 */
const WEB = join(import.meta.dirname, '..', '..', '..', 'apps', 'web', 'src');

interface WebApp {
  fetch(request: Request): Response | Promise<Response>;
}
interface WebModule {
  createWebApp(options: Record<string, unknown>): WebApp;
}
interface ServerModule {
  startWebServer(options: {
    fetch: (request: Request) => Response | Promise<Response>;
    port: number;
    host: string;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

export const TERMINAL_CLIENT = 'terminal-app-id';
const WEB_CLIENT = 'relay-web-app';
const WEB_SECRET = 'relay-web-app-secret-0123456789';

export interface RunningRelay {
  /** The web app's origin, `http://127.0.0.1:PORT`. */
  url: string;
  emu: RunningEmulator;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * The web app on a free port with the emulator (auto-approve) whose terminal client has the relay's `/relay`
 * registered as a callback URL.
 */
export async function startRelay(): Promise<RunningRelay> {
  const web = (await import(join(WEB, 'index.ts'))) as WebModule;
  const server = (await import(join(WEB, 'node', 'server.ts'))) as ServerModule;
  let app: WebApp | undefined;
  const running = await server.startWebServer({
    fetch: (request) => (app as WebApp).fetch(request),
    port: 0,
    host: '127.0.0.1',
  });
  closers.push(() => running.close());
  const emu = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: true,
    rateLimits: false,
    clients: [
      { clientId: WEB_CLIENT, clientSecret: WEB_SECRET, redirectUris: [`${running.url}/api/auth/callback`] },
      { clientId: TERMINAL_CLIENT, redirectUris: [`${running.url}/relay`] },
    ],
  });
  closers.push(() => emu.close());
  app = web.createWebApp({
    config: {
      clientId: WEB_CLIENT,
      clientSecret: WEB_SECRET,
      redirectUri: `${running.url}/api/auth/callback`,
      baseUrl: emu.url,
    },
    sessionSecret: 'a-session-secret-of-at-least-32-characters!',
  });
  return { url: running.url, emu };
}

/** The terminal's configuration (a public client; its callback URL is the relay's). */
export function terminalConfig(relay: RunningRelay) {
  return {
    clientId: TERMINAL_CLIENT,
    baseUrl: relay.emu.url,
    scopes: ['data:read'],
  };
}
