import type { AbortedError } from './aborted-error.js';
import { type ApsAuthError, ERROR_BRAND } from './aps-auth-error.js';
import type { AuthorizationResponseError } from './authorization-response-error.js';
import type { CallbackServerError } from './callback-server-error.js';
import type { ConfigurationError } from './configuration-error.js';
import type { IdTokenError } from './id-token-error.js';
import type { LoginTimeoutError } from './login-timeout-error.js';
import type { NetworkError } from './network-error.js';
import type { OAuthError } from './oauth-error.js';
import type { SignInRequiredError } from './sign-in-required-error.js';
import type { TimeoutError } from './timeout-error.js';
import type { TokenOtherClientError } from './token-other-client-error.js';
import type { TokenStoreError } from './token-store-error.js';
import type { UnexpectedResponseError } from './unexpected-response-error.js';

/** True for any error thrown by `@aps-auth/core`, from any copy or realm (checks a brand, not `instanceof`). */
export function isApsAuthError(value: unknown): value is ApsAuthError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

const byName =
  <T extends ApsAuthError>(name: string) =>
  (value: unknown): value is T =>
    isApsAuthError(value) && value.name === name;

export const isOAuthError: (value: unknown) => value is OAuthError = byName('OAuthError');
export const isSignInRequiredError: (value: unknown) => value is SignInRequiredError =
  byName('SignInRequiredError');
export const isAuthorizationResponseError: (value: unknown) => value is AuthorizationResponseError = byName(
  'AuthorizationResponseError',
);
export const isNetworkError: (value: unknown) => value is NetworkError = byName('NetworkError');
export const isTimeoutError: (value: unknown) => value is TimeoutError = byName('TimeoutError');
export const isAbortedError: (value: unknown) => value is AbortedError = byName('AbortedError');
export const isUnexpectedResponseError: (value: unknown) => value is UnexpectedResponseError =
  byName('UnexpectedResponseError');
export const isConfigurationError: (value: unknown) => value is ConfigurationError =
  byName('ConfigurationError');
export const isIdTokenError: (value: unknown) => value is IdTokenError = byName('IdTokenError');
export const isCallbackServerError: (value: unknown) => value is CallbackServerError =
  byName('CallbackServerError');
export const isLoginTimeoutError: (value: unknown) => value is LoginTimeoutError =
  byName('LoginTimeoutError');
export const isTokenStoreError: (value: unknown) => value is TokenStoreError = byName('TokenStoreError');
export const isTokenOtherClientError: (value: unknown) => value is TokenOtherClientError =
  byName('TokenOtherClientError');
