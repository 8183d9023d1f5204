export { createWebApp } from './create-web-app.js';
export type { WebErrorCode } from './errors.js';
export {
  CALLBACK_PATH,
  DEFAULT_SCOPES,
  MIN_SECRET_LENGTH,
  type WebAppOptions,
  type WebLogEvent,
} from './options.js';
export {
  type CreateRelayPairingOptions,
  createRelayPairing,
  RelayError,
  type RelayErrorCode,
  type RelayPairing,
  type WaitForRelayOptions,
} from './relay/client.js';
export type { RelayEnvelope } from './relay/crypto.js';
export { parseReturnTo } from './return-to.js';
export { MemorySessionStore, type MemorySessionStoreOptions, type SessionStore } from './session-store.js';
export { createSessionTokenStore } from './session-token-store.js';
export { isSessionStoreError, SessionStoreError, type SessionStoreErrorCode } from './store-errors.js';
