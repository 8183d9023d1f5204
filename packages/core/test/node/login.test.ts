import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { StartEmulatorOptions } from '@aps-auth/emulator/node';
import { describe, expect, it, vi } from 'vitest';
import {
  type ApsAuthConfig,
  isAbortedError,
  isAuthorizationResponseError,
  isLoginTimeoutError,
  isTokenStoreError,
  isUnexpectedResponseError,
  MemoryTokenStore,
  type Token,
  type TokenStore,
  TokenStoreError,
} from '../../src/index.js';
import { FileTokenStore, type LoginEvent, login } from '../../src/node/index.js';
import { recorder, SECRET, start } from '../helpers.js';
import { freePort, TestBrowser, tempDir } from './helpers.js';

/** An emulator whose clients are registered for a loopback callback URL on a free port. */
async function setup(options: StartEmulatorOptions & { publicClient?: boolean; register?: boolean } = {}) {
  const port = await freePort();
  const callback = `http://localhost:${port}/api/auth/callback`;
  const redirectUris = options.register === false ? ['http://localhost:1/elsewhere'] : [callback];
  const server = await start({
    clients: [
      { clientId: 'web-app-id', clientSecret: SECRET, redirectUris },
      { clientId: 'desktop-app-id', redirectUris },
    ],
    ...options,
  });
  const config: ApsAuthConfig = {
    clientId: options.publicClient ? 'desktop-app-id' : 'web-app-id',
    clientSecret: options.publicClient ? undefined : SECRET,
    redirectUri: callback,
    scopes: ['data:read', 'viewables:read'],
    baseUrl: server.url,
  };
  const events: LoginEvent[] = [];
  return { server, config, callback, port, events, onEvent: (e: LoginEvent) => events.push(e) };
}

/**
 * Does the browser's job with fetch: opens the sign-in link (the loopback start link), follows it to the
 * authorize URL and on to the loopback with the link's cookie. Like a real opener, it returns once the browser
 * is launched, not once the page is shown: `seen` fills in as the visit goes on (link, authorize URL, page).
 */
function browser(seen: string[] = []) {
  const visit = async (url: string): Promise<void> => {
    const visitor = new TestBrowser();
    seen.push(url);
    const authorize = await visitor.locationOf(url);
    seen.push(authorize);
    const page = await visitor.follow(await visitor.locationOf(authorize));
    seen.push(`${page.status} ${page.body}`);
  };
  return async (url: string): Promise<void> => {
    void visit(url).catch((error: unknown) => seen.push(`visit failed: ${String(error)}`));
  };
}

/** The consent page's decision (allow or deny), posted as a person would: where it redirects. */
async function decide(
  visitor: TestBrowser,
  authorizeUrl: string,
  decision: 'allow' | 'deny',
): Promise<string> {
  const consent = await (await visitor.fetch(authorizeUrl)).text();
  const request = /name="request" value="([^"]+)"/.exec(consent)?.[1] ?? '';
  return visitor.locationOf(new URL('/authentication/v2/authorize/decision', authorizeUrl).href, {
    method: 'POST',
    body: new URLSearchParams({ request, decision }),
  });
}

/** The redirect Location the emulator's auto-approve gives for an authorize URL (not followed). */
async function redirectedUrl(url: string): Promise<string> {
  const answer = await fetch(url, { redirect: 'manual' });
  return answer.headers.get('location') ?? '';
}

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
    expect(events[1]).toEqual({ type: 'authorize-url', url: seen[0], startLink: true });
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

  it('manual mode: reads the pasted redirected URL (whitespace around it), no listener', async () => {
    const { server, config, port, events, onEvent } = await setup();
    let authorizeUrl = '';
    const lines = async () => `  \t${await redirectedUrl(authorizeUrl)}  \n`;
    const store = new MemoryTokenStore();
    const { token } = await login({
      config,
      store,
      key: 'default',
      openUrl: false,
      manual: { readLine: lines },
      onEvent: (e) => {
        if (e.type === 'authorize-url') authorizeUrl = e.url;
        onEvent(e);
      },
    });
    expect(await store.load('default')).toEqual(token);
    expect(events.map((e) => e.type)).toEqual([
      'authorize-url',
      'waiting',
      'callback-received',
      'exchanging',
      'stored',
    ]);
    // Nothing listened on the callback port.
    await expect(fetch(`http://127.0.0.1:${port}/api/auth/callback`)).rejects.toThrow();
    expect(server.control.requests().filter((r) => r.grantType === 'authorization_code')).toHaveLength(1);
  });

  it('manual mode: a wrong pasted state is refused and the next line is read; end of input reports it', async () => {
    const { config, events, onEvent } = await setup();
    let authorizeUrl = '';
    const answers = [
      async () => '',
      async () => 'http://localhost:1/api/auth/callback?code=abc&state=not-this-one',
      async () => redirectedUrl(authorizeUrl),
    ];
    const { token } = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: false,
      manual: { readLine: () => answers.shift()!() },
      onEvent: (e) => {
        if (e.type === 'authorize-url') authorizeUrl = e.url;
        onEvent(e);
      },
    });
    expect(token.accessToken).toBeTypeOf('string');
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ message: expect.stringContaining('state does not match') });

    // The input ends after a refused line: a cancellation (AbortedError), with the refusal's reason.
    const once = ['?code=abc&state=wrong'];
    const error = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: false,
      manual: { readLine: async () => once.shift() },
    }).catch((e: unknown) => e);
    expect(isAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect((error as Error).message).toMatch(
      /^The input ended before the redirected URL was pasted; the last line was refused: The pasted URL was refused: its state does not match this sign-in/,
    );
  });

  it('manual mode: a line that is no redirected URL at all is told so (not "state does not match")', async () => {
    const { config, events, onEvent } = await setup();
    const once = ['hello world'];
    const error = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: false,
      manual: { readLine: async () => once.shift() },
      onEvent,
    }).catch((e: unknown) => e);
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused).toEqual([
      {
        type: 'callback-refused',
        code: 'NO_PARAMETERS',
        message:
          'The pasted line is not the redirected URL: paste the whole URL from the address bar (it holds code= and state=). Still waiting.',
      },
    ]);
    expect(isAbortedError(error)).toBe(true);
    expect((error as Error).message).toContain(
      'not the redirected URL: paste the whole URL from the address bar',
    );
    expect((error as Error).message).not.toContain('does not match');
  });

  it('timeout, the sign-in link never opened: says no browser reached the listener (not "not registered")', async () => {
    const { config, callback } = await setup();
    const error = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async () => undefined,
      timeoutMs: 1500,
    }).catch((e: unknown) => e);
    expect(isLoginTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'LOGIN_TIMEOUT', timeoutMs: 1500, redirectUri: callback });
    const message = (error as Error).message;
    expect(message).toContain('No browser opened the sign-in link within 1.5 s');
    expect(message).toContain('--manual');
    expect(message).not.toContain('not registered');
  });

  it('timeout after the browser went to the sign-in: not finished, or not registered (both said; doctor named)', async () => {
    const { config, callback } = await setup({ register: false });
    const pages: string[] = [];
    const error = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: async (url) => {
        const visitor = new TestBrowser();
        const page = await visitor.follow(url);
        pages.push(`${page.status} ${page.body}`);
      },
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    // The emulator shows its 400 page for an unregistered callback URL and never calls back.
    expect(pages[0]).toMatch(/^400 /);
    expect(pages[0]).toContain('Invalid redirect_uri');
    expect(error).toMatchObject({ name: 'LoginTimeoutError', redirectUri: callback });
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
    const hung = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: () => new Promise<void>(() => undefined),
      timeoutMs: 30,
    }).catch((e: unknown) => e);
    expect(isLoginTimeoutError(hung)).toBe(true);
    let readSignal: AbortSignal | undefined;
    const manual = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: false,
      timeoutMs: 30,
      manual: {
        readLine: (signal) => {
          readSignal = signal;
          return new Promise<string>(() => undefined);
        },
      },
    }).catch((e: unknown) => e);
    expect(isLoginTimeoutError(manual)).toBe(true);
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

  describe('the lock and the code exchange', () => {
    /** A store that logs its lock's life; `failLock` makes `lock` fail once the exchange has been sent. */
    function loggingStore(log: string[], options: { failLock?: boolean } = {}) {
      const inner = new MemoryTokenStore();
      const store: TokenStore = {
        load: (key) => inner.load(key),
        save: async (key, token) => {
          await inner.save(key, token);
          log.push('saved');
        },
        delete: (key) => inner.delete(key),
        lock: async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
          log.push('lock');
          if (options.failLock) {
            await vi.waitFor(() => expect(log).toContain('token request'));
            throw new TokenStoreError('TOKEN_STORE_IO', '/nowhere', 'Could not lock /nowhere.');
          }
          return inner.lock(key, async () => {
            log.push('locked');
            try {
              return await fn();
            } finally {
              log.push('released');
            }
          });
        },
      };
      return { store, inner };
    }

    /** The platform fetch, logging each token request as it is sent. */
    const loggingFetch =
      (log: string[]) =>
      (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = input instanceof Request ? input.url : String(input);
        if (url.endsWith('/token')) log.push('token request');
        return fetch(input, init);
      };

    it('the lock is requested before the token request is sent; "stored" is told once saved, before release', async () => {
      const { config, onEvent } = await setup();
      const log: string[] = [];
      const { store, inner } = loggingStore(log);
      const { token } = await login({
        config: { ...config, fetch: loggingFetch(log) },
        store,
        key: 'default',
        openUrl: browser(),
        onEvent: (e) => {
          if (e.type === 'stored') log.push('stored');
          onEvent(e);
        },
      });
      expect(log.indexOf('lock')).toBeLessThan(log.indexOf('token request'));
      expect(log.slice(log.indexOf('saved'))).toEqual(['saved', 'stored', 'released']);
      expect(await inner.load('default')).toEqual(token);
    });

    it('a failed exchange releases the lock, saves nothing, and its error is the one thrown', async () => {
      const { server, config, events, onEvent } = await setup();
      server.control.addFault({
        endpoint: 'token',
        status: 500,
        body: '<p>boom</p>',
        contentType: 'text/html',
      });
      const log: string[] = [];
      const { store, inner } = loggingStore(log);
      const error = await login({ config, store, key: 'default', openUrl: browser(), onEvent }).catch(
        (e: unknown) => e,
      );
      expect(isUnexpectedResponseError(error)).toBe(true);
      expect(log).toEqual(['lock', 'locked', 'released']);
      expect(await inner.load('default')).toBeUndefined();
      expect(events.map((e) => e.type)).not.toContain('stored');
    });

    it('when both the lock and the exchange fail, the exchange error wins; a lock failure alone is thrown', async () => {
      const failing = await setup();
      failing.server.control.addFault({
        endpoint: 'token',
        status: 500,
        body: '<p>boom</p>',
        contentType: 'text/html',
      });
      const log: string[] = [];
      const both = await login({
        config: { ...failing.config, fetch: loggingFetch(log) },
        store: loggingStore(log, { failLock: true }).store,
        key: 'default',
        openUrl: browser(),
      }).catch((e: unknown) => e);
      expect(isUnexpectedResponseError(both)).toBe(true);

      const { config } = await setup();
      const lockOnly: string[] = [];
      const alone = await login({
        config: { ...config, fetch: loggingFetch(lockOnly) },
        store: loggingStore(lockOnly, { failLock: true }).store,
        key: 'default',
        openUrl: browser(),
      }).catch((e: unknown) => e);
      expect(isTokenStoreError(alone)).toBe(true);
    });

    it('a file store: the token file is saved under the lock, which is gone once login() returns', async () => {
      const { config } = await setup();
      const home = await tempDir();
      const store = new FileTokenStore({ home, clientId: config.clientId, baseUrl: config.baseUrl });
      let lockHeldWhenStored: boolean | undefined;
      const { token } = await login({
        config,
        store,
        key: 'default',
        openUrl: browser(),
        onEvent: (e) => {
          if (e.type !== 'stored') return;
          lockHeldWhenStored = existsSync(`${store.pathFor('default')}.lock`);
        },
      });
      expect(lockHeldWhenStored).toBe(true);
      expect(existsSync(`${store.pathFor('default')}.lock`)).toBe(false);
      expect((await store.load('default')) as Token).toEqual(token);
    });
  });
});
