import type { RunningEmulator } from '@aps-auth/emulator/node';
import { createWebApp, type WebLogEvent } from '../src/index.js';
import { RedisSessionStore, type RunningWebServer, startWebServer } from '../src/node/index.js';
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, SCOPES, SECRET, TestClock } from './helpers.js';

/** One web app instance on its own port with its own Redis client, as behind a load balancer. */
export interface Instance {
  url: string;
  store: RedisSessionStore;
  events: WebLogEvent[];
  server: RunningWebServer;
}

export interface Instances {
  all: Instance[];
  clock: TestClock;
  close(): Promise<void>;
}

/** `count` instances of the app sharing one Redis and one emulator (and one test clock), on 127.0.0.1. */
export async function startInstances(
  emu: RunningEmulator,
  redisUrl: string,
  count: number,
  keyPrefix: string,
): Promise<Instances> {
  const clock = new TestClock();
  const all: Instance[] = [];
  for (let i = 0; i < count; i += 1) {
    const events: WebLogEvent[] = [];
    const log = (event: WebLogEvent) => events.push(event);
    const store = new RedisSessionStore({ url: redisUrl, keyPrefix, log });
    await store.connect();
    const app = createWebApp({
      config: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: CALLBACK,
        scopes: SCOPES,
        baseUrl: emu.url,
        now: clock.now,
      },
      sessionSecret: SECRET,
      store,
      log,
    });
    const server = await startWebServer({ fetch: app.fetch, port: 0, host: '127.0.0.1' });
    all.push({ url: server.url, store, events, server });
  }
  return {
    all,
    clock,
    async close() {
      await Promise.all(all.map((i) => i.server.close()));
      await Promise.all(all.map((i) => i.store.close()));
    },
  };
}

function cookieOf(res: Response, name: string): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (line === undefined) throw new Error(`no ${name} cookie (status ${res.status})`);
  return line.split(';')[0]!;
}

/**
 * A whole sign-in over HTTP: started on `start`, completed (the callback) on `finish`, another instance.
 * Answers the session cookie (`name=value`).
 */
export async function signInAcross(start: Instance, finish: Instance): Promise<string> {
  const login = await fetch(`${start.url}/api/auth/login`, { redirect: 'manual' });
  if (login.status !== 302) throw new Error(`login answered ${login.status}`);
  const signin = cookieOf(login, 'aps-auth-signin');
  const consent = await fetch(login.headers.get('location')!, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  const callback = await fetch(`${finish.url}${back.pathname}${back.search}`, {
    headers: { cookie: signin },
    redirect: 'manual',
  });
  if (callback.status !== 303) throw new Error(`callback answered ${callback.status}`);
  return cookieOf(callback, 'aps-auth-session');
}
