export {
  type DiagnoseOptions,
  type DiagnosticCheck,
  type DiagnosticId,
  type DiagnosticReport,
  type DiagnosticStatus,
  diagnose,
} from './diagnose.js';
export type { WithheldSecret } from './dotenv-rules.js';
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
  toCoreConfig,
} from './load-config.js';
export {
  DEFAULT_LOGIN_TIMEOUT_MS,
  type LoginEvent,
  type LoginOptions,
  type LoginRefusalCode,
  login,
} from './login.js';
export { type LoopbackTarget, parseLoopbackUrl } from './loopback/loopback-url.js';
export {
  type CallbackContext,
  type CallbackVerdict,
  type LoopbackLimits,
  type LoopbackServer,
  type LoopbackServerOptions,
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
