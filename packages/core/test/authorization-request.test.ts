import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuthorizationRequest, isConfigurationError } from '../src/index.js';

const config = {
  clientId: 'my-client',
  redirectUri: 'http://localhost:8080/api/auth/callback',
  scopes: 'data:read viewables:read',
};

describe('createAuthorizationRequest', () => {
  it('builds the APS authorize URL with state and an S256 PKCE challenge', async () => {
    const request = await createAuthorizationRequest(config);
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe('https://developer.api.autodesk.com/authentication/v2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'my-client',
      redirect_uri: 'http://localhost:8080/api/auth/callback',
      scope: 'data:read viewables:read',
      state: request.state,
      code_challenge: createHash('sha256').update(request.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(request.nonce).toBeUndefined();
    expect(request.scopes).toEqual(['data:read', 'viewables:read']);
    expect(request.redirectUri).toBe(config.redirectUri);
  });

  it('adds a nonce when openid is asked, plus prompt and response_mode', async () => {
    const request = await createAuthorizationRequest(config, {
      scopes: ['openid', 'data:read'],
      prompt: 'login',
      responseMode: 'fragment',
    });
    const params = new URL(request.url).searchParams;
    expect(request.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('nonce')).toBe(request.nonce);
    expect(params.get('prompt')).toBe('login');
    expect(params.get('response_mode')).toBe('fragment');
    expect(params.get('scope')).toBe('openid data:read');
  });

  it('creates fresh values every time', async () => {
    const a = await createAuthorizationRequest(config);
    const b = await createAuthorizationRequest(config);
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('allows unknown scopes and moves with baseUrl', async () => {
    const request = await createAuthorizationRequest(
      { ...config, baseUrl: 'http://127.0.0.1:9400' },
      { scopes: ['application:client:read'] },
    );
    expect(request.url.startsWith('http://127.0.0.1:9400/authentication/v2/authorize?')).toBe(true);
    expect(new URL(request.url).searchParams.get('scope')).toBe('application:client:read');
  });

  it.each([
    [{ scopes: [] }, 'scopes'],
    [{ scopes: Array.from({ length: 51 }, (_, i) => `s:${i}`) }, 'scopes'],
    [{ prompt: 'none' }, 'prompt'],
    [{ responseMode: 'web_message' }, 'responseMode'],
  ])('rejects %j', async (options, field) => {
    const error = await createAuthorizationRequest(config, options as never).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as { field: string }).field).toBe(field);
  });

  it('needs a redirect URI and scopes', async () => {
    await expect(createAuthorizationRequest({ clientId: 'x', scopes: 'data:read' })).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      field: 'redirectUri',
    });
    await expect(
      createAuthorizationRequest({ clientId: 'x', redirectUri: config.redirectUri }),
    ).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR', field: 'scopes' });
  });
});
