export { createEmulator, DEFAULT_USER, DroppedConnectionError, type Emulator } from './create-emulator.js';
export { escapeHtml } from './pages.js';
export { DEFAULT_RATE_LIMITS } from './rate-limit.js';
export { ACCESS_TOKEN_AUDIENCE } from './tokens.js';
export type * from './types.js';
