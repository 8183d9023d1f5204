export { type BaseUrlRules, normalizeBaseUrl, validateBaseUrl } from './base-url.js';
export { validateCallbackUrl } from './callback-url.js';
export { isLoopbackHost } from './http-url.js';
export type { InputCheck, InputLabel } from './input-label.js';
export { checkProfileName, PROFILE_NAME_PATTERN, validateProfileName } from './profile-name.js';
export { MAX_SCOPES, validateScopes } from './scopes.js';
