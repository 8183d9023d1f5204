import { readFile } from 'node:fs/promises';
import { createManualTimers, TestBrowser } from '@aps-auth/test-utils';
import { describe, expect, it, vi } from 'vitest';
import {
  isAbortedError,
  isAuthorizationResponseError,
  isLoginTimeoutError,
  MemoryTokenStore,
} from '../../src/index.js';
import { FileTokenStore, login } from '../../src/node/index.js';
import { recorder } from '../helpers.js';
import { tempDir } from './helpers.js';
import { browser, decide, setup } from './login-helpers.js';

describe('login()', () => {
  it('confidential app: the whole flow through the loopback, saved in a file store', async () => {
    const { server, config, callback, events, onEvent } = await setup();
    const home = await tempDir();
    const store = new FileTokenStore({ home, clientId: config.clientId, baseUrl: server.url });
    const seen: string[] = [];
    const { token } = await login({ config, store, key: 'work', openUrl: browser(seen), onEvent });

    expect(await store.load('work')).toEqual(token);
    const file = JSON.parse(await readFile(store.pathFor('work'), 'utf8'));
    expect(file).toMatchObject({ schemaVersion: 1, clientId: 'web-app-id', baseUrl: server.url, token });
    expect(token.refreshToken).toBeTypeOf('string');
    expect(token.scopes).toEqual(['data:read', 'viewables:read']);

    expect(events.map((e) => e.type)).toEqual([
      'listening',
      'authorize-url',
      'browser-opened',
      'waiting',
      'callback-received',
      'exchanging',
      'stored',
    ]);
    expect(events[0]).toEqual({ type: 'listening', redirectUri: callback });
    expect(events.at(-1)).toEqual({ type: 'stored', key: 'work' });

    // The opener got the one-time start link: no state, no PKCE challenge in any argv.
    expect(seen[0]).toMatch(new RegExp(`^${callback}/start\\?id=[A-Za-z0-9_-]{43}$`));
    expect(seen[0]).not.toMatch(/state|code_challenge/);
    const url = new URL(seen[1]!);
    expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/authentication/v2/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('web-app-id');
    expect(p.get('redirect_uri')).toBe(callback);
    expect(p.get('scope')).toBe('data:read viewables:read');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(events[1]).toEqual({ type: 'authorize-url', url: seen[0], startLink: true, timeoutMs: 300_000 });
    await vi.waitFor(() => expect(seen).toHaveLength(3));
    expect(seen[2]).toMatch(/^200 /);
    expect(seen[2]).toContain('You can close this tab');

    const tokenCalls = server.control.requests().filter((r) => r.endpoint === 'token');
    expect(tokenCalls).toMatchObject([{ grantType: 'authorization_code', clientAuth: 'basic', status: 200 }]);
  });

  it('public app: client_id in the body, no secret; scopes and prompt passed on', async () => {
    const { server, config } = await setup({ publicClient: true });
    const { fetch: recording, calls } = recorder();
    const seen: string[] = [];
    const store = new MemoryTokenStore();
    const { token } = await login({
      config: { ...config, fetch: recording },
      store,
      key: 'default',
      scopes: ['data:read'],
      openUrl: async (url) => {
        // prompt=login shows the consent page even with auto-approve: allow it like a person would.
        const visitor = new TestBrowser();
        const authorize = await visitor.locationOf(url);
        seen.push(authorize);
        await visitor.follow(await decide(visitor, authorize, 'allow'));
      },
      prompt: 'login',
    });
    expect(await store.load('default')).toEqual(token);
    expect(new URL(seen[0]!).searchParams.get('prompt')).toBe('login');
    expect(new URL(seen[0]!).searchParams.get('scope')).toBe('data:read');
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toMatchObject([
      { grantType: 'authorization_code', clientAuth: 'none', status: 200, clientId: 'desktop-app-id' },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toBeUndefined();
    const body = new URLSearchParams(calls[0]!.body);
    expect(body.get('client_id')).toBe('desktop-app-id');
    expect(body.get('code_verifier')).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(body.has('client_secret')).toBe(false);
  });

  it('timeout, the sign-in link never opened: says no browser reached the listener (not "not registered")', async () => {
    const { config, callback } = await setup();
    const timers = createManualTimers();
    const error = await login({
      config: { ...config, setTimer: timers.setTimer },
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async () => undefined,
      timeoutMs: 1500,
      // Time runs out once the login waits (the opener returned without opening anything).
      onEvent: (event) => {
        if (event.type === 'waiting') timers.expire(1500);
      },
    }).catch((e: unknown) => e);
    expect(isLoginTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'LOGIN_TIMEOUT',
      stage: 'link-not-opened',
      timeoutMs: 1500,
      redirectUri: callback,
    });
    const message = (error as Error).message;
    expect(message).toContain('No browser opened the sign-in link within 1.5 s');
    expect(message).toContain('--manual');
    expect(message).not.toContain('not registered');
  });

  it('timeout after the browser went to the sign-in: not finished, or not registered (both said; doctor named)', async () => {
    const { config, callback } = await setup({ register: false });
    const pages: string[] = [];
    const timers = createManualTimers();
    const error = await login({
      config: { ...config, setTimer: timers.setTimer },
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async (url) => {
        const visitor = new TestBrowser();
        const page = await visitor.follow(url);
        pages.push(`${page.status} ${page.body}`);
        // Time runs out once the browser has shown the emulator's page (it never calls back).
        timers.expire(300);
      },
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    // The emulator shows its 400 page for an unregistered callback URL and never calls back.
    expect(pages[0]).toMatch(/^400 /);
    expect(pages[0]).toContain('Invalid redirect_uri');
    expect(error).toMatchObject({ name: 'LoginTimeoutError', stage: 'no-callback', redirectUri: callback });
    const message = (error as Error).message;
    expect(message).toContain('The browser opened the sign-in page, but no sign-in came back');
    expect(message).toContain('the sign-in was not finished in the browser');
    expect(message).toContain(`the callback URL ${callback} is not registered`);
    expect(message).toContain('400 - Invalid redirect_uri');
    expect(message).toContain("'aps-auth doctor'");
  });

  it('abort: AbortedError, the listener is closed', async () => {
    const { config, port } = await setup();
    const controller = new AbortController();
    const error = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async () => undefined,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'waiting') controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(isAbortedError(error)).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/api/auth/callback`)).rejects.toThrow();
    const before = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(isAbortedError(before)).toBe(true);
  });

  it('a callback that arrives while the browser opener still runs ends the wait (the opener never returns)', async () => {
    const { config, events, onEvent } = await setup();
    const store = new MemoryTokenStore();
    const seen: string[] = [];
    const { token } = await login({
      config,
      store,
      key: 'default',
      onEvent,
      openUrl: async (url) => {
        await browser(seen)(url);
        await new Promise<never>(() => undefined);
      },
    });
    expect(await store.load('default')).toEqual(token);
    expect(events.map((e) => e.type)).toEqual([
      'listening',
      'authorize-url',
      'waiting',
      'callback-received',
      'exchanging',
      'stored',
    ]);
  });

  it('deny on the consent page: access_denied ends it with AuthorizationResponseError, nothing stored', async () => {
    const { server, config } = await setup({ autoApprove: false });
    const store = new MemoryTokenStore();
    const pages: string[] = [];
    const error = await login({
      config,
      store,
      key: 'default',
      // Launches the "browser" and returns, as a real opener does; the person then clicks Deny.
      openUrl: async (url) => {
        void (async () => {
          const visitor = new TestBrowser();
          const page = await visitor.follow(await decide(visitor, await visitor.locationOf(url), 'deny'));
          pages.push(`${page.status} ${page.body}`);
        })();
      },
    }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(pages).toHaveLength(1));
    expect(isAuthorizationResponseError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'access_denied' });
    expect(pages[0]).toMatch(/^400 /);
    expect(pages[0]).toContain('Sign-in failed');
    expect(pages[0]).toContain('access_denied');
    expect(await store.load('default')).toBeUndefined();
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(0);
  });

  it('a stale tab with a wrong state is refused (event) and the right callback still completes', async () => {
    const { config, callback, events, onEvent } = await setup();
    let stale = '';
    const { token } = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async (url) => {
        const answer = await fetch(`${callback}?code=old&state=stale-tab`);
        stale = `${answer.status} ${await answer.text()}`;
        await browser()(url);
      },
      timeoutMs: 10_000,
      onEvent,
    });
    expect(token.accessToken).toBeTypeOf('string');
    expect(stale).toMatch(/^400 /);
    expect(stale).toContain('Not the sign-in in progress');
    expect(stale).toContain('Still waiting');
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused).toEqual([
      {
        type: 'callback-refused',
        code: 'STATE_MISMATCH',
        message: expect.stringContaining('its state does not match this sign-in'),
      },
    ]);
  });

  it('a browser that cannot be opened is an event, not a failure (the URL was printed)', async () => {
    const { config, events, onEvent } = await setup();
    let authorizeUrl = '';
    const error = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async (url) => {
        authorizeUrl = url;
        throw new Error('no browser here');
      },
      timeoutMs: 30_000,
      onEvent: (e) => {
        onEvent(e);
        if (e.type === 'waiting') void browser()(authorizeUrl);
      },
    }).catch((e: unknown) => e);
    expect((error as { token?: unknown }).token).toBeDefined();
    expect(events).toContainEqual({ type: 'browser-failed', message: 'no browser here' });
  });

  it('the timeout also ends a login whose browser opener never returns; the read is told to stop', async () => {
    const { config } = await setup();
    const timers = createManualTimers();
    const hung = login({
      config: { ...config, setTimer: timers.setTimer },
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: () => new Promise<void>(() => undefined),
      timeoutMs: 30,
      onEvent: (event) => {
        if (event.type === 'authorize-url') void timers.started(30).then(() => timers.expire(30));
      },
    }).catch((e: unknown) => e);
    expect(isLoginTimeoutError(await hung)).toBe(true);
    let readSignal: AbortSignal | undefined;
    const manual = await login({
      config: { ...config, setTimer: timers.setTimer },
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: false,
      timeoutMs: 30,
      manual: {
        readLine: (signal) => {
          readSignal = signal;
          // The read is out (and will never answer): now time runs out.
          timers.expire(30);
          return new Promise<string>(() => undefined);
        },
      },
    }).catch((e: unknown) => e);
    expect(isLoginTimeoutError(manual)).toBe(true);
    expect(manual).toMatchObject({ stage: 'not-pasted' });
    expect((manual as Error).message).toContain('No redirected URL was pasted');
    expect(readSignal?.aborted).toBe(true);
  });

  it('a profile name the file store refuses fails before anything listens or opens', async () => {
    const { config } = await setup();
    const opened: string[] = [];
    const error = await login({
      config,
      store: new FileTokenStore({ home: await tempDir() }),
      key: '../escape',
      openUrl: async (url) => {
        opened.push(url);
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigurationError', field: 'profile' });
    expect(opened).toEqual([]);
  });

  it('a hostile request is refused for its state first, in fixed words (nothing of the page reaches events)', async () => {
    const { config, callback, events, onEvent } = await setup();
    let hostile = '';
    await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async (url) => {
        const answer = await fetch(
          `${callback}?%1B%5B2J%07Run%3A+curl=1&%1B%5B2J%07Run%3A+curl=2&state=x&code=x`,
        );
        hostile = `${answer.status} ${await answer.text()}`;
        await browser()(url);
      },
      onEvent,
    });
    expect(hostile).toMatch(/^400 /);
    expect(hostile).not.toContain('curl');
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused).toEqual([
      {
        type: 'callback-refused',
        code: 'STATE_MISMATCH',
        message:
          'A request to the callback URL was refused: its state does not match this sign-in (an old browser tab, or a request this sign-in did not start). Still waiting.',
      },
    ]);
  });

  it('without a callback URL: ConfigurationError before anything starts', async () => {
    const { config } = await setup();
    await expect(
      login({ config: { ...config, redirectUri: undefined }, store: new MemoryTokenStore(), key: 'default' }),
    ).rejects.toMatchObject({ name: 'ConfigurationError', field: 'redirectUri' });
  });
});
