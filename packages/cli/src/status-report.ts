import { getUserInfo, isTokenExpiring, type Token } from '@aps-auth/core';
import { type FileTokenStore, type LoadedConfig, toCoreConfig } from '@aps-auth/core/node';
import { describeExpiry, formatFields, isoTime, secondsUntil } from './output.js';

export interface StatusUser {
  id: string | null;
  name: string | null;
  email: string | null;
  username: string | null;
}

/** The `status` document (also printed by `login --json` and the demo). Never holds a token or secret. */
export interface StatusDocument {
  profile: string;
  signedIn: boolean;
  /** The access token is past its early-refresh margin (the next `token` refreshes it). */
  expired: boolean | null;
  /** A refresh token is stored. */
  refreshable: boolean | null;
  user: StatusUser | null;
  scopes: string[];
  expiresAt: string | null;
  expiresIn: number | null;
  clientId: string | null;
  baseUrl: string;
  callbackUrl: string;
  home: string;
  sources: Record<string, string>;
}

export interface CollectStatusOptions {
  now: () => number;
  /** Ask the server who is signed in (only while the access token is valid; never refreshes). */
  userInfo: boolean;
  signal?: AbortSignal | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

export async function collectStatus(
  config: LoadedConfig,
  store: FileTokenStore,
  options: CollectStatusOptions,
): Promise<StatusDocument> {
  const token: Token | undefined =
    config.clientId === undefined ? undefined : await store.load(config.profile);
  const now = options.now();
  const expired = token === undefined ? null : isTokenExpiring(token, now);
  let user: StatusUser | null = null;
  if (token !== undefined && expired === false && options.userInfo) {
    try {
      const info = await getUserInfo(toCoreConfig(config, { timeoutMs: 5000, retry: { limit: 0 } }), {
        accessToken: token.accessToken,
        signal: options.signal,
      });
      const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
      user = {
        id: text(info.sub),
        name: text(info.name),
        email: text(info.email),
        username: text(info.preferred_username),
      };
    } catch (error) {
      options.onWarning?.(
        `could not read the user profile: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return {
    profile: config.profile,
    signedIn: token !== undefined,
    expired,
    refreshable: token === undefined ? null : token.refreshToken !== undefined,
    user,
    scopes: token?.scopes ?? [],
    expiresAt: token === undefined ? null : isoTime(token.expiresAt),
    expiresIn: token === undefined ? null : secondsUntil(token.expiresAt, now),
    clientId: config.clientId ?? null,
    baseUrl: config.baseUrl,
    callbackUrl: config.callbackUrl,
    home: config.home,
    sources: { ...config.sources },
  };
}

export function describeUser(user: StatusUser | null): string {
  if (user === null) return 'unknown (the user profile was not read)';
  const name = user.name ?? user.username ?? user.id ?? 'unknown';
  return user.email === null ? name : `${name} <${user.email}>`;
}

export function renderStatus(status: StatusDocument, format: 'table' | 'tsv', now: number): string {
  if (!status.signedIn) {
    return formatFields(format, [
      ['profile', status.profile],
      ['signed in', 'no'],
      ['client id', status.clientId ?? '(none configured)'],
      ['server', status.baseUrl],
    ]);
  }
  const expiresAt = status.expiresAt === null ? null : Date.parse(status.expiresAt);
  const state = status.expired
    ? status.refreshable
      ? 'yes (access token expired; the next use refreshes it)'
      : 'yes (access token expired; sign in again)'
    : 'yes';
  return formatFields(format, [
    ['profile', status.profile],
    ['signed in', state],
    ['user', describeUser(status.user)],
    ['scopes', status.scopes.join(' ')],
    ['expires', expiresAt === null ? 'unknown' : describeExpiry(expiresAt, now)],
    ['client id', status.clientId ?? ''],
    ['server', status.baseUrl],
  ]);
}
