import type { Token } from '../../token.js';
import { type LoadedConfig, loadConfig } from '../load-config.js';
import { createStore, requestConfig, type SessionContext } from './context.js';
import { notSignedIn, readTokenState } from './token-state.js';
import type {
  GetTokenOptions,
  OpenProfileOptions,
  ProfileStatus,
  SignInOptions,
  SignOutReport,
  StatusOptions,
} from './types.js';

/** One profile's use cases, shared by every Node front end (the CLI, a TUI, an embedding program). */
export interface ProfileSession {
  /** The loaded configuration, with the source of each value (the `.env` rules already applied). */
  readonly config: LoadedConfig;
  /** Signs in (browser or manual), stores the token, saves the profile; then the status (with the user). */
  signIn(options?: SignInOptions): Promise<ProfileStatus>;
  /** The status document: one read of the token file (and, with `userInfo`, one userinfo request). */
  status(options?: StatusOptions): Promise<ProfileStatus>;
  /**
   * A valid token: one file read while the access token is valid; otherwise a refresh (lock, re-read, single
   * flight, rotated refresh token saved first). Throws `SignInRequiredError` (`no_token`, `no_refresh_token`,
   * `refresh_rejected`), `TokenOtherClientError`, `TokenStoreError`, or a refresh's errors.
   */
  getToken(options?: GetTokenOptions): Promise<Token>;
  /** Revokes and forgets the token (see `SignOutReport`). */
  signOut(options?: { signal?: AbortSignal | undefined }): Promise<SignOutReport>;
  /** A client-credentials (two-legged) token for this configuration's confidential app. Nothing is stored. */
  getTwoLeggedToken(options: {
    scopes: string | readonly string[];
    signal?: AbortSignal | undefined;
  }): Promise<Token>;
}

/**
 * Opens a profile: loads its configuration (flag > environment > `.env` > saved profile > default, with the
 * `.env` rules enforced) and returns its use cases. Nothing else is read until one is called.
 */
export async function openProfile(options: OpenProfileOptions = {}): Promise<ProfileSession> {
  const warn = options.onWarning ?? (() => undefined);
  const config = await loadConfig({
    flags: { ...options.flags, profile: options.profile },
    env: options.env,
    cwd: options.cwd,
    corruptProfile: options.corruptProfile,
    onWarning: warn,
  });
  const context: SessionContext = { config, now: options.now ?? Date.now, warn, options };
  const session: ProfileSession = {
    config,
    async signIn(signInOptions = {}) {
      const { signIn } = await import('./sign-in.js');
      await signIn(context, signInOptions);
      return session.status({ userInfo: signInOptions.userInfo ?? true, signal: signInOptions.signal });
    },
    async status(statusOptions = {}) {
      const { readStatus } = await import('./status.js');
      return readStatus(context, statusOptions);
    },
    async getToken(tokenOptions = {}) {
      const store = createStore(context, tokenOptions.signal);
      const read = await readTokenState(config, store, context.now());
      const fast = tokenOptions.scopes === undefined && tokenOptions.forceRefresh !== true;
      switch (read.state) {
        case 'signed-out':
          throw notSignedIn(config.profile);
        case 'corrupt':
        case 'other-client':
          throw read.error;
        case 'refresh-rejected':
          // The access token may still be used until it expires; nothing can renew it.
          if (fast && read.usable) return read.file.token;
          throw read.error;
        case 'valid':
          if (fast) return read.file.token;
          break;
        default:
          break;
      }
      // Loaded only now: the manager, the HTTP client and the lock library stay off the fast path.
      const { refreshProfileToken } = await import('./refresh.js');
      return refreshProfileToken(requestConfig(context), store, config.profile, tokenOptions);
    },
    async signOut(signOutOptions = {}) {
      const { signOut } = await import('./sign-out.js');
      return signOut(context, signOutOptions.signal);
    },
    async getTwoLeggedToken(twoLeggedOptions) {
      const { getTwoLeggedToken } = await import('./two-legged.js');
      return getTwoLeggedToken(context, twoLeggedOptions);
    },
  };
  return session;
}
