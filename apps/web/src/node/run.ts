import { createWebApp } from '../app/create-web-app.js';
import type { WebLogEvent } from '../app/options.js';
import {
  DEMO_BANNER,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  type DemoEmulator,
  startDemoEmulator,
} from './demo.js';
import { loadWebEnv } from './env-config.js';
import { RedisSessionStore } from './redis-session-store.js';
import { type RunningWebServer, startWebServer } from './server.js';

export interface RunOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Operator lines (stderr in the bin). */
  write: (line: string) => void;
}

export interface Running {
  url: string;
  close(): Promise<void>;
}

function formatEvent(event: WebLogEvent): string {
  return `aps-auth-web: ${event.level}: ${event.event}: ${event.message}`;
}

/** The Redis URL without its password, for the operator's log. */
function redactRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.href;
}

/** Reads the configuration, starts the emulator when there are no credentials, and serves the app. */
export async function runWebServer(options: RunOptions): Promise<Running> {
  const settings = loadWebEnv(options.env, options.cwd);
  for (const notice of settings.notices) options.write(`aps-auth-web: ${notice}`);
  let emulator: DemoEmulator | undefined;
  let server: RunningWebServer | undefined;
  const log = (event: WebLogEvent) => options.write(formatEvent(event));
  const store =
    settings.redisUrl === undefined ? undefined : new RedisSessionStore({ url: settings.redisUrl, log });
  try {
    if (store !== undefined) {
      // Not awaited: with Redis down at start the app serves 503s (logged once) until it is reachable.
      void store.connect();
      options.write(`aps-auth-web: sessions in Redis (${redactRedisUrl(settings.redisUrl!)})`);
    }
    if (settings.clientId === undefined) {
      emulator = await startDemoEmulator(settings.callbackUrl);
      options.write(`aps-auth-web: [local emulator] ${DEMO_BANNER}`);
      options.write(`aps-auth-web: [local emulator] at ${emulator.url}, client "${DEMO_CLIENT_ID}"`);
    }
    const app = createWebApp({
      config: {
        clientId: settings.clientId ?? DEMO_CLIENT_ID,
        clientSecret: emulator === undefined ? settings.clientSecret : DEMO_CLIENT_SECRET,
        redirectUri: settings.callbackUrl,
        scopes: settings.scopes,
        baseUrl: emulator?.url ?? settings.baseUrl,
      },
      sessionSecret: settings.sessionSecret,
      banner: emulator === undefined ? undefined : DEMO_BANNER,
      store,
      log,
    });
    server = await startWebServer({ fetch: app.fetch, port: settings.port, host: settings.host });
  } catch (error) {
    await emulator?.close();
    await store?.close();
    throw error;
  }
  options.write(`aps-auth-web: listening on ${server.url} (callback URL ${settings.callbackUrl})`);
  // Cookies belong to a host name: the sign-in must start on the callback URL's host, not on another spelling.
  options.write(`aps-auth-web: open ${new URL(settings.callbackUrl).origin}/ to sign in`);
  const running = server;
  return {
    url: running.url,
    async close() {
      await running.close();
      await emulator?.close();
      await store?.close();
    },
  };
}
