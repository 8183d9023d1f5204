import type { ApsAuthConfig, FetchLike } from '../../config.js';
import { getUserInfo } from '../../userinfo.js';
import type { LoadedConfig } from '../load-config.js';
import { createStore, requestConfig, type SessionContext } from './context.js';
import { readTokenState, type TokenState } from './token-state.js';
import type { ProfileStatus, SessionWarning, StatusOptions, StatusUser } from './types.js';

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** Who is signed in (one userinfo request, no retry, 5 s); `null` and a warning when it cannot be read. */
export async function readUser(
  core: ApsAuthConfig,
  accessToken: string,
  signal: AbortSignal | undefined,
  onWarning: (warning: SessionWarning) => void,
): Promise<StatusUser | null> {
  try {
    const info = await getUserInfo(
      { ...core, timeoutMs: 5000, retry: { limit: 0 } },
      { accessToken, signal },
    );
    return {
      id: text(info.sub),
      name: text(info.name),
      email: text(info.email),
      username: text(info.preferred_username),
    };
  } catch (error) {
    onWarning({
      code: 'USERINFO_FAILED',
      message: `could not read the user profile: ${error instanceof Error ? error.message : String(error)}`,
    });
    return null;
  }
}

/** The status document of one read of the token file. */
export function describeState(
  config: LoadedConfig,
  tokenPath: string,
  read: TokenState,
  now: number,
  user: StatusUser | null,
): ProfileStatus {
  const token =
    read.state === 'valid' || read.state === 'expiring' || read.state === 'refresh-rejected'
      ? read.file.token
      : undefined;
  const problem =
    read.state === 'corrupt' || read.state === 'other-client' || read.state === 'refresh-rejected'
      ? {
          code: read.error.code,
          message: read.error.message,
          ...(read.state === 'refresh-rejected' ? { reason: read.error.reason } : {}),
        }
      : null;
  return {
    profile: config.profile,
    state: read.state,
    signedIn: read.state === 'valid' || read.state === 'expiring',
    expiresAt: token?.expiresAt ?? null,
    expiresIn: token === undefined ? null : Math.floor((token.expiresAt - now) / 1000),
    refreshable:
      token === undefined ? null : token.refreshToken !== undefined && read.state !== 'refresh-rejected',
    scopes: token === undefined ? [] : [...token.scopes],
    user,
    clientId: config.clientId ?? null,
    baseUrl: config.baseUrl,
    callbackUrl: config.callbackUrl,
    home: config.home,
    tokenPath,
    sources: { ...config.sources },
    storedFor:
      read.state === 'other-client'
        ? { clientId: read.error.storedClientId ?? null, baseUrl: read.error.storedBaseUrl ?? null }
        : null,
    refreshRejectedAt: read.state === 'refresh-rejected' ? read.rejectedAt : null,
    problem,
  };
}

/** The status of a profile: one read of its token file (and, with `userInfo`, one userinfo request). */
export async function readStatus(context: SessionContext, options: StatusOptions): Promise<ProfileStatus> {
  const { config } = context;
  const store = createStore(context);
  const read = await readTokenState(config, store, context.now());
  const user =
    read.state === 'valid' && options.userInfo === true
      ? await readUser(
          requestConfig(context, { sendsSecret: false }),
          read.file.token.accessToken,
          options.signal,
          context.warn,
        )
      : null;
  return describeState(config, store.pathFor(config.profile), read, context.now(), user);
}

/** The status of an already loaded configuration (what `ProfileSession.status` returns). */
export function readProfileStatus(
  config: LoadedConfig,
  options: StatusOptions & {
    now?: (() => number) | undefined;
    onWarning?: ((warning: SessionWarning) => void) | undefined;
    fetch?: FetchLike | undefined;
  } = {},
): Promise<ProfileStatus> {
  return readStatus(
    {
      config,
      now: options.now ?? Date.now,
      warn: options.onWarning ?? (() => undefined),
      options: { fetch: options.fetch },
    },
    options,
  );
}
