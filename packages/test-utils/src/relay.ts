import { join } from 'node:path';

/**
 * The real relay for tests: the aps-auth web app (apps/web), loaded from its sources at run time (core and the
 * CLI cannot depend on it as a package: it depends on core), served on 127.0.0.1 next to an emulator
 * (auto-approve) whose terminal client has the relay's `/relay` registered as a callback URL.
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

/** The emulator's `startEmulator` (from `@aps-auth/emulator/node`), passed in: test-utils depends on no package. */
export type StartEmulator<E extends { url: string; close(): Promise<void> }> = (options: {
  port: number;
  host: string;
  autoApprove: boolean;
  rateLimits: false;
  clients: { clientId: string; clientSecret?: string; redirectUris: string[] }[];
}) => Promise<E>;

export interface RunningRelay<E> {
  /** The web app's origin, `http://127.0.0.1:PORT`. */
  url: string;
  emu: E;
  close(): Promise<void>;
}

const WEB_CLIENT = 'relay-web-app';
const WEB_SECRET = 'relay-web-app-secret-0123456789';

export async function startRelay<E extends { url: string; close(): Promise<void> }>(
  startEmulator: StartEmulator<E>,
  terminalClientId: string,
  /** More options for `createWebApp` (e.g. `relayTtlSeconds`). */
  webOptions: Record<string, unknown> = {},
): Promise<RunningRelay<E>> {
  const web = (await import(join(WEB, 'index.ts'))) as WebModule;
  const server = (await import(join(WEB, 'node', 'server.ts'))) as ServerModule;
  let app: WebApp | undefined;
  const running = await server.startWebServer({
    fetch: (request) => (app as WebApp).fetch(request),
    port: 0,
    host: '127.0.0.1',
  });
  const emu = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: true,
    rateLimits: false,
    clients: [
      { clientId: WEB_CLIENT, clientSecret: WEB_SECRET, redirectUris: [`${running.url}/api/auth/callback`] },
      { clientId: terminalClientId, redirectUris: [`${running.url}/relay`] },
    ],
  }).catch(async (error: unknown) => {
    await running.close();
    throw error;
  });
  app = web.createWebApp({
    config: {
      clientId: WEB_CLIENT,
      clientSecret: WEB_SECRET,
      redirectUri: `${running.url}/api/auth/callback`,
      baseUrl: emu.url,
    },
    sessionSecret: 'a-session-secret-of-at-least-32-characters!',
    ...webOptions,
  });
  return {
    url: running.url,
    emu,
    close: async () => {
      await Promise.all([running.close(), emu.close()]);
    },
  };
}
