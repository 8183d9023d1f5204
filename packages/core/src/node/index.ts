export { type CallbackPage, escapeHtml, renderCallbackPage } from './callback-page.js';
export {
  CLOCK_FAIL_MS,
  CLOCK_WARN_MS,
  type DiagnoseOptions,
  type DiagnosticCheck,
  type DiagnosticId,
  type DiagnosticReport,
  type DiagnosticStatus,
  diagnose,
} from './diagnose.js';
export type { WithheldSecret } from './dotenv-rules.js';
export { LOCK_NOTICE_MS, LOCK_STALE_MS } from './file-lock.js';
export { FileTokenStore, type FileTokenStoreOptions, type TokenFile } from './file-token-store.js';
export {
  type ConfigField,
  type ConfigSource,
  type ConfigWarning,
  DEFAULT_CALLBACK_URL,
  DEFAULT_SCOPES,
  defaultHome,
  hasCredentials,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  normalizeBaseUrl,
  refuseDotenvProfileChange,
  splitScopes,
  toCoreConfig,
} from './load-config.js';
export { DEFAULT_LOGIN_TIMEOUT_MS, type LoginEvent, type LoginOptions, login } from './login.js';
export {
  type CallbackVerdict,
  type LoopbackServer,
  type LoopbackServerOptions,
  loopbackAddressesFor,
  startLoopbackServer,
} from './loopback-server.js';
export { checkProfileName, PROFILE_NAME_PATTERN } from './profile-name.js';
export {
  deleteProfile,
  listProfiles,
  loadProfile,
  type ProfileSettings,
  type ProfileSummary,
  saveProfile,
} from './profiles.js';
export * from './session/index.js';
