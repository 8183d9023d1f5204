import { describe, expect, it } from 'vitest';
import { APS_USERINFO_URL, isConfigurationError, normalizeScopes, resolveConfig } from '../src/index.js';

describe('resolveConfig', () => {
  it('defaults to the APS v2 endpoints, with userinfo on its own host', () => {
    const config = resolveConfig({ clientId: 'id' });
    expect(config.endpoints).toEqual({
      authorize: 'https://developer.api.autodesk.com/authentication/v2/authorize',
      token: 'https://developer.api.autodesk.com/authentication/v2/token',
      revoke: 'https://developer.api.autodesk.com/authentication/v2/revoke',
      introspect: 'https://developer.api.autodesk.com/authentication/v2/introspect',
      logout: 'https://developer.api.autodesk.com/authentication/v2/logout',
      keys: 'https://developer.api.autodesk.com/authentication/v2/keys',
      userinfo: APS_USERINFO_URL,
    });
    expect(config.issuer).toBe('https://developer.api.autodesk.com');
    expect(config.timeoutMs).toBe(30_000);
    expect(config.clientSecret).toBeUndefined();
  });

  it('moves every endpoint with baseUrl, userinfo at {base}/userinfo', () => {
    const config = resolveConfig({ clientId: 'id', baseUrl: 'http://127.0.0.1:9400/' });
    expect(config.endpoints.token).toBe('http://127.0.0.1:9400/authentication/v2/token');
    expect(config.endpoints.userinfo).toBe('http://127.0.0.1:9400/userinfo');
    expect(config.endpoints.keys).toBe('http://127.0.0.1:9400/authentication/v2/keys');
    expect(config.issuer).toBe('http://127.0.0.1:9400');
  });

  it('accepts single endpoint overrides', () => {
    const config = resolveConfig({ clientId: 'id', endpoints: { userinfo: 'https://example.test/me' } });
    expect(config.endpoints.userinfo).toBe('https://example.test/me');
  });

  it('keeps the secret out of enumeration and serialisation', () => {
    const config = resolveConfig({ clientId: 'id', clientSecret: 'top-secret-value' });
    expect(config.clientSecret).toBe('top-secret-value');
    expect(JSON.stringify(config)).not.toContain('top-secret-value');
    expect(Object.keys(config)).not.toContain('clientSecret');
  });

  it.each([undefined, null, 'id', 42])('rejects %j as the configuration with a ConfigurationError', (bad) => {
    try {
      resolveConfig(bad as never);
      expect.unreachable();
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
      expect((error as { field: string }).field).toBe('config');
    }
  });

  it('does not echo an invalid URL value', () => {
    expect(() => resolveConfig({ clientId: 'id', redirectUri: 'not-a-url-VALUE' })).toThrow(
      /^redirectUri is not a valid URL\.$/,
    );
  });

  it('is idempotent', () => {
    const config = resolveConfig({ clientId: 'id', clientSecret: 's3cr3t' });
    expect(resolveConfig(config)).toBe(config);
  });

  it.each([
    [{ clientId: '' }, 'clientId'],
    [{ clientId: 'id', clientSecret: '' }, 'clientSecret'],
    [{ clientId: 'id', redirectUri: 'not a url' }, 'redirectUri'],
    [{ clientId: 'id', redirectUri: 'http://localhost:8080/cb#x' }, 'redirectUri'],
    [{ clientId: 'id', baseUrl: 'ftp://example.test' }, 'baseUrl'],
    [{ clientId: 'id', timeoutMs: 0 }, 'timeoutMs'],
    [{ clientId: 'id', timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ clientId: 'id', retry: { limit: -1 } }, 'retry.limit'],
    [{ clientId: 'id', scopes: [] }, 'scopes'],
    [{ clientId: 'id', endpoints: { nope: 'https://x.test' } as never }, 'endpoints.nope'],
  ])('rejects %j with a ConfigurationError on %s', (input, field) => {
    try {
      resolveConfig(input as never);
      expect.unreachable();
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
      expect((error as { field: string }).field).toBe(field);
    }
  });
});

describe('normalizeScopes', () => {
  it('accepts strings and arrays, drops duplicates, allows unknown scopes', () => {
    expect(normalizeScopes('data:read  viewables:read data:read')).toEqual(['data:read', 'viewables:read']);
    expect(normalizeScopes(['application:client:read', 'data:read:urn:adsk.x'])).toEqual([
      'application:client:read',
      'data:read:urn:adsk.x',
    ]);
  });

  it('allows 50 scopes and rejects 51', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `scope:${i}`);
    expect(normalizeScopes(fifty)).toHaveLength(50);
    expect(() => normalizeScopes([...fifty, 'one:more'])).toThrow(/at most 50/);
  });

  it('rejects empty lists and invalid characters', () => {
    expect(() => normalizeScopes('')).toThrow(/At least one scope/);
    expect(() => normalizeScopes(['data"read'])).toThrow(/Invalid scope/);
    expect(() => normalizeScopes(['da\\ta'])).toThrow(/Invalid scope/);
  });
});
