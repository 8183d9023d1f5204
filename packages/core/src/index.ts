export { type CallbackPage, renderCallbackPage } from './callback-page.js';
export {
  APS_BASE_URL,
  APS_USERINFO_URL,
  type ApsAuthConfig,
  type Endpoints,
  type FetchLike,
  type ResolvedConfig,
  resolveConfig,
  type SetTimer,
} from './config.js';
export {
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
  createAuthorizationRequest,
} from './create-authorization-request.js';
export * from './errors/index.js';
export { type ExchangeCodeOptions, exchangeCode } from './exchange-code.js';
export * from './inputs/index.js';
export {
  type Introspection,
  type IntrospectionResponse,
  type IntrospectTokenOptions,
  introspectToken,
} from './introspect.js';
export { buildLogoutUrl, type LogoutUrlOptions } from './logout-url.js';
export { MemoryTokenStore } from './memory-store.js';
export {
  type CallbackCheck,
  type CallbackInput,
  type CallbackRefusalCode,
  type CallbackResult,
  checkCallback,
  type ParseCallbackOptions,
  parseCallback,
} from './parse-callback.js';
export { CODE_VERIFIER_PATTERN, computeCodeChallenge, createCodeVerifier } from './pkce.js';
export { type RefreshTokenOptions, refreshToken } from './refresh-token.js';
export * from './relay/index.js';
export { type RevokeTokenOptions, revokeToken } from './revoke.js';
export { normalizeScopes } from './scopes.js';
export {
  isToken,
  isTokenExpiring,
  MAX_REFRESH_MARGIN_MS,
  refreshMarginMs,
  type Token,
  type TokenResponse,
} from './token.js';
export {
  type GetTokenOptions,
  type RevocationFailure,
  type SignOutOptions,
  type SignOutResult,
  TokenManager,
  type TokenManagerOptions,
} from './token-manager.js';
export type { TokenStore } from './token-store.js';
export { getTwoLeggedToken, type TwoLeggedOptions } from './two-legged.js';
export {
  type GetUserInfoOptions,
  getUserInfo,
  type UserInfo,
} from './userinfo.js';
