import { isTokenStoreError } from '../../errors/guards.js';
import { SignInRequiredError } from '../../errors/sign-in-required-error.js';
import { TokenOtherClientError } from '../../errors/token-other-client-error.js';
import type { TokenStoreError } from '../../errors/token-store-error.js';
import { normalizeBaseUrl } from '../../inputs/base-url.js';
import { isTokenExpiring } from '../../token.js';
import type { FileTokenStore, TokenFile } from '../file-token-store.js';
import type { LoadedConfig } from '../load-config.js';
import type { ProfileState } from './types.js';

/** One read of the token file, classified. */
export type TokenState =
  | { state: 'signed-out'; file: TokenFile | undefined }
  | { state: 'corrupt'; error: TokenStoreError }
  | { state: 'other-client'; file: TokenFile; error: TokenOtherClientError }
  | {
      state: 'refresh-rejected';
      file: TokenFile;
      rejectedAt: number;
      /** The access token is still valid (it can be used until it expires; nothing can renew it). */
      usable: boolean;
      error: SignInRequiredError;
    }
  | { state: Extract<ProfileState, 'valid' | 'expiring'>; file: TokenFile };

/** Reads the profile's token file once and says what it amounts to for this configuration. */
export async function readTokenState(
  config: LoadedConfig,
  store: FileTokenStore,
  now: number,
): Promise<TokenState> {
  let file: TokenFile | undefined;
  try {
    file = await store.loadFile(config.profile);
  } catch (error) {
    if (isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT') return { state: 'corrupt', error };
    throw error;
  }
  if (file === undefined || config.clientId === undefined) return { state: 'signed-out', file };
  const storedBase = file.baseUrl === undefined ? undefined : normalizeBaseUrl(file.baseUrl);
  if (file.clientId !== config.clientId || storedBase !== config.baseUrl) {
    const error = new TokenOtherClientError({
      profile: config.profile,
      storedClientId: file.clientId,
      storedBaseUrl: storedBase,
      clientId: config.clientId,
      baseUrl: config.baseUrl,
    });
    return { state: 'other-client', file, error };
  }
  const expiring = isTokenExpiring(file.token, now);
  if (file.refreshRejectedAt !== undefined) {
    const rejectedAt = Date.parse(file.refreshRejectedAt);
    const error = new SignInRequiredError(
      'refresh_rejected',
      `The server rejected the refresh token of profile "${config.profile}" (at ${file.refreshRejectedAt}): sign in again.`,
      { profile: config.profile },
    );
    return { state: 'refresh-rejected', file, rejectedAt, usable: !expiring, error };
  }
  return { state: expiring ? 'expiring' : 'valid', file };
}

/** The error `getToken` throws for a state without a usable token. */
export function notSignedIn(profile: string): SignInRequiredError {
  return new SignInRequiredError('no_token', `Not signed in (profile "${profile}").`, { profile });
}
