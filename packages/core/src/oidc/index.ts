export { isIdTokenError } from '../errors/guards.js';
export { IdTokenError, type IdTokenErrorReason } from '../errors/id-token-error.js';
export { clearKeySetCache, getKeySet, type JsonWebKeySet } from './jwks-cache.js';
export { type IdTokenClaims, type VerifyIdTokenOptions, verifyIdToken } from './verify-id-token.js';
