import type { RequestLogEntry } from '@aps-auth/emulator';
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from '@aps-auth/emulator/node';
import type { Hono } from 'hono';
import { afterEach } from 'vitest';
import { createWebApp, MemorySessionStore, type WebAppOptions, type WebLogEvent } from '../src/index.js';

export const ORIGIN = 'http://localhost:8080';
export const CALLBACK = `${ORIGIN}/api/auth/callback`;
export const CLIENT_ID = 'web-app';
export const CLIENT_SECRET = 'web-app-secret';
export const SECRET = 'a-session-secret-of-at-least-32-characters!';
export const SCOPES = 'data:read viewables:read user-profile:read';

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** The emulator on 127.0.0.1 (free port) with the web app's client; auto-approve unless told otherwise. */
export async function startEmu(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({
    port: 0,
    autoApprove: true,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [CALLBACK, 'https://auth.example.com/api/auth/callback'],
        postLogoutRedirectUris: [`${ORIGIN}/`],
        name: 'Web Test App',
      },
    ],
    ...options,
  });
  running.push(emu);
  return emu;
}

/** A clock the tests move: the app's, its session store's. */
export class TestClock {
  offsetMs = 0;
  /** Frozen: time moves only by `advance` (for fixed windows such as the relay's rate limit). */
  readonly #frozenAt: number | undefined;
  constructor(options: { frozen?: boolean } = {}) {
    this.#frozenAt = options.frozen ? Date.now() : undefined;
  }
  readonly now = (): number => (this.#frozenAt ?? Date.now()) + this.offsetMs;
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface TestApp {
  app: Hono;
  emu: RunningEmulator;
  clock: TestClock;
  events: WebLogEvent[];
}

export async function makeApp(
  overrides: Partial<WebAppOptions> & { emu?: RunningEmulator; callback?: string; clock?: TestClock } = {},
): Promise<TestApp> {
  const { emu: givenEmu, callback, clock: givenClock, ...rest } = overrides;
  const emu = givenEmu ?? (await startEmu());
  const clock = givenClock ?? new TestClock();
  const events: WebLogEvent[] = [];
  const app = createWebApp({
    config: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: callback ?? CALLBACK,
      scopes: SCOPES,
      baseUrl: emu.url,
      now: clock.now,
    },
    sessionSecret: SECRET,
    store: new MemorySessionStore({ now: clock.now }),
    log: (event) => events.push(event),
    ...rest,
  });
  return { app, emu, clock, events };
}

/** A browser over `app.request()`: keeps cookies (as set by the app) and sends them back. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly app: Hono,
    readonly origin = ORIGIN,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const res = await this.app.request(new URL(path, this.origin).href, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** Starts a sign-in; answers the authorize URL the app redirected to. */
export async function startSignIn(browser: Browser, query = ''): Promise<URL> {
  const res = await browser.request(`/api/auth/login${query}`);
  if (res.status !== 302) throw new Error(`login answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}

/** Plays the browser at the emulator (auto-approve): the callback URL it sends the browser back to. */
export async function authorize(authorizeUrl: URL): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}

/** Denies consent at the emulator's consent page (auto-approve off): the callback URL with the error. */
export async function deny(emu: RunningEmulator, authorizeUrl: URL): Promise<URL> {
  const page = await (await fetch(authorizeUrl)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1];
  if (request === undefined) throw new Error('no consent form');
  const res = await fetch(`${emu.url}/authentication/v2/authorize/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, decision: 'deny' }),
    redirect: 'manual',
  });
  return new URL(res.headers.get('location')!);
}

/** A whole sign-in; answers the callback's response (303 to the return path). */
export async function signIn(browser: Browser, query = ''): Promise<Response> {
  const back = await authorize(await startSignIn(browser, query));
  return browser.request(`${back.pathname}${back.search}`);
}

/** The emulator's token-endpoint requests of one grant type. */
export function tokenCalls(emu: RunningEmulator, grantType: string): RequestLogEntry[] {
  return emu.control.requests().filter((r) => r.endpoint === 'token' && r.grantType === grantType);
}

/** The claims of a JWT (no verification: the emulator made it). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
