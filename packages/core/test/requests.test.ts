import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { buildExchangeCodeRequest, exchangeCode } from '../src/exchange-code.js';
import { getTwoLeggedToken, MemoryTokenStore, TokenManager } from '../src/index.js';
import { buildIntrospectRequest } from '../src/introspect.js';
import { buildRefreshTokenRequest } from '../src/refresh-token.js';
import { buildRevokeRequest } from '../src/revoke.js';
import { buildTwoLeggedRequest } from '../src/two-legged.js';
import { buildUserInfoRequest } from '../src/userinfo.js';
import { confidentialConfig, recorder, start } from './helpers.js';

const verifier = 'v'.repeat(43);
const formEncoded = (value: string) => new URLSearchParams({ x: value }).toString().slice(2);
const redirectUri = 'http://localhost:8080/api/auth/callback';

describe('request building (no server)', () => {
  it('exact token request of a confidential client', () => {
    const config = resolveConfig({ clientId: 'id', clientSecret: 'secret', redirectUri });
    const request = buildExchangeCodeRequest(config, { code: 'the-code', codeVerifier: verifier });
    expect(request).toMatchObject({
      step: 'authorization_code',
      endpoint: 'token',
      method: 'POST',
      url: 'https://developer.api.autodesk.com/authentication/v2/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('id:secret')}`,
      },
    });
    expect(request.body!.toString()).toBe(
      `grant_type=authorization_code&code=the-code&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=${verifier}`,
    );
    expect(request.secrets).toEqual(
      expect.arrayContaining(['the-code', verifier, 'secret', btoa('id:secret')]),
    );
  });

  it('property: Basic xor client_id in the body, never client_secret in a body, for every request', () => {
    const printable = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s !== '');
    fc.assert(
      fc.property(printable, fc.option(printable, { nil: undefined }), (clientId, clientSecret) => {
        const config = resolveConfig({ clientId, clientSecret, redirectUri, scopes: 'data:read' });
        const requests = [
          buildExchangeCodeRequest(config, { code: 'c', codeVerifier: verifier }),
          buildRefreshTokenRequest(config, { refreshToken: 'r', scopes: 'viewables:read' }),
          buildRevokeRequest(config, { token: 't', tokenTypeHint: 'access_token' }),
          buildIntrospectRequest(config, { token: 't' }),
          ...(clientSecret === undefined ? [] : [buildTwoLeggedRequest(config)]),
        ];
        for (const request of requests) {
          const basic = request.headers.authorization;
          expect(request.body!.has('client_secret')).toBe(false);
          if (clientSecret === undefined) {
            expect(basic).toBeUndefined();
            expect(request.body!.get('client_id')).toBe(clientId);
          } else {
            expect(request.body!.has('client_id')).toBe(false);
            const decoded = new TextDecoder().decode(
              Uint8Array.from(atob(basic!.slice('Basic '.length)), (c) => c.charCodeAt(0)),
            );
            // RFC 6749 2.3.1: each half application/x-www-form-urlencoded, exactly as URLSearchParams writes it.
            expect(decoded).toBe(`${formEncoded(clientId)}:${formEncoded(clientSecret)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("Basic halves escape !'()*~ and write a space as +", () => {
    const config = resolveConfig({ clientId: "a!b'c", clientSecret: '(x) *y~ z', redirectUri });
    const basic = buildRevokeRequest(config, { token: 't', tokenTypeHint: 'access_token' }).headers
      .authorization!;
    expect(atob(basic.slice('Basic '.length))).toBe('a%21b%27c:%28x%29+*y%7E+z');
  });

  it('userinfo is a GET with a Bearer token and no body', () => {
    const config = resolveConfig({ clientId: 'id', baseUrl: 'http://127.0.0.1:9400' });
    const request = buildUserInfoRequest(config, { accessToken: 'at' });
    expect(request).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:9400/userinfo',
      headers: { authorization: 'Bearer at' },
    });
    expect(request.body).toBeUndefined();
  });

  it('arguments are checked before anything is sent', () => {
    const config = resolveConfig({ clientId: 'id' });
    expect(() => buildRefreshTokenRequest(config, { refreshToken: '' })).toThrow(/refreshToken is required/);
    expect(() => buildRevokeRequest(config, { token: '', tokenTypeHint: 'access_token' })).toThrow(
      /token is required/,
    );
    expect(() => buildIntrospectRequest(config, { token: '' })).toThrow(/token is required/);
    expect(() => buildUserInfoRequest(config, { accessToken: '' })).toThrow(/accessToken is required/);
    expect(() => buildExchangeCodeRequest(config, { code: 'c', codeVerifier: verifier })).toThrow(
      /redirectUri/,
    );
  });
});

describe('interoperability', () => {
  it('a secret with reserved characters authenticates at the emulator (RFC 6749 2.3.1 encoding)', async () => {
    const secret = 'p@ss:w0rd +/%&=?';
    const server = await start({
      clients: [{ clientId: 'odd.client_id-1', clientSecret: secret, redirectUris: [redirectUri] }],
    });
    const token = await getTwoLeggedToken(
      { clientId: 'odd.client_id-1', clientSecret: secret, baseUrl: server.url },
      {
        scopes: 'data:read',
      },
    );
    expect(token.accessToken).toBeTruthy();
    expect(server.control.requests().at(-1)).toMatchObject({ clientAuth: 'basic', status: 200 });
  });

  it('sends no User-Agent when configured so, and none by default in a browser', async () => {
    const server = await start();
    const rec = recorder();
    await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch, userAgent: false }), {
      scopes: 'data:read',
    });
    await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch, userAgent: 'my-tool/1.0' }), {
      scopes: 'data:read',
    });
    const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0';
    // A browser page, then a browser Web Worker (no document): a User-Agent would force a CORS preflight.
    vi.stubGlobal('document', {});
    vi.stubGlobal('navigator', { userAgent: browser });
    await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch }), { scopes: 'data:read' });
    vi.unstubAllGlobals();
    vi.stubGlobal('navigator', { userAgent: browser });
    await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch }), { scopes: 'data:read' });
    // Server runtimes: Deno, and this Node.
    vi.stubGlobal('navigator', { userAgent: 'Deno/2.5.0' });
    await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch }), { scopes: 'data:read' });
    vi.unstubAllGlobals();
    await getTwoLeggedToken(confidentialConfig(server, { fetch: rec.fetch }), { scopes: 'data:read' });
    expect(rec.calls.map((c) => c.headers['user-agent'])).toEqual([
      undefined,
      'my-tool/1.0',
      undefined,
      undefined,
      'aps-auth-core',
      'aps-auth-core',
    ]);
  });

  it('a corrupt stored token is reported, not used', async () => {
    const store = new MemoryTokenStore();
    await store.save('default', { accessToken: 'a', tokenType: 'Bearer' } as never);
    const manager = new TokenManager({ config: { clientId: 'x' }, store });
    await expect(manager.getAccessToken()).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      field: 'store',
    });
  });
});

describe('transport: the platform fetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('without an injected fetch, gets what ky built as a URL and options, with the body as built', async () => {
    const calls: { input: unknown; init: RequestInit | undefined }[] = [];
    vi.stubGlobal('fetch', async (input: unknown, init?: RequestInit) => {
      calls.push({ input, init });
      return new Response(JSON.stringify({ access_token: 'a', token_type: 'Bearer', expires_in: 3599 }), {
        headers: { 'content-type': 'application/json' },
      });
    });
    const config = { clientId: 'id', clientSecret: 'secret', redirectUri, userAgent: 'my-tool/1.0' };
    const controller = new AbortController();
    await exchangeCode(config, { code: 'the-code', codeVerifier: verifier, signal: controller.signal });
    expect(calls).toHaveLength(1);
    const [{ input, init }] = calls as [{ input: unknown; init: RequestInit }];
    // Not a Request: fetch would copy it and pipe its body through a stream.
    expect(input).toBe('https://developer.api.autodesk.com/authentication/v2/token');
    expect(init.method).toBe('POST');
    expect(init.redirect).toBe('manual');
    expect(init.body).toBeInstanceOf(URLSearchParams);
    expect(String(init.body)).toBe(
      buildExchangeCodeRequest(resolveConfig(config), {
        code: 'the-code',
        codeVerifier: verifier,
      }).body!.toString(),
    );
    const headers = new Headers(init.headers);
    expect(headers.get('authorization')).toBe(`Basic ${btoa('id:secret')}`);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(headers.get('accept')).toBe('application/json');
    expect(headers.get('user-agent')).toBe('my-tool/1.0');
    // The signal follows the caller's (and ky's timeout).
    expect(init.signal?.aborted).toBe(false);
    controller.abort();
    expect(init.signal?.aborted).toBe(true);
  });
});
