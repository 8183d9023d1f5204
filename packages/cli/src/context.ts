import { FileTokenStore, type LoadedConfig, loadConfig } from '@aps-auth/core/node';
import type { Io } from './io.js';

export interface ConfigFlags {
  profile?: string | undefined;
  scopes?: string | undefined;
  callbackUrl?: string | undefined;
}

/** The configuration with the CLI's precedence: flag > environment > `.env` in the cwd > saved profile > default. */
export function loadCliConfig(
  io: Io,
  flags: ConfigFlags = {},
  options: { corruptProfile?: 'throw' | 'report' } = {},
): Promise<LoadedConfig> {
  return loadConfig({
    ...options,
    flags: { profile: flags.profile, scopes: flags.scopes, callbackUrl: flags.callbackUrl },
    env: io.env,
    cwd: io.cwd,
  });
}

/** `lockSignal`: a signal stops a wait for another process's lock (before any token request is sent). */
export function createStore(
  config: LoadedConfig,
  io?: Io,
  options: { lockSignal?: AbortSignal | undefined } = {},
): FileTokenStore {
  return new FileTokenStore({
    home: config.home,
    clientId: config.clientId,
    baseUrl: config.baseUrl,
    ...(options.lockSignal === undefined ? {} : { lockSignal: options.lockSignal }),
    ...(io === undefined
      ? {}
      : { onWarning: (message: string) => io.stderr.write(`aps-auth: ${message}\n`) }),
  });
}
