export { type BaseUrlRules, normalizeBaseUrl, validateBaseUrl } from './base-url.js';
export { validateCallbackUrl } from './callback-url.js';
export { isLoopbackHost } from './http-url.js';
export { describeInput, type InputCheck, type InputLabel, unwrap } from './input-label.js';
export { checkProfileName, PROFILE_NAME_PATTERN, validateProfileName } from './profile-name.js';
export { MAX_SCOPES, splitScopes, validateScopes } from './scopes.js';
