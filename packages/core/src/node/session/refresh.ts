import type { ApsAuthConfig } from '../../config.js';
import { AbortedError } from '../../errors/aborted-error.js';
import { isSignInRequiredError } from '../../errors/guards.js';
import { SignInRequiredError } from '../../errors/sign-in-required-error.js';
import type { Token } from '../../token.js';
import { TokenManager } from '../../token-manager.js';
import type { FileTokenStore } from '../file-token-store.js';
import type { GetTokenOptions } from './types.js';

/**
 * A valid token through core's manager (lock, re-read, one refresh, rotated refresh token saved first). Loaded
 * only when a refresh may be needed. A refresh token the server rejects is recorded in the token file (under the
 * lock) so that a status says "sign in again" and it is never sent again. A cancel (`signal`) ends a wait for the
 * lock at once, but a refresh whose request is out is finished, and saved, before the promise rejects.
 */
export function refreshProfileToken(
  core: ApsAuthConfig,
  store: FileTokenStore,
  profile: string,
  options: GetTokenOptions,
): Promise<Token> {
  return refresh(core, store, profile, options).catch((error: unknown) => {
    // Name the profile to sign in again (a front end puts it in the command it suggests).
    if (isSignInRequiredError(error) && error.profile === undefined) {
      throw new SignInRequiredError(error.reason, error.message, { cause: error.cause, profile });
    }
    throw error;
  });
}

function refresh(
  core: ApsAuthConfig,
  store: FileTokenStore,
  profile: string,
  options: GetTokenOptions,
): Promise<Token> {
  let refreshing = false;
  let cancelled = false;
  const manager = new TokenManager({
    config: core,
    store,
    key: profile,
    onRefreshStart: () => {
      refreshing = true;
      if (cancelled) options.onCancelWait?.();
    },
    onRefreshRejected: async (rejected) => {
      if (rejected.refreshToken !== undefined)
        await store.markRefreshRejected(profile, rejected.refreshToken);
    },
  });
  const request = { scopes: options.scopes, forceRefresh: options.forceRefresh };
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
