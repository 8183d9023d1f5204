import { AbortedError, type Token, TokenManager } from '@aps-auth/core';
import { type FileTokenStore, type LoadedConfig, toCoreConfig } from '@aps-auth/core/node';

export interface ValidTokenOptions {
  scopes?: string | undefined;
  forceRefresh?: boolean | undefined;
  now?: (() => number) | undefined;
  /**
   * Stops the caller waiting (Ctrl+C, SIGTERM): the promise rejects with `AbortedError`, but only once a
   * refresh already in flight has ended, so that its rotated refresh token is saved (the old one is spent:
   * abandoning the refresh, or exiting, could lose the sign-in). `onCancelWait` is told once a refresh request
   * has gone out (at once if it already had). A wait for another process's lock, before any request, is
   * stopped at once when the store was made with the same signal (`createStore`'s `lockSignal`).
   */
  signal?: AbortSignal | undefined;
  onCancelWait?: (() => void) | undefined;
}

/** A valid token through core's manager: lock, re-read, one refresh, rotated refresh token saved first. */
export function getValidToken(
  config: LoadedConfig,
  store: FileTokenStore,
  options: ValidTokenOptions = {},
): Promise<Token> {
  let refreshing = false;
  let cancelled = false;
  const manager = new TokenManager({
    config: toCoreConfig(config, options.now === undefined ? {} : { now: options.now }),
    store,
    key: config.profile,
    onRefreshStart: () => {
      refreshing = true;
      if (cancelled) options.onCancelWait?.();
    },
  });
  const request = {
    ...(options.scopes === undefined ? {} : { scopes: options.scopes.split(/[\s,]+/).filter(Boolean) }),
    forceRefresh: options.forceRefresh,
  };
  const signal = options.signal;
  if (signal === undefined) return manager.getToken(request);
  if (signal.aborted) return Promise.reject(new AbortedError(undefined, 'Cancelled.'));
  // The flight itself (never aborted), and this caller's wait on it (core's single flight joins them).
  const flight = manager.getToken(request);
  flight.catch(() => undefined);
  return manager.getToken({ ...request, signal }).catch(async (error: unknown) => {
    if (signal.aborted) {
      cancelled = true;
      // Only a refresh whose request is out is waited for ("in flight"); a lock wait ends with the signal.
      if (refreshing) options.onCancelWait?.();
      await flight.catch(() => undefined);
    }
    throw error;
  });
}
