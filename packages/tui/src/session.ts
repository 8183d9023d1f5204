import type { SignOutReport } from '@aps-auth/core/node';

/**
 * What the TUI's screens need from a profile's session, and nothing more. `core-adapter.ts` implements it
 * on core's profile session (`openProfile()` in `@aps-auth/core/node`); the screens and the flow only see this
 * interface.
 */

/** Where a value came from: flag > environment > `.env` > saved profile > default; `typed` on the set-up screen. */
export type FieldSource = 'flag' | 'env' | 'dotenv' | 'profile' | 'default' | 'typed';

export interface SetupField<T> {
  value: T;
  source: FieldSource;
}

/** The prefilled set-up of a profile. Never holds the client secret itself. */
export interface Setup {
  profile: string;
  clientId: SetupField<string>;
  /** Whether a secret is configured (a confidential app) and where from; the value never leaves the adapter. */
  clientSecret: { present: boolean; source: FieldSource };
  callbackUrl: SetupField<string>;
  scopes: SetupField<string[]>;
  baseUrl: SetupField<string>;
  /** The `.env` file read, if any (named next to values that came from it). */
  dotenvPath: string | undefined;
}

/** What the person confirmed on the set-up screen. `clientSecret`: a newly typed one; absent keeps the configured one. */
export interface SetupInput {
  clientId: string;
  clientSecret?: string | undefined;
  callbackUrl: string;
  scopes: string[];
}

export type SetupFieldName = 'clientId' | 'clientSecret' | 'callbackUrl' | 'scopes';

/** A field's problem, in core's words, with core's error code. */
export interface FieldProblem {
  code: string;
  message: string;
  /** `note`: the value works, with a consequence worth saying (e.g. a callback URL that needs the manual mode). */
  severity: 'error' | 'note';
}

export type SignInEvent =
  /**
   * `startLink`: a one-time link on the loopback listener that opens the sign-in in this machine's browser.
   * `timeoutMs`: how long core waits from now on (through a relay, no longer than its pairing lives).
   */
  | { type: 'authorize-url'; url: string; startLink: boolean; timeoutMs: number }
  | { type: 'listening'; redirectUri: string }
  | { type: 'browser-opened' }
  | { type: 'browser-failed'; message: string }
  | { type: 'waiting' }
  | { type: 'callback-refused'; message: string }
  | { type: 'callback-received' }
  | { type: 'exchanging' }
  | { type: 'stored' };

export interface SignInOptions {
  setup: SetupInput;
  /** `true`: open the system browser (or the injected one); `false`: only show the URL. */
  openBrowser: boolean;
  /** Manual mode: nothing listens; pasted redirected URLs are read from here until one answers. */
  manual?: { readLine(signal?: AbortSignal): Promise<string | undefined | null> } | undefined;
  /**
   * Relay mode: the origin of an aps-auth web app (`--relay`, checked by core's `parseRelayUrl`). Core pairs with
   * it, the authorize URL (for any device) comes back as `authorize-url`, and core waits for the relay, decrypts
   * and exchanges the code here. Nothing is opened here (`openBrowser` is ignored); not with `manual`.
   */
  relay?: string | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  onEvent(event: SignInEvent): void;
}

export interface SessionUser {
  name: string | null;
  email: string | null;
}

export type SessionStatus =
  | { state: 'signed-out' }
  /**
   * A stored token that cannot be used, with core's message: of another client id or server (`other-client`),
   * an unreadable file (`corrupt`), or a refresh token the server rejected (`refresh-rejected`: sign in again).
   */
  | { state: 'other-client' | 'corrupt' | 'refresh-rejected'; message: string }
  | {
      state: 'valid' | 'expiring';
      user: SessionUser | null;
      scopes: string[];
      /** ms since the epoch */
      accessExpiresAt: number;
      /** When the current refresh token was issued (each refresh rotates it); `null`: none stored. */
      refreshIssuedAt: number | null;
      /** The refresh token's lifetime at APS (15 days), for its countdown. */
      refreshLifetimeMs: number;
    };

export interface DownscopedToken {
  accessToken: string;
  scopes: string[];
  expiresAt: number;
}

/** Core's report of a sign-out (`outcome`: `signed-out`, `nothing-to-do`, `moved-aside`, `left-in-place`). */
export type SignOutResult = SignOutReport;

export interface ProfileSession {
  /** Loads the configuration (flags, environment, `.env`, saved profile); throws core's typed errors. */
  loadSetup(): Promise<Setup>;
  /** Per-field problems of a set-up being typed (synchronous: called on every key). */
  validate(input: SetupInput): Partial<Record<SetupFieldName, FieldProblem>>;
  /** Signs in; the token and profile are stored only when it succeeds. Resolves with the new status. */
  signIn(options: SignInOptions): Promise<SessionStatus>;
  status(signal?: AbortSignal): Promise<SessionStatus>;
  /** Refreshes now (single flight, the store's lock). */
  refresh(signal?: AbortSignal): Promise<void>;
  /** The current access token (refreshed first when needed), shown or copied on request only. */
  accessToken(signal?: AbortSignal): Promise<string>;
  downscopedToken(scopes: string[], signal?: AbortSignal): Promise<DownscopedToken>;
  signOut(signal?: AbortSignal): Promise<SignOutResult>;
  /** A profile name's problem (core's rule), for the profile switcher. */
  checkProfileName(name: string): FieldProblem | undefined;
  /** Waits for a refresh in flight (its rotated refresh token must be saved before the process ends). */
  settle(): Promise<void>;
  /** Saved profiles (for the profile switcher). */
  listProfiles(): Promise<{ name: string; signedIn: boolean }[]>;
}

export interface SessionFactoryOptions {
  profile?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

export type SessionFactory = (options: SessionFactoryOptions) => ProfileSession;
