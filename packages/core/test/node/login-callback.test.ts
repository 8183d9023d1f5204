import type { StartEmulatorOptions } from '@aps-auth/emulator/node';
import { TestBrowser, type Visited } from '@aps-auth/test-utils';
import { describe, expect, it } from 'vitest';
import { type ApsAuthConfig, MemoryTokenStore } from '../../src/index.js';
import { type LoginEvent, login } from '../../src/node/index.js';
import { SECRET, start } from '../helpers.js';
import { freePort } from './helpers.js';

// What the browser is shown and what the terminal is told when the callback comes back: the page waits for
// the code exchange, the start link binds the sign-in to one browser, refusals carry a code.

async function setup(options: StartEmulatorOptions = {}) {
  const port = await freePort();
  const callback = `http://localhost:${port}/api/auth/callback`;
  const server = await start({
    clients: [{ clientId: 'web-app-id', clientSecret: SECRET, redirectUris: [callback] }],
    ...options,
  });
  const config: ApsAuthConfig = {
    clientId: 'web-app-id',
    clientSecret: SECRET,
    redirectUri: callback,
    scopes: ['data:read'],
    baseUrl: server.url,
  };
  const events: LoginEvent[] = [];
  return { server, config, callback, events, onEvent: (e: LoginEvent) => events.push(e) };
}

/** Opens the sign-in link in `visitor` and returns the authorize URL, its state and the callback it redirects to. */
async function openLink(visitor: TestBrowser, link: string) {
  const authorizeUrl = await visitor.locationOf(link);
  const state = new URL(authorizeUrl).searchParams.get('state') ?? '';
  return { authorizeUrl, state, callbackUrl: await visitor.locationOf(authorizeUrl) };
}

/** Runs a login whose opener is `visit` (awaited: it stands for the person in the browser). */
function run(
  config: ApsAuthConfig,
  visit: (link: string) => Promise<void>,
  extra: Partial<Parameters<typeof login>[0]> = {},
) {
  return login({
    config,
    store: new MemoryTokenStore(),
    key: 'default',
    openUrl: visit,
    timeoutMs: 20_000,
    ...extra,
  });
}

describe('the browser is answered after the code exchange', () => {
  it('"Signed in" is shown only once the token is stored', async () => {
    const { config } = await setup();
    const log: string[] = [];
    await run(
      config,
      async (link) => {
        const page = await new TestBrowser().follow(link);
        log.push(`page ${page.status} ${page.body.includes('You are signed in') ? 'signed in' : page.body}`);
      },
      { onEvent: (e) => e.type === 'stored' && log.push('stored') },
    );
    await expect.poll(() => log).toEqual(['stored', 'page 200 signed in']);
  });

  it.each([
    [
      'invalid_grant',
      { status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'bad code' }) },
      'The code was refused by the server: start the sign-in again.',
      'OAUTH_ERROR',
    ],
    [
      'an HTML 502',
      { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' },
      'The server gave an answer that is not a token (status 502)',
      'UNEXPECTED_RESPONSE',
    ],
  ])(
    'a failed exchange (%s): the page says it failed and what to do next',
    async (_name, fault, words, code) => {
      const { server, config } = await setup();
      server.control.addFault({ endpoint: 'token', ...fault });
      let page: Visited | undefined;
      const error = await run(config, async (link) => {
        page = await new TestBrowser().follow(link);
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code });
      await expect.poll(() => page?.status).toBe(400);
      expect(page?.body).toContain('Sign-in failed');
      expect(page?.body).toContain(words);
      expect(page?.body).not.toContain('You are signed in');
      expect(page?.body).not.toContain('Bad gateway');
    },
  );

  it('a slow exchange: after the bounded wait the page says "still finishing, return to your terminal"', async () => {
    const { config } = await setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/token')) await gate;
      return fetch(input, init);
    };
    let body = '';
    const { token } = await run(
      { ...config, fetch: gated },
      async (link) => {
        body = (await new TestBrowser().follow(link)).body;
        release();
      },
      { loopback: { answerTimeoutMs: 1 } },
    );
    expect(token.accessToken).toBeTypeOf('string');
    expect(body).toContain('Still finishing the sign-in');
    expect(body).toContain('Return to your terminal');
  });
});

describe('the sign-in is bound to the browser that opened the link', () => {
  it('a callback with the right state but without the link cookie is refused (BROWSER_MISMATCH); the real one completes', async () => {
    const { config, events, onEvent } = await setup();
    const opened: string[] = [];
    let stranger: Visited | undefined;
    const { token } = await run(
      config,
      async (link) => {
        opened.push(link);
        const visitor = new TestBrowser();
        const { callbackUrl } = await openLink(visitor, link);
        // Someone who learnt the state (and code) but is not this browser.
        stranger = await new TestBrowser().follow(callbackUrl);
        await visitor.follow(callbackUrl);
      },
      { onEvent },
    );
    expect(token.accessToken).toBeTypeOf('string');
    expect(opened[0]).not.toMatch(/state|code_challenge/);
    expect(stranger?.status).toBe(400);
    expect(stranger?.body).toContain('did not open its sign-in link');
    expect(events.filter((e) => e.type === 'callback-refused')).toEqual([
      {
        type: 'callback-refused',
        code: 'BROWSER_MISMATCH',
        message: expect.stringContaining('comes from a browser that did not open its sign-in link'),
      },
    ]);
  });

  it('the link opened by a second browser stops the sign-in (SIGN_IN_LINK_REUSED); nothing is exchanged', async () => {
    const { server, config } = await setup();
    let second: Visited | undefined;
    const error = await run(config, async (link) => {
      await new TestBrowser().locationOf(link);
      second = await new TestBrowser().follow(link);
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AuthorizationResponseError', code: 'SIGN_IN_LINK_REUSED' });
    expect((error as Error).message).toContain('Start the sign-in again');
    await expect.poll(() => second?.status).toBe(410);
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(0);
  });
});

describe('refused callbacks carry a code and the loopback words', () => {
  it('a bare callback is NO_PARAMETERS, not a state mismatch; the right state without a code does not speak of pasting', async () => {
    const { config, callback, events, onEvent } = await setup();
    const pages: string[] = [];
    await run(
      config,
      async (link) => {
        const visitor = new TestBrowser();
        const { state, callbackUrl } = await openLink(visitor, link);
        pages.push((await visitor.follow(callback)).body);
        pages.push((await visitor.follow(`${callback}?state=${state}`)).body);
        await visitor.follow(callbackUrl);
      },
      { onEvent },
    );
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused.map((e) => e.type === 'callback-refused' && e.code)).toEqual([
      'NO_PARAMETERS',
      'CODE_MISSING',
    ]);
    for (const event of refused) {
      const message = (event as { message: string }).message;
      expect(message).toMatch(/^A request to the callback URL was refused: /);
      expect(message).not.toMatch(/paste/i);
      expect(message).not.toContain('state does not match');
    }
    expect(pages[0]).toContain('no code, state or error');
    expect(pages[1]).toContain('neither a code nor an error');
  });

  it.each([
    'http://localhost:0/api/auth/callback',
    'http://localhost/api/auth/callback',
    'http://localhost:99999/api/auth/callback',
  ])(
    '%s is refused before anything opens (CALLBACK_URL_UNSUPPORTED, the words doctor uses)',
    async (redirectUri) => {
      const { config } = await setup();
      const opened: string[] = [];
      const error = await run({ ...config, redirectUri }, async (link) => {
        opened.push(link);
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'CallbackServerError', code: 'CALLBACK_URL_UNSUPPORTED' });
      expect((error as Error).message).toContain('needs an explicit port from 1024 to 65535');
      expect(opened).toEqual([]);
    },
  );
});
