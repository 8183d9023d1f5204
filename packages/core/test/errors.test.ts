import { describe, expect, it } from 'vitest';
import { redact, snippetOf } from '../src/errors/redact.js';
import {
  AbortedError,
  ApsAuthError,
  AuthorizationResponseError,
  CallbackServerError,
  ConfigurationError,
  isAbortedError,
  isApsAuthError,
  isAuthorizationResponseError,
  isCallbackServerError,
  isConfigurationError,
  isLoginTimeoutError,
  isNetworkError,
  isOAuthError,
  isSignInRequiredError,
  isTimeoutError,
  isTokenStoreError,
  isUnexpectedResponseError,
  LoginTimeoutError,
  NetworkError,
  OAuthError,
  SignInRequiredError,
  TimeoutError,
  TokenStoreError,
  UnexpectedResponseError,
} from '../src/index.js';
import { IdTokenError, isIdTokenError } from '../src/oidc/index.js';
import { errorFromResponse } from '../src/response.js';

const all = [
  [
    new OAuthError('m', { endpoint: 'token', status: 400, error: 'invalid_grant' }),
    isOAuthError,
    'OAUTH_ERROR',
  ],
  [new SignInRequiredError('no_token', 'm'), isSignInRequiredError, 'SIGN_IN_REQUIRED'],
  [new AuthorizationResponseError('STATE_MISMATCH', 'm'), isAuthorizationResponseError, 'STATE_MISMATCH'],
  [new NetworkError('token', 'm'), isNetworkError, 'NETWORK_ERROR'],
  [new TimeoutError('token', 10, 'm'), isTimeoutError, 'TIMEOUT'],
  [new AbortedError('token', 'm'), isAbortedError, 'ABORTED'],
  [
    new UnexpectedResponseError('m', { endpoint: 'token', status: 502 }),
    isUnexpectedResponseError,
    'UNEXPECTED_RESPONSE',
  ],
  [new ConfigurationError('clientId', 'm'), isConfigurationError, 'CONFIGURATION_ERROR'],
  [new IdTokenError('nonce', 'm'), isIdTokenError, 'ID_TOKEN_INVALID'],
  [
    new CallbackServerError('CALLBACK_PORT_UNAVAILABLE', 'm', { port: 8080, host: 'localhost' }),
    isCallbackServerError,
    'CALLBACK_PORT_UNAVAILABLE',
  ],
  [
    new CallbackServerError('CALLBACK_URL_UNSUPPORTED', 'm'),
    isCallbackServerError,
    'CALLBACK_URL_UNSUPPORTED',
  ],
  [new LoginTimeoutError(1000, 'http://localhost:8080/cb', 'm'), isLoginTimeoutError, 'LOGIN_TIMEOUT'],
  [new TokenStoreError('TOKEN_STORE_CORRUPT', '/x', 'm'), isTokenStoreError, 'TOKEN_STORE_CORRUPT'],
  [new TokenStoreError('TOKEN_STORE_IO', '/x', 'm'), isTokenStoreError, 'TOKEN_STORE_IO'],
] as const;

describe('errors', () => {
  it.each(all)('%s: brand, code, name, exactly one guard', (error, guard, code) => {
    expect(error).toBeInstanceOf(ApsAuthError);
    expect(error).toBeInstanceOf(Error);
    expect(isApsAuthError(error)).toBe(true);
    expect(guard(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(String(error)).toBe(`${error.name}: m`);
    expect(error.stack?.startsWith(`${error.name}: m`)).toBe(true);
    for (const [, other] of all) if (other !== guard) expect(other(error)).toBe(false);
  });

  it('guards work without instanceof (another realm or a duplicate install)', () => {
    const foreign = Object.assign(Object.create(null), {
      [Symbol.for('aps-auth.error')]: true,
      code: 'OAUTH_ERROR',
      name: 'OAuthError',
    });
    expect(isApsAuthError(foreign)).toBe(true);
    expect(isOAuthError(foreign)).toBe(true);
    expect(isApsAuthError(new Error('x'))).toBe(false);
    expect(isApsAuthError({ code: 'OAUTH_ERROR', name: 'OAuthError' })).toBe(false);
    expect(isApsAuthError(null)).toBe(false);
    expect(isApsAuthError('OAuthError')).toBe(false);
  });

  it('serialises its public fields only', () => {
    const cause = new Error('inner');
    const error = new SignInRequiredError('refresh_rejected', 'sign in again', { cause });
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'SignInRequiredError',
      code: 'SIGN_IN_REQUIRED',
      message: 'sign in again',
      reason: 'refresh_rejected',
    });
    const oauth = new OAuthError('m', { endpoint: 'userinfo', status: 403, errorCode: 'AUTH-001' });
    expect(oauth.toJSON()).toEqual({
      name: 'OAuthError',
      code: 'OAUTH_ERROR',
      message: 'm',
      endpoint: 'userinfo',
      status: 403,
      errorCode: 'AUTH-001',
    });
  });
});

describe('response classification', () => {
  const response = (status: number, body: string, headers: Record<string, string> = {}) => ({
    step: 'refresh_token' as const,
    endpoint: 'token' as const,
    status,
    headers: new Headers(headers),
    text: body,
    secrets: ['the-refresh-token-value'],
  });

  it('RFC 6749 errors', () => {
    const e = errorFromResponse(
      response(
        400,
        '{"error":"invalid_grant","error_description":"The refresh token is invalid or expired"}',
      ),
      0,
    );
    expect(e).toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_grant', status: 400 });
    expect(e.message).toBe(
      'Token refresh failed (400 invalid_grant: The refresh token is invalid or expired): the refresh token is invalid, expired or already used: sign in again.',
    );
  });

  it('Retry-After in seconds or as a date', () => {
    expect(errorFromResponse(response(429, 'slow down', { 'retry-after': '7' }), 0)).toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      retryAfter: 7,
    });
    const at = new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString();
    expect(
      errorFromResponse(response(503, '', { 'retry-after': at }), Date.UTC(2030, 0, 1, 0, 0, 0)),
    ).toMatchObject({ retryAfter: 30 });
  });

  it('snippets are short, tag-free and redacted', () => {
    expect(snippetOf('<html><script>var x=1</script><h1>Bad\n\n gateway</h1></html>', [])).toBe(
      'Bad gateway',
    );
    expect(snippetOf('x y '.repeat(200), [])).toHaveLength(201);
    expect(redact('token the-refresh-token-value here', ['the-refresh-token-value'])).toBe(
      'token [redacted] here',
    );
    expect(redact(`jwt ${'a'.repeat(40)}.${'b'.repeat(40)}`, [])).toBe('jwt [redacted].[redacted]');
    expect(snippetOf('   ', [])).toBeUndefined();
  });
});
