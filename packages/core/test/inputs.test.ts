import { describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  normalizeBaseUrl,
  normalizeScopes,
  resolveConfig,
  validateBaseUrl,
  validateCallbackUrl,
  validateProfileName,
  validateScopes,
} from '../src/index.js';
import { splitScopes } from '../src/inputs/scopes.js';

// One validator per input, one field at a time (a set-up screen calls them as the user types): the
// normalised value, or core's message with a stable `problem` and the input named as the user knows it.

const env = { name: 'APS_CALLBACK_URL', source: 'the environment' };

describe('validateCallbackUrl', () => {
  it('keeps a valid URL exactly (trimmed): APS compares it as a string', () => {
    expect(validateCallbackUrl(' http://localhost:8080/api/auth/callback ')).toEqual({
      ok: true,
      value: 'http://localhost:8080/api/auth/callback',
    });
    expect(validateCallbackUrl('https://app.example/cb?x=1')).toMatchObject({ ok: true });
  });

  it.each([
    ['', 'missing', 'APS_CALLBACK_URL (from the environment) is required: an absolute http(s) URL.'],
    ['not a url', 'not-a-url', 'APS_CALLBACK_URL (from the environment) is not a valid URL.'],
    [
      'ftp://x/cb',
      'not-http',
      'APS_CALLBACK_URL "ftp://x/cb" (from the environment) must use http or https.',
    ],
    [
      'http://localhost:8080/cb#x',
      'fragment',
      'APS_CALLBACK_URL "http://localhost:8080/cb#x" (from the environment) must not contain a fragment (#).',
    ],
    [
      'http://user:pw@localhost:8080/cb',
      'credentials',
      'APS_CALLBACK_URL (from the environment) must not contain a user name or password.',
    ],
  ])('%j: %s', (value, problem, message) => {
    const check = validateCallbackUrl(value, env);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error).toMatchObject({
      code: 'CONFIGURATION_ERROR',
      field: 'redirectUri',
      problem,
      input: 'APS_CALLBACK_URL',
      message,
    });
  });

  it('a library argument is named redirectUri and its value is never echoed', () => {
    expect(() => resolveConfig({ clientId: 'id', redirectUri: 'http://x/secret-value#f' })).toThrow(
      /^redirectUri must not contain a fragment \(#\)\.$/,
    );
  });
});

describe('validateBaseUrl', () => {
  it('one normal form: trimmed, no trailing slashes', () => {
    expect(normalizeBaseUrl(' https://a.example// ')).toBe('https://a.example');
    expect(validateBaseUrl('https://a.example/')).toEqual({ ok: true, value: 'https://a.example' });
  });

  it('https unless the host is loopback; allowHttp opts out', () => {
    for (const url of [
      'http://localhost:9400',
      'http://127.0.0.1:1',
      'http://[::1]:2',
      'http://x.localhost',
    ]) {
      expect(validateBaseUrl(url).ok, url).toBe(true);
    }
    const check = validateBaseUrl('http://auth.example', { name: 'APS_BASE_URL', source: '/repo/.env' });
    expect(check).toMatchObject({ ok: false, error: { field: 'baseUrl', problem: 'insecure-http' } });
    if (!check.ok) expect(check.error.message).toContain('APS_AUTH_ALLOW_HTTP=1');
    expect(validateBaseUrl('http://auth.example', undefined, { allowHttp: true }).ok).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('localhost.evil.example')).toBe(false);
  });
});

describe('validateProfileName', () => {
  it('one pattern', () => {
    expect(validateProfileName('work-1.x_y')).toEqual({ ok: true, value: 'work-1.x_y' });
    for (const bad of ['', '../x', '.hidden', 'a/b', 'x'.repeat(65)]) {
      expect(validateProfileName(bad)).toMatchObject({
        ok: false,
        error: { field: 'profile', problem: 'invalid-profile-name' },
      });
    }
  });
});

describe('scopes: one rule, white space or commas', () => {
  it('splits "a,b", "a b" and "a, b" alike, in core and for the front ends', () => {
    for (const text of ['data:read,data:write', 'data:read data:write', ' data:read,  data:write ,']) {
      expect(splitScopes(text)).toEqual(['data:read', 'data:write']);
      expect(normalizeScopes(text)).toEqual(['data:read', 'data:write']);
    }
    expect(normalizeScopes(['data:read,data:write', 'data:read'])).toEqual(['data:read', 'data:write']);
  });

  it('refuses with a problem per case', () => {
    expect(validateScopes('')).toMatchObject({ ok: false, error: { problem: 'missing' } });
    expect(validateScopes('a"b')).toMatchObject({ ok: false, error: { problem: 'invalid-scope' } });
    const many = Array.from({ length: 51 }, (_, i) => `s${i}`).join(' ');
    expect(validateScopes(many, { name: 'APS_SCOPES', source: 'the environment' })).toMatchObject({
      ok: false,
      error: { problem: 'too-many-scopes', input: 'APS_SCOPES' },
    });
  });
});
