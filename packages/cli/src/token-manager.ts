import { type Token, TokenManager } from '@aps-auth/core';
import { type FileTokenStore, type LoadedConfig, toCoreConfig } from '@aps-auth/core/node';

export interface ValidTokenOptions {
  scopes?: string | undefined;
  forceRefresh?: boolean | undefined;
  now?: (() => number) | undefined;
}

/** A valid token through core's manager: lock, re-read, one refresh, rotated refresh token saved first. */
export function getValidToken(
  config: LoadedConfig,
  store: FileTokenStore,
  options: ValidTokenOptions = {},
): Promise<Token> {
  const manager = new TokenManager({
    config: toCoreConfig(config, options.now === undefined ? {} : { now: options.now }),
    store,
    key: config.profile,
  });
  return manager.getToken({
    ...(options.scopes === undefined ? {} : { scopes: options.scopes.split(/[\s,]+/).filter(Boolean) }),
    forceRefresh: options.forceRefresh,
  });
}
