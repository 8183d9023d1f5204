import { createManualTimers, startGateProxy } from '@aps-auth/test-utils';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  exchangeCode,
  getTwoLeggedToken,
  getUserInfo,
  introspectToken,
  isAbortedError,
  isNetworkError,
  isOAuthError,
  isTimeoutError,
  isUnexpectedResponseError,
  refreshToken,
  revokeToken,
} from '../src/index.js';
import { confidentialConfig, login, start } from './helpers.js';

const HTML_502 =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head><body><h1>502 Bad Gateway</h1><p>The upstream is gone.</p></body></html>';

async function loggedIn(extra = {}) {
  const server = await start();
  const config = confidentialConfig(server, extra);
  const { token } = await login(config);
  server.control.clearRequests();
  const count = (endpoint: string) => server.control.requests().filter((r) => r.endpoint === endpoint).length;
  return { server, config, token, count };
}

describe('HTML and malformed answers', () => {
  it('an HTML 502 on refresh is UnexpectedResponseError with a clean snippet, sent once', async () => {
    const { server, config, token, count } = await loggedIn();
    server.control.addFault({ endpoint: 'token', status: 502, body: HTML_502, contentType: 'text/html' });
    const error = await refreshToken(config, { refreshToken: token.refreshToken! }).catch((e: unknown) => e);
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      status: 502,
      endpoint: 'token',
      contentType: expect.stringContaining('text/html'),
      snippet: '502 Bad Gateway 502 Bad Gateway The upstream is gone.',
    });
    expect((error as Error).message).toMatch(/502 with a text\/html body.*try again later/);
    expect(count('token')).toBe(1);
  });

  it('an HTML 500 on a code exchange is not retried', async () => {
    const server = await start();
    const config = confidentialConfig(server);
    server.control.addFault({
      endpoint: 'token',
      status: 500,
      body: '<h1>oops</h1>',
      contentType: 'text/html',
      times: 3,
    });
    const error = await login(config).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 500, snippet: 'oops' });
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(1);
  });

  it('malformed JSON in a 200 is UnexpectedResponseError without any excerpt', async () => {
    const { server, config, token } = await loggedIn();
    server.control.addFault({
      endpoint: 'token',
      status: 200,
      body: '{"access_token":"LEAKY-ACCESS-TOKEN","expires_in":',
      contentType: 'application/json',
    });
    const error = await refreshToken(config, { refreshToken: token.refreshToken! }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 200 });
    expect((error as { snippet?: string }).snippet).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('LEAKY');
    expect((error as Error).stack).not.toContain('LEAKY');
  });

  it('a 200 without access_token is UnexpectedResponseError', async () => {
    const { server, config, token } = await loggedIn();
    server.control.addFault({
      endpoint: 'token',
      status: 200,
      body: '{"token_type":"Bearer"}',
      contentType: 'application/json',
    });
    await expect(refreshToken(config, { refreshToken: token.refreshToken! })).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      message: expect.stringContaining('"access_token"'),
    });
  });

  it('an absurd expires_in (1e13, past the largest Date, infinite, negative) is rejected with a typed error', async () => {
    const { server, config, token } = await loggedIn();
    const cases = [
      ['1e13', /"expires_in" is 10000000000000 s, longer than any token lives \(at most a year\)/],
      ['31536001', /"expires_in" is 31536001 s, longer than any token lives/],
      ['1e400', /"expires_in" is Infinity, not a positive number of seconds/],
      ['-5', /"expires_in" is -5, not a positive number of seconds/],
    ] as const;
    for (const [value, message] of cases) {
      server.control.addFault({
        endpoint: 'token',
        status: 200,
        body: `{"access_token":"at-${value}","token_type":"Bearer","expires_in":${value}}`,
        contentType: 'application/json',
      });
      const error = await refreshToken(config, { refreshToken: token.refreshToken! }).catch(
        (e: unknown) => e,
      );
      expect(isUnexpectedResponseError(error), value).toBe(true);
      expect(error).toMatchObject({
        code: 'UNEXPECTED_RESPONSE',
        reason: 'lifetime_out_of_range',
        field: 'expires_in',
        status: 200,
      });
      expect((error as Error).message).toMatch(message);
    }
    // A year exactly is still a lifetime.
    server.control.addFault({
      endpoint: 'token',
      status: 200,
      body: '{"access_token":"at-year","token_type":"Bearer","expires_in":31536000}',
      contentType: 'application/json',
    });
    const now = Date.now();
    const year = await refreshToken({ ...config, now: () => now }, { refreshToken: token.refreshToken! });
    expect(year.expiresAt).toBe(now + 31_536_000_000);
  });

  it('a gateway-shaped error keeps errorCode, developerMessage and more info', async () => {
    const { server, config, token } = await loggedIn();
    server.control.addFault({
      endpoint: 'userinfo',
      status: 403,
      contentType: 'application/json',
      body: JSON.stringify({
        developerMessage: 'The client_id specified does not have access to the api product',
        userMessage: '',
        errorCode: 'AUTH-001',
        'more info': 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/',
      }),
    });
    const error = await getUserInfo(config, { accessToken: token.accessToken }).catch((e: unknown) => e);
    expect(isOAuthError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 403,
      error: undefined,
      errorCode: 'AUTH-001',
      developerMessage: 'The client_id specified does not have access to the api product',
      moreInfo: 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/',
    });
    expect((error as Error).message).toMatch(/enable the API for this app/);
  });

  it('a JSON error that is neither shape is UnexpectedResponseError', async () => {
    const { server, config } = await loggedIn();
    server.control.addFault({
      endpoint: 'introspect',
      status: 400,
      body: '{"oops":true}',
      contentType: 'application/json',
    });
    await expect(introspectToken(config, { token: 'x'.repeat(20) })).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      status: 400,
    });
  });

  it('revoke: a 503 is a typed error, not retried', async () => {
    const { server, config, token, count } = await loggedIn();
    server.control.addFault({ endpoint: 'revoke', status: 503, body: 'down', contentType: 'text/plain' });
    await expect(
      revokeToken(config, { token: token.accessToken, tokenTypeHint: 'access_token' }),
    ).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      status: 503,
    });
    expect(count('revoke')).toBe(1);
  });
});

describe('retries', () => {
  it('userinfo: 429 with Retry-After is retried after the delay, then succeeds', async () => {
    const { server, config, token, count } = await loggedIn();
    server.control.addFault({
      endpoint: 'userinfo',
      status: 429,
      headers: { 'Retry-After': '1' },
      contentType: 'application/json',
      body: JSON.stringify({ developerMessage: 'Too many requests', errorCode: 'ERR-001' }),
    });
    const started = performance.now();
    const user = await getUserInfo(config, { accessToken: token.accessToken });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(user.sub).toBeTruthy();
    const log = server.control.requests().filter((r) => r.endpoint === 'userinfo');
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    expect(count('userinfo')).toBe(2);
  });

  it('userinfo: a Retry-After beyond retry.maxRetryAfterMs is not retried: the answer comes back at once', async () => {
    const { server, config, token, count } = await loggedIn({ retry: { maxRetryAfterMs: 50 } });
    for (const status of [503, 429]) {
      server.control.addFault({
        endpoint: 'userinfo',
        status,
        headers: { 'Retry-After': '3600' },
        contentType: 'application/json',
        body: JSON.stringify({ developerMessage: 'Slow down', errorCode: 'ERR-001' }),
      });
      const error = await getUserInfo(config, { accessToken: token.accessToken }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status, retryAfter: 3600 });
    }
    expect(count('userinfo')).toBe(2);
    // Within the cap it is retried after the delay asked for.
    server.control.addFault({
      endpoint: 'userinfo',
      status: 503,
      headers: { 'Retry-After': '0' },
      body: 'x',
    });
    expect((await getUserInfo(config, { accessToken: token.accessToken })).sub).toBeTruthy();
    expect(count('userinfo')).toBe(4);
  });

  it('userinfo: gives up after retry.limit and reports the last answer with retryAfter', async () => {
    const { server, config, token, count } = await loggedIn({ retry: { limit: 2, maxRetryAfterMs: 10 } });
    server.control.addFault({
      endpoint: 'userinfo',
      status: 429,
      times: 5,
      headers: { 'Retry-After': '0' },
      contentType: 'application/json',
      body: JSON.stringify({ developerMessage: 'Rate limit', errorCode: 'ERR-001' }),
    });
    const error = await getUserInfo(config, { accessToken: token.accessToken }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 429, errorCode: 'ERR-001', retryAfter: 0 });
    expect((error as Error).message).toMatch(/rate limit/i);
    expect(count('userinfo')).toBe(3);
  });

  it('client credentials: a 500 is retried', async () => {
    const { server, config, count } = await loggedIn();
    server.control.addFault({
      endpoint: 'token',
      status: 500,
      body: '<p>boom</p>',
      contentType: 'text/html',
    });
    const token = await getTwoLeggedToken(config, { scopes: 'data:read' });
    expect(token.accessToken).toBeTruthy();
    expect(count('token')).toBe(2);
  });

  it('refresh: a 429 is never retried', async () => {
    const { server, config, token, count } = await loggedIn();
    server.control.addFault({
      endpoint: 'token',
      status: 429,
      headers: { 'Retry-After': '0' },
      contentType: 'application/json',
      body: JSON.stringify({ developerMessage: 'Rate limit', errorCode: 'ERR-001' }),
    });
    await expect(refreshToken(config, { refreshToken: token.refreshToken! })).rejects.toMatchObject({
      status: 429,
    });
    expect(count('token')).toBe(1);
  });

  it('a 429 tells its Retry-After in the message and the retryAfter field (OAuth and other bodies)', async () => {
    const { server, config, token } = await loggedIn();
    server.control.addFault({
      endpoint: 'token',
      status: 429,
      headers: { 'Retry-After': '30' },
      contentType: 'application/json',
      body: JSON.stringify({ developerMessage: 'Rate limit', errorCode: 'ERR-001' }),
    });
    const oauth = await refreshToken(config, { refreshToken: token.refreshToken! }).catch((e: unknown) => e);
    expect(oauth).toMatchObject({ code: 'OAUTH_ERROR', status: 429, retryAfter: 30 });
    expect((oauth as Error).message).toContain('wait 30 s before trying again (Retry-After: 30)');
    server.control.addFault({
      endpoint: 'token',
      status: 429,
      headers: { 'Retry-After': '45' },
      contentType: 'text/plain',
      body: 'slow down',
    });
    const other = await refreshToken(config, { refreshToken: token.refreshToken! }).catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'UNEXPECTED_RESPONSE', reason: 'not_oauth_error', retryAfter: 45 });
    expect((other as Error).message).toContain('wait 45 s before trying again (Retry-After: 45)');
  });

  it('retry.limit 0 disables retries', async () => {
    const { server, config, token, count } = await loggedIn({ retry: { limit: 0 } });
    server.control.addFault({ endpoint: 'userinfo', status: 502, body: 'bad gateway' });
    await expect(getUserInfo(config, { accessToken: token.accessToken })).rejects.toMatchObject({
      status: 502,
    });
    expect(count('userinfo')).toBe(1);
  });
});

describe('no answer', () => {
  it('no answer within the timeout is TimeoutError; a code exchange is not retried', async () => {
    const server = await start();
    const proxy = await startGateProxy(server.url);
    onTestFinished(() => proxy.close());
    const timers = createManualTimers();
    // Only the token endpoint goes through the proxy, which holds the exchange for good (a server that never
    // answers); a retry would pass the proxy and succeed at the emulator.
    const config = confidentialConfig(server, {
      timeoutMs: 100,
      setTimer: timers.setTimer,
      endpoints: { token: `${proxy.url}/authentication/v2/token` },
    });
    const held = proxy.hold('/authentication/v2/token');
    const pending = login(config).catch((e: unknown) => e);
    await held.arrived;
    expect(timers.expire(100)).toBe(1);
    const error = await pending;
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TIMEOUT', endpoint: 'token', timeoutMs: 100 });
    expect((error as Error).message).toMatch(/single-use/);
    // Sent once, and never retried.
    expect(proxy.arrivals().filter((path) => path.startsWith('/authentication/v2/token'))).toHaveLength(1);
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(0);
  });

  it('a body that stalls after the headers is TimeoutError too, and the stalled body is cancelled', async () => {
    const server = await start();
    // The emulator cannot stall a body half-way: a real answer's status and headers (from a first call) are
    // kept, its body replaced by a stream that never ends. Its time runs out once the body's read stalls.
    let real: Response | undefined;
    await getTwoLeggedToken(
      confidentialConfig(server, {
        fetch: async (input, init) => {
          real = await fetch(input, init);
          return real.clone();
        },
      }),
      { scopes: 'data:read' },
    );
    await real?.body?.cancel();
    const cancelled: unknown[] = [];
    const timers = createManualTimers();
    let stall!: () => void;
    const stalled = new Promise<void>((resolve) => {
      stall = resolve;
    });
    const config = confidentialConfig(server, {
      timeoutMs: 150,
      setTimer: timers.setTimer,
      fetch: async () => {
        const body = new ReadableStream({
          start: (c) => c.enqueue(new TextEncoder().encode('{"access')),
          // Asked for more once the first chunk is read: the read stalls here, for good.
          pull: () => {
            stall();
            return new Promise<void>(() => undefined);
          },
          cancel: (reason) => {
            cancelled.push(reason);
          },
        });
        return new Response(body, { status: real!.status, headers: real!.headers });
      },
    });
    const pending = getTwoLeggedToken(config, { scopes: 'data:read' }).catch((e: unknown) => e);
    await stalled;
    // The second timer is the body read's own (the request's ended with the headers).
    await timers.started(150, 2);
    expect(timers.pending()).toEqual([150]);
    timers.expire();
    const error = await pending;
    // Not the cut body taken for a whole (malformed) answer.
    expect(error).toMatchObject({ code: 'TIMEOUT', endpoint: 'token', timeoutMs: 150 });
    // The stream is cancelled (the socket released), not left open behind a lock.
    await vi.waitFor(() => expect(cancelled).toHaveLength(1));
  });

  it('a dropped connection on refresh is NetworkError, sent once, with advice', async () => {
    const { server, config, token, count } = await loggedIn();
    server.control.addFault({ endpoint: 'token', drop: true });
    const error = await refreshToken(config, { refreshToken: token.refreshToken! }).catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', endpoint: 'token', mayHaveReachedServer: true });
    expect((error as Error).message).toMatch(/The refresh may have happened at the server/);
    expect((error as Error & { cause: Error }).cause).toBeInstanceOf(Error);
    expect(count('token')).toBe(1);
  });

  it('a dropped connection on userinfo is retried', async () => {
    const { server, config, token, count } = await loggedIn();
    server.control.addFault({ endpoint: 'userinfo', drop: true });
    const user = await getUserInfo(config, { accessToken: token.accessToken });
    expect(user.sub).toBeTruthy();
    expect(count('userinfo')).toBe(2);
  });

  it('connection refused is NetworkError', async () => {
    const server = await start();
    const url = server.url;
    await server.close();
    const error = await getTwoLeggedToken({
      clientId: 'x',
      clientSecret: 'y',
      baseUrl: url,
      scopes: 'data:read',
      retry: { limit: 0 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).message).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('a refresh to a closed port never reached the server: it does not say the refresh may have happened', async () => {
    const server = await start();
    const url = server.url;
    await server.close();
    const error = await refreshToken(
      { clientId: 'x', baseUrl: url, retry: { limit: 0 } },
      { refreshToken: 'RT-0123456789' },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', endpoint: 'token', mayHaveReachedServer: false });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).toContain(
      'Nothing reached the server, so the refresh token is unchanged',
    );
    expect((error as Error).message).not.toContain('may have happened');
  });

  it('a refresh that timed out after sending may have happened at the server (TimeoutError says so)', async () => {
    const { server, config, token } = await loggedIn();
    const proxy = await startGateProxy(server.url);
    onTestFinished(() => proxy.close());
    const timers = createManualTimers();
    const held = proxy.hold('/authentication/v2/token');
    const pending = refreshToken(
      {
        ...config,
        timeoutMs: 100,
        setTimer: timers.setTimer,
        endpoints: { token: `${proxy.url}/authentication/v2/token` },
      },
      { refreshToken: token.refreshToken! },
    ).catch((e: unknown) => e);
    await held.arrived;
    timers.expire(100);
    const error = await pending;
    expect(error).toMatchObject({ code: 'TIMEOUT', endpoint: 'token', mayHaveReachedServer: true });
    expect((error as Error).message).toContain('The refresh may have happened at the server');
  });

  it('an AbortSignal ends a request in flight with AbortedError', async () => {
    const server = await start();
    const proxy = await startGateProxy(server.url);
    onTestFinished(() => proxy.close());
    const config = confidentialConfig(server, {
      endpoints: { token: `${proxy.url}/authentication/v2/token` },
    });
    const held = proxy.hold('/authentication/v2/token');
    const controller = new AbortController();
    const pending = getTwoLeggedToken(config, { scopes: 'data:read', signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    await held.arrived;
    controller.abort();
    const error = await pending;
    expect(isAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ABORTED', endpoint: 'token' });
  });

  it('an already aborted signal sends nothing', async () => {
    const server = await start();
    const error = await exchangeCode(confidentialConfig(server), {
      code: 'abc',
      codeVerifier: 'a'.repeat(43),
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(server.control.requests()).toHaveLength(0);
  });
});
