export { createWebApp } from './create-web-app.js';
export type { WebErrorCode } from './errors.js';
export { CALLBACK_PATH, MIN_SECRET_LENGTH, type WebAppOptions, type WebLogEvent } from './options.js';
export { parseReturnTo } from './return-to.js';
export { MemorySessionStore, type MemorySessionStoreOptions, type SessionStore } from './session-store.js';
export { createSessionTokenStore } from './session-token-store.js';
