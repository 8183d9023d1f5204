import type { FetchLike, SetTimer } from '../../config.js';
import type { ConfigSource } from '../load-config.js';
import type { LoginEvent } from '../login.js';

/** What a profile's stored token amounts to, for a status and for `getToken`. */
export type ProfileState =
  /** No token stored (or no client id configured). */
  | 'signed-out'
  /** The access token is valid. */
  | 'valid'
  /** The access token is expired or within its early-refresh margin: the next `getToken` refreshes it. */
  | 'expiring'
  /** The server rejected the refresh token (recorded in the token file): sign in again. */
  | 'refresh-rejected'
  /** The token stored is of another client id or server than the configured ones: it is not used. */
  | 'other-client'
  /** The token file cannot be parsed (`TOKEN_STORE_CORRUPT`). */
  | 'corrupt';

/** Who is signed in, from the userinfo endpoint (only asked while the access token is valid). */
export interface StatusUser {
  id: string | null;
  name: string | null;
  email: string | null;
  username: string | null;
}

/** The status document: numbers and typed states only, no formatting. Never holds a token or a secret. */
export interface ProfileStatus {
  profile: string;
  state: ProfileState;
  /** `valid` or `expiring`: a usable grant is stored. */
  signedIn: boolean;
  /** Milliseconds since the epoch; `null` without a readable token. */
  expiresAt: number | null;
  /** Seconds from `now` to `expiresAt` (negative once expired); `null` without a readable token. */
  expiresIn: number | null;
  /** A refresh token is stored (and was not rejected). */
  refreshable: boolean | null;
  /**
   * When the stored refresh token was issued (ms since the epoch; each refresh rotates it, and APS lets it live
   * `REFRESH_TOKEN_LIFETIME_MS`); `null` without one.
   */
  refreshIssuedAt: number | null;
  scopes: string[];
  user: StatusUser | null;
  clientId: string | null;
  baseUrl: string;
  callbackUrl: string;
  home: string;
  tokenPath: string;
  sources: Record<string, ConfigSource>;
  /** `other-client`: what the stored token was made for. */
  storedFor: { clientId: string | null; baseUrl: string | null } | null;
  /** `refresh-rejected`: when the server rejected the refresh token (ms since the epoch). */
  refreshRejectedAt: number | null;
  /** `corrupt`, `other-client`, `refresh-rejected`: the error `getToken` would throw, by code (and reason). */
  problem: { code: string; message: string; reason?: string } | null;
}

/** Something a front end should show, with a stable code. */
export interface SessionWarning {
  code:
    | 'DOTENV_HOME_IGNORED'
    | 'SECRET_WITHHELD'
    | 'SAVED_SECRET_NOT_KEPT'
    | 'USERINFO_FAILED'
    | 'STORE_NOTICE';
  message: string;
}

export interface OpenProfileOptions {
  /** `--profile`; default `APS_AUTH_PROFILE`, then `default`. */
  profile?: string | undefined;
  /** Values from the command line (an empty string means not given). */
  flags?:
    | {
        clientId?: string | undefined;
        clientSecret?: string | undefined;
        callbackUrl?: string | undefined;
        scopes?: string | undefined;
        baseUrl?: string | undefined;
      }
    | undefined;
  /** Default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Where `.env` is read. Default `process.cwd()`. */
  cwd?: string | undefined;
  /** The clock in milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
  onWarning?: ((warning: SessionWarning) => void) | undefined;
  /** Injected `fetch` for every request. */
  fetch?: FetchLike | undefined;
  /** Injected timer for every timeout: each request's and a sign-in's (see `SetTimer`). Default `setTimeout`. */
  setTimer?: SetTimer | undefined;
  /**
   * A corrupt saved profile file: `'throw'` (default), or `'report'` (go on without it; `config.profileError`).
   */
  corruptProfile?: 'throw' | 'report' | undefined;
}

export interface SignInOptions {
  /** Opens the authorize URL; `false`: only the `authorize-url` event (print it). Default: a browser. */
  openUrl?: ((url: string) => Promise<void>) | false | undefined;
  /** Manual mode: reads the redirected URL (see `login`). */
  manual?: { readLine(signal?: AbortSignal): Promise<string | undefined | null> } | undefined;
  /**
   * Relay mode (see `login`): the origin of an aps-auth web app whose `/relay` is registered as a callback URL
   * of the APS app. The profile's own callback URL is kept.
   */
  relay?: string | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: LoginEvent) => void) | undefined;
  /** Ask the server who signed in, for the returned status. Default `true`. */
  userInfo?: boolean | undefined;
}

export interface StatusOptions {
  /** Ask the userinfo endpoint who is signed in (only while the access token is valid). Default `false`. */
  userInfo?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface GetTokenOptions {
  /** Narrower scopes (split on white space and commas): a down-scoped token. */
  scopes?: string | readonly string[] | undefined;
  /** Refresh even if the access token is valid. */
  forceRefresh?: boolean | undefined;
  /**
   * Stops the wait: a wait for another process's lock ends at once; a refresh whose request is out is finished
   * and its rotated refresh token saved first, then the promise rejects with `AbortedError`.
   */
  signal?: AbortSignal | undefined;
  /** Told once when a cancel has to wait for a refresh in flight. */
  onCancelWait?: (() => void) | undefined;
}

/** What `signOut` did. */
export interface SignOutReport {
  outcome: /** The token was revoked at the server (or tried: see `revocationFailures`) and deleted. */
    | 'signed-out'
    /** Nothing stored for this profile (or no client id configured). */
    | 'nothing-to-do'
    /** A corrupt token file: nothing could be revoked; it was renamed to `movedAsideTo`. */
    | 'moved-aside'
    /** A token of another client id or server (`storedFor`): not revoked, not deleted. */
    | 'left-in-place';
  /** `signed-out`: every revocation succeeded. `null` otherwise. */
  revoked: boolean | null;
  revocationFailures: Array<{
    tokenTypeHint: 'refresh_token' | 'access_token';
    code: string;
    message: string;
  }>;
  movedAsideTo: string | null;
  /** The profile's token file. */
  tokenPath: string;
  storedFor: { clientId: string | null; baseUrl: string | null } | null;
}
