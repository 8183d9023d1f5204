export { AbortedError } from './aborted-error.js';
export { ApsAuthError, type ApsAuthErrorCode, type Endpoint } from './aps-auth-error.js';
export {
  AuthorizationResponseError,
  type AuthorizationResponseErrorCode,
} from './authorization-response-error.js';
export { CallbackServerError, type CallbackServerErrorCode } from './callback-server-error.js';
export { ConfigurationError, type InputProblem } from './configuration-error.js';
export {
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
  isTokenOtherClientError,
  isTokenStoreError,
  isUnexpectedResponseError,
} from './guards.js';
export { LoginTimeoutError, type LoginTimeoutStage } from './login-timeout-error.js';
export { NetworkError } from './network-error.js';
export { OAuthError, type OAuthErrorFields } from './oauth-error.js';
export { SignInRequiredError, type SignInRequiredReason } from './sign-in-required-error.js';
export { TimeoutError } from './timeout-error.js';
export { TokenOtherClientError } from './token-other-client-error.js';
export {
  TokenStoreError,
  type TokenStoreErrorCode,
  type TokenStoreUnsafeReason,
} from './token-store-error.js';
export { UnexpectedResponseError, type UnexpectedResponseReason } from './unexpected-response-error.js';
