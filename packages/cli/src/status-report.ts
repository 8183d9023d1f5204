import {
  type FileTokenStore,
  type LoadedConfig,
  type ProfileStatus,
  readProfileStatus,
  type StatusUser,
} from '@aps-auth/core/node';
import { describeExpiry, formatFields, isoTime } from './output.js';

export type { StatusUser };

/** The `status` document (also printed by `login --json` and the demo). Never holds a token or secret. */
export interface StatusDocument {
  profile: string;
  /** `signed-out`, `valid`, `expiring`, `refresh-rejected`, `other-client` or `corrupt` (core's `ProfileState`). */
  state: ProfileStatus['state'];
  signedIn: boolean;
  /** The access token is past its early-refresh margin (the next `token` refreshes it). */
  expired: boolean | null;
  /** A refresh token is stored (and was not rejected). */
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
  /** Why there is no usable token, by code (`TOKEN_STORE_CORRUPT`, `TOKEN_OTHER_CLIENT`, `SIGN_IN_REQUIRED`). */
  problem: { code: string; message: string; reason?: string } | null;
}

/** Core's status as the CLI's JSON document (ISO times). */
export function statusDocument(status: ProfileStatus): StatusDocument {
  const expired =
    status.expiresIn === null
      ? null
      : status.state === 'valid'
        ? false
        : status.state === 'expiring' || status.expiresIn <= 0;
  return {
    profile: status.profile,
    state: status.state,
    signedIn: status.signedIn,
    expired,
    refreshable: status.refreshable,
    user: status.user,
    scopes: status.scopes,
    expiresAt: status.expiresAt === null ? null : isoTime(status.expiresAt),
    expiresIn: status.expiresIn,
    clientId: status.clientId,
    baseUrl: status.baseUrl,
    callbackUrl: status.callbackUrl,
    home: status.home,
    sources: { ...status.sources },
    problem: status.problem,
  };
}

/** The status document of a loaded configuration (the demo's). */
export async function collectStatus(
  config: LoadedConfig,
  _store: FileTokenStore,
  options: {
    now: () => number;
    userInfo: boolean;
    signal?: AbortSignal | undefined;
    onWarning?: ((message: string) => void) | undefined;
  },
): Promise<StatusDocument> {
  const onWarning = options.onWarning;
  return statusDocument(
    await readProfileStatus(config, {
      now: options.now,
      userInfo: options.userInfo,
      signal: options.signal,
      ...(onWarning === undefined ? {} : { onWarning: (warning) => onWarning(warning.message) }),
    }),
  );
}

export function describeUser(user: StatusUser | null): string {
  if (user === null) return 'unknown (the user profile was not read)';
  const name = user.name ?? user.username ?? user.id ?? 'unknown';
  return user.email === null ? name : `${name} <${user.email}>`;
}

const NOT_SIGNED_IN: Record<ProfileStatus['state'], string> = {
  'signed-out': 'no',
  valid: 'yes',
  expiring: 'yes',
  'refresh-rejected': 'no (the server rejected the refresh token; sign in again)',
  'other-client': 'no (the stored token is for another client id or server)',
  corrupt: 'no (the token file is corrupt)',
};

export function renderStatus(status: StatusDocument, format: 'table' | 'tsv', now: number): string {
  if (status.state !== 'valid' && status.state !== 'expiring') {
    return formatFields(format, [
      ['profile', status.profile],
      ['signed in', NOT_SIGNED_IN[status.state]],
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
