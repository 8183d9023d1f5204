import type { ApsAuthConfig } from '../../config.js';
import { describeWithheldSecret } from '../dotenv-rules.js';
import { FileTokenStore } from '../file-token-store.js';
import { type LoadedConfig, toCoreConfig } from '../load-config.js';
import type { OpenProfileOptions, SessionWarning } from './types.js';

/** What every use case of one opened profile shares. */
export interface SessionContext {
  config: LoadedConfig;
  now: () => number;
  warn: (warning: SessionWarning) => void;
  options: OpenProfileOptions;
}

/** The file store of this profile's client id and server; `lockSignal` stops a wait for another process. */
export function createStore(context: SessionContext, lockSignal?: AbortSignal): FileTokenStore {
  const { config } = context;
  return new FileTokenStore({
    home: config.home,
    clientId: config.clientId,
    baseUrl: config.baseUrl,
    ...(lockSignal === undefined ? {} : { lockSignal }),
    onWarning: (message) => context.warn({ code: 'STORE_NOTICE', message }),
  });
}

/**
 * Core's configuration for a request (every input checked, named as the user knows it), and the warning that a
 * configured secret is withheld by the `.env` rule (it matters now: a request that would carry it is about to
 * be made; `sendsSecret: false` for one that never does, such as userinfo).
 */
export function requestConfig(
  context: SessionContext,
  options: { sendsSecret?: boolean } = {},
): ApsAuthConfig {
  const { config } = context;
  const core = toCoreConfig(config, {
    now: context.now,
    ...(context.options.fetch === undefined ? {} : { fetch: context.options.fetch }),
    ...(context.options.setTimer === undefined ? {} : { setTimer: context.options.setTimer }),
  });
  if (config.secretWithheld !== undefined && options.sendsSecret !== false) {
    context.warn({
      code: 'SECRET_WITHHELD',
      message: describeWithheldSecret(config.secretWithheld, config),
    });
  }
  return core;
}
