export { loadWebEnv, type WebEnvConfig } from './env-config.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
export { type Running, type RunOptions, runWebServer } from './run.js';
export { type RunningWebServer, type StartWebServerOptions, startWebServer } from './server.js';
