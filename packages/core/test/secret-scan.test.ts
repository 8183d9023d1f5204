import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createManualTimers, startGateProxy, TestBrowser } from '@aps-auth/test-utils';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type ApsAuthConfig,
  createAuthorizationRequest,
  exchangeCode,
  getTwoLeggedToken,
  getUserInfo,
  introspectToken,
  isApsAuthError,
  MemoryTokenStore,
  parseCallback,
  refreshToken,
  resolveConfig,
  revokeToken,
  TokenManager,
} from '../src/index.js';
import { FileTokenStore, type LoginEvent, login, startLoopbackServer } from '../src/node/index.js';
import { verifyIdToken } from '../src/oidc/index.js';
import { authorize, confidentialConfig, SECRET, start } from './helpers.js';
import { freePort, tempDir } from './node/helpers.js';

/** Every view of an error and of each error in its `cause` chain. */
function views(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      out.push(current.message, current.stack ?? '', String(current), JSON.stringify(current));
    } else {
      out.push(String(current), JSON.stringify(current) ?? '');
    }
    out.push(inspect(current, { depth: 10, showHidden: true }));
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

function expectClean(error: unknown, secrets: readonly string[]): void {
  expect(isApsAuthError(error), `untyped error: ${String(error)}`).toBe(true);
  for (const view of views(error)) {
    for (const secret of secrets) {
      expect(view.includes(secret), `"${secret.slice(0, 12)}…" leaked in ${view.slice(0, 300)}`).toBe(false);
    }
  }
}

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('no secret reaches an error', () => {
  it('across every function and failure path', async () => {
    const server = await start();
    // Timeouts expire only when `timedOut` says so: no real answer races a short timer.
    const timers = createManualTimers();
    const config: ApsAuthConfig = confidentialConfig(server, {
      now: () => server.control.now(),
      timeoutMs: 300,
      setTimer: timers.setTimer,
      retry: { limit: 1, maxRetryAfterMs: 10 },
    });
    const proxy = await startGateProxy(server.url);
    onTestFinished(() => proxy.close());
    /** A call whose request (to `endpoint`, behind the proxy) is held for good: its time runs out once held. */
    const timedOut = async (
      endpoint: 'token' | 'userinfo',
      call: (config: ApsAuthConfig) => Promise<unknown>,
    ): Promise<unknown> => {
      const path = endpoint === 'token' ? '/authentication/v2/token' : '/userinfo';
      const held = proxy.hold(path);
      const pending = failure(call({ ...config, endpoints: { [endpoint]: `${proxy.url}${path}` } }));
      await held.arrived;
      expect(timers.expire(300)).toBe(1);
      return pending;
    };
    const wrongSecret = 'WRONG-secret-0123456789-abcdefghijklmnop';

    // A real login, to have a real code, verifier, refresh token, access token, id token and nonce.
    const request = await createAuthorizationRequest(config, { scopes: ['openid', 'data:read'] });
    const { code } = parseCallback(config, await authorize(request.url), { state: request.state });
    const token = await exchangeCode(config, { code, codeVerifier: request.codeVerifier });
    const { codeVerifier } = request;
    const secrets = [
      SECRET,
      wrongSecret,
      code,
      codeVerifier,
      token.accessToken,
      token.refreshToken!,
      token.idToken!,
      request.nonce!,
      Buffer.from(`${config.clientId}:${SECRET}`).toString('base64'),
    ];
    const errors: unknown[] = [];
    // Each secret as sent in a form body (form-encoded) and percent-encoded in lower case too.
    const encoded = secrets.flatMap((secret) => {
      const form = new URLSearchParams({ x: secret }).toString().slice(2);
      return [form, encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())];
    });
    const echo = (status: number, contentType = 'application/json') => ({
      status,
      contentType,
      body:
        contentType === 'application/json'
          ? JSON.stringify({
              error: 'invalid_request',
              error_description: `echo ${secrets.join(' ')} form ${encoded.join('&')}`,
              developerMessage: secrets.join(','),
            })
          : `<html><body>${secrets.join(' ')} ${encoded.join(' ')}</body></html>`,
    });

    // Code exchange: reused code, wrong secret, echoed values, HTML, malformed 200, drop, timeout.
    errors.push(await failure(exchangeCode(config, { code, codeVerifier })));
    errors.push(
      await failure(exchangeCode({ ...config, clientSecret: wrongSecret }, { code, codeVerifier })),
    );
    for (const fault of [
      echo(400),
      echo(502, 'text/html'),
      { status: 200, contentType: 'application/json', body: `{"access_token":"${token.accessToken}",` },
      { drop: true },
    ]) {
      server.control.addFault({ endpoint: 'token', ...fault });
      errors.push(await failure(exchangeCode(config, { code, codeVerifier })));
    }
    errors.push(await timedOut('token', (c) => exchangeCode(c, { code, codeVerifier })));
    errors.push(await failure(exchangeCode(config, { code, codeVerifier: `${codeVerifier}!` })));

    // Refresh: echoed values, HTML, malformed 200, drop, timeout, then a spent token.
    for (const fault of [
      echo(400),
      echo(500, 'text/html'),
      { status: 200, contentType: 'application/json', body: `{"refresh_token":"${token.refreshToken}"` },
      // An absurd lifetime, and a body past the 1 MiB cap, both holding tokens.
      {
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          access_token: token.accessToken,
          refresh_token: token.refreshToken,
          token_type: 'Bearer',
          expires_in: 1e13,
        }),
      },
      {
        status: 400,
        contentType: 'text/html',
        body: `${secrets.join(' ')} `.repeat(Math.ceil(1_100_000 / secrets.join(' ').length)),
      },
      { drop: true },
    ]) {
      server.control.addFault({ endpoint: 'token', ...fault });
      errors.push(await failure(refreshToken(config, { refreshToken: token.refreshToken! })));
    }
    errors.push(await timedOut('token', (c) => refreshToken(c, { refreshToken: token.refreshToken! })));
    await refreshToken(config, { refreshToken: token.refreshToken! });
    errors.push(await failure(refreshToken(config, { refreshToken: token.refreshToken! })));
    errors.push(
      await failure(
        refreshToken({ ...config, clientSecret: wrongSecret }, { refreshToken: token.refreshToken! }),
      ),
    );

    // Client credentials: wrong secret, echo (retried, then reported).
    errors.push(
      await failure(getTwoLeggedToken({ ...config, clientSecret: wrongSecret }, { scopes: 'data:read' })),
    );
    server.control.addFault({ endpoint: 'token', times: 2, ...echo(503, 'text/html') });
    errors.push(await failure(getTwoLeggedToken(config, { scopes: 'data:read' })));

    // Revoke and introspect.
    for (const endpoint of ['revoke', 'introspect'] as const) {
      server.control.addFault({ endpoint, ...echo(400) });
      const call =
        endpoint === 'revoke'
          ? revokeToken(config, { token: token.accessToken, tokenTypeHint: 'access_token' })
          : introspectToken(config, { token: token.accessToken });
      errors.push(await failure(call));
      server.control.addFault({ endpoint, drop: true });
      errors.push(
        await failure(
          endpoint === 'revoke'
            ? revokeToken(config, { token: token.refreshToken!, tokenTypeHint: 'refresh_token' })
            : introspectToken(config, { token: token.refreshToken! }),
        ),
      );
    }
    errors.push(
      await failure(
        revokeToken(
          { ...config, clientSecret: wrongSecret },
          { token: token.accessToken, tokenTypeHint: 'access_token' },
        ),
      ),
    );

    // Userinfo: bad token, echoes, drop, timeout.
    errors.push(await failure(getUserInfo(config, { accessToken: `${token.accessToken}x` })));
    server.control.addFault({ endpoint: 'userinfo', times: 2, ...echo(401) });
    errors.push(await failure(getUserInfo(config, { accessToken: token.accessToken })));
    server.control.addFault({ endpoint: 'userinfo', times: 2, drop: true });
    errors.push(await failure(getUserInfo(config, { accessToken: token.accessToken })));
    errors.push(await timedOut('userinfo', (c) => getUserInfo(c, { accessToken: token.accessToken })));

    // TokenManager with a dead refresh token.
    const store = new MemoryTokenStore();
    await store.save('default', { ...token, expiresAt: 0 });
    errors.push(await failure(new TokenManager({ config, store }).getAccessToken()));

    // Callback parsing and id token verification.
    errors.push(
      await failure(() =>
        parseCallback(config, `?code=${code}&state=${codeVerifier}`, { state: request.state }),
      ),
    );
    errors.push(
      await failure(() =>
        parseCallback(config, `?code=${code}&code=${code}&state=${request.state}`, { state: request.state }),
      ),
    );
    errors.push(
      await failure(() =>
        parseCallback(config, `?error=access_denied&error_description=no&state=${request.state}`, {
          state: request.state,
        }),
      ),
    );
    errors.push(await failure(verifyIdToken(config, token.idToken!, { nonce: `${request.nonce}x` })));
    errors.push(
      await failure(refreshToken(config, { refreshToken: token.refreshToken!, signal: AbortSignal.abort() })),
    );
    errors.push(await failure(createAuthorizationRequest({ ...config, scopes: [] })));
    errors.push(
      await failure(
        verifyIdToken({ ...config, clientId: 'other' }, token.idToken!, { nonce: request.nonce! }),
      ),
    );

    // Configuration errors.
    errors.push(await failure(exchangeCode({ ...config, clientSecret: '' }, { code, codeVerifier })));
    errors.push(
      await failure(
        exchangeCode({ ...config, redirectUri: `http://x/${SECRET}#frag` }, { code, codeVerifier }),
      ),
    );

    expect(errors.length).toBeGreaterThan(30);
    const codes = new Set(errors.map((e) => (e as { code?: string }).code));
    expect([...codes].sort()).toEqual(
      [
        'AUTHORIZATION_RESPONSE_ERROR',
        'CONFIGURATION_ERROR',
        'ID_TOKEN_INVALID',
        'INVALID_CALLBACK',
        'NETWORK_ERROR',
        'OAUTH_ERROR',
        'SIGN_IN_REQUIRED',
        'STATE_MISMATCH',
        'TIMEOUT',
        'UNEXPECTED_RESPONSE',
        'ABORTED',
      ].sort(),
    );
    const reasons = new Set(errors.map((e) => (e as { reason?: string }).reason));
    expect(reasons).toContain('response_too_large');
    expect(reasons).toContain('lifetime_out_of_range');
    console.info(`secret scan: ${errors.length} errors, codes ${[...codes].join(', ')}`);
    for (const error of errors) expectClean(error, [...secrets, ...encoded]);
  }, 30_000);

  it('a secret given where a URL belongs (swapped settings) is not echoed', () => {
    for (const field of ['redirectUri', 'baseUrl', 'issuer-less endpoints.token'] as const) {
      const config =
        field === 'redirectUri'
          ? { clientId: 'id', redirectUri: SECRET }
          : field === 'baseUrl'
            ? { clientId: 'id', baseUrl: SECRET }
            : { clientId: 'id', endpoints: { token: SECRET } };
      const error = (() => {
        try {
          resolveConfig(config);
        } catch (e) {
          return e;
        }
        throw new Error('expected a failure');
      })();
      expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR' });
      expectClean(error, [SECRET]);
    }
  });

  it('node entry: no secret reaches an error, an event or a callback page', async () => {
    const port = await freePort();
    const callback = `http://localhost:${port}/api/auth/callback`;
    const server = await start({
      clients: [{ clientId: 'web-app-id', clientSecret: SECRET, redirectUris: [callback] }],
    });
    const timers = createManualTimers();
    const config = confidentialConfig(server, { redirectUri: callback, setTimer: timers.setTimer });
    const home = await tempDir();
    const store = new FileTokenStore({ home, clientId: config.clientId, baseUrl: server.url });
    const events: LoginEvent[] = [];
    const pages: string[] = [];
    const codes: string[] = [];
    const browser = async (url: string) => {
      const visitor = new TestBrowser();
      const location = await visitor.locationOf(await visitor.locationOf(url));
      codes.push(new URL(location).searchParams.get('code') ?? '');
      pages.push((await visitor.follow(location)).body);
    };
    const onEvent = (event: LoginEvent) => events.push(event);
    const { token } = await login({ config, store, key: 'default', openUrl: browser, onEvent });
    const secrets = [
      SECRET,
      token.refreshToken!,
      Buffer.from(`${config.clientId}:${SECRET}`).toString('base64'),
    ];
    const errors: unknown[] = [];

    // The code exchange fails with a server echoing the secret and the Basic header.
    server.control.addFault({
      endpoint: 'token',
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: `echo ${secrets.join(' ')}` }),
    });
    errors.push(await failure(login({ config, store, key: 'default', openUrl: browser, onEvent })));
    // A pasted URL with a code and a wrong state; then the input ends.
    const pasted = [`http://localhost:${port}/api/auth/callback?code=${codes[0]}&state=wrong`];
    errors.push(
      await failure(
        login({
          config,
          store,
          key: 'x',
          openUrl: false,
          manual: { readLine: async () => pasted.shift() },
          onEvent,
        }),
      ),
    );
    // Timeout, abort, a busy port, an unusable callback URL.
    errors.push(
      await failure(
        login({
          config,
          store,
          key: 'x',
          openUrl: async () => undefined,
          timeoutMs: 20,
          onEvent: (event) => {
            if (event.type === 'waiting') timers.expire(20);
          },
        }),
      ),
    );
    errors.push(await failure(login({ config, store, key: 'x', signal: AbortSignal.abort() })));
    const busy = await startLoopbackServer({
      redirectUri: callback,
      onCallback: () => ({ kind: 'refused', status: 400, page: { ok: false, title: '', message: '' } }),
    });
    errors.push(await failure(login({ config, store, key: 'x', openUrl: false })));
    await busy.close();
    errors.push(
      await failure(login({ config: { ...config, redirectUri: 'https://example.com/cb' }, store, key: 'x' })),
    );
    // A corrupt token file holding a refresh token; an unusable home.
    const path = store.pathFor('corrupt');
    await writeFile(path, `{"token": {"refreshToken": "${token.refreshToken}"`);
    errors.push(await failure(store.load('corrupt')));
    await mkdir(join(home, 'file-home'), { recursive: true });
    await writeFile(join(home, 'file-home', 'tokens'), 'not a directory');
    errors.push(await failure(new FileTokenStore({ home: join(home, 'file-home') }).save('default', token)));
    errors.push(await failure(new FileTokenStore({ home: join(home, 'file-home') }).load('default')));
    // A token path linked to a file holding a refresh token; a home others can write to.
    const linked = join(home, 'elsewhere.json');
    await writeFile(linked, `{"token": {"refreshToken": "${token.refreshToken}"}}`);
    await symlink(linked, store.pathFor('linked'));
    errors.push(await failure(store.load('linked')));
    await mkdir(join(home, 'loose-home'), { mode: 0o700 });
    await chmod(join(home, 'loose-home'), 0o777);
    errors.push(await failure(new FileTokenStore({ home: join(home, 'loose-home') }).save('default', token)));

    const codesSeen = new Set(errors.map((e) => (e as { code?: string }).code));
    expect([...codesSeen].sort()).toEqual(
      [
        'OAUTH_ERROR',
        // The end of manual input after a refused (wrong-state) URL is an AbortedError since 805a672.
        'LOGIN_TIMEOUT',
        'ABORTED',
        'CALLBACK_PORT_UNAVAILABLE',
        'CALLBACK_URL_UNSUPPORTED',
        'TOKEN_STORE_CORRUPT',
        'TOKEN_STORE_IO',
        'TOKEN_STORE_UNSAFE',
      ].sort(),
    );
    const all = [...secrets, ...codes];
    for (const error of errors) expectClean(error, all);
    for (const text of [JSON.stringify(events), ...pages]) {
      for (const secret of all) expect(text.includes(secret), `"${secret.slice(0, 12)}…" leaked`).toBe(false);
    }
    expect(pages[0]).toContain('You can close this tab');
  }, 30_000);
});
