import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { AbortedError } from './errors/aborted-error.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { isSignInRequiredError } from './errors/guards.js';
import { SignInRequiredError } from './errors/sign-in-required-error.js';
import { refreshToken } from './refresh-token.js';
import { revokeToken } from './revoke.js';
import { normalizeScopes, sameScopes } from './scopes.js';
import { isToken, isTokenExpiring, type Token } from './token.js';
import type { TokenStore } from './token-store.js';

export interface TokenManagerOptions {
  config: ApsAuthConfig | ResolvedConfig;
  store: TokenStore;
  /** The store key (a profile name, a session id). Default `default`. */
  key?: string | undefined;
  /**
   * Told just before a refresh request is sent (inside the store's lock, after the re-read): from then on the
   * stored refresh token is being spent. A front end cancelling a wait can say whether a refresh is in flight.
   */
  onRefreshStart?: (() => void) | undefined;
  /**
   * Told when the server rejected the stored refresh token (`invalid_grant`), still inside the store's lock and
   * before `getToken` rejects with `SignInRequiredError` (reason `refresh_rejected`): a store can record it
   * durably (the file store's `markRefreshRejected`) so that a status says "sign in again" and no later call
   * sends the dead refresh token again. An error it throws is ignored.
   */
  onRefreshRejected?: ((rejected: Token) => Promise<void> | void) | undefined;
}

export interface GetTokenOptions {
  /**
   * Narrower scopes (e.g. `viewables:read` for a browser Viewer): returns a down-scoped token; the stored
   * grant keeps its full-scope access token, but the rotated refresh token is saved.
   */
  scopes?: string | readonly string[] | undefined;
  /** Refresh even if the token is still valid (unless another caller just refreshed it). */
  forceRefresh?: boolean | undefined;
  /** Stops this caller waiting; a refresh in flight is never aborted (it would spend the refresh token). */
  signal?: AbortSignal | undefined;
}

export interface SignOutOptions {
  /** Revoke the refresh and access tokens at the server first. Default `true`. */
  revoke?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Told of each revocation that failed (the refresh token's first), before `signOut` rejects with the first. */
  onRevocationFailure?: ((failure: RevocationFailure) => void) | undefined;
}

/** A revocation at the server that failed during `signOut` (the token is forgotten locally all the same). */
export interface RevocationFailure {
  tokenTypeHint: 'refresh_token' | 'access_token';
  error: unknown;
}

export interface SignOutResult {
  /** A token was stored for this key; it is now revoked and forgotten. */
  wasSignedIn: boolean;
}

const FULL = '';
/** Keys shaped like a profile name may appear in messages; anything else (a web session id) never does. */
const NAMEABLE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A down-scoped token and the grant it was cut from (the stored full-scope access token). */
interface DownScoped {
  token: Token;
  grant: string;
}

function copyToken(token: Token): Token {
  return { ...token, scopes: [...token.scopes] };
}

function withoutRefreshToken(token: Token): Token {
  const { refreshToken: _dropped, ...rest } = token;
  return { ...rest, scopes: [...token.scopes] };
}

function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted)
    return Promise.reject(new AbortedError(undefined, 'Waiting for the token was aborted.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError(undefined, 'Waiting for the token was aborted.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Keeps one grant alive. `getAccessToken()` returns a valid access token, refreshing when it is expiring:
 * one refresh at a time for any number of concurrent callers (single flight), under the store's lock when it
 * has one, after re-loading the store (another process may have refreshed already); the rotated refresh
 * token is saved before the new access token is returned.
 */
export class TokenManager {
  readonly key: string;
  readonly #config: ResolvedConfig;
  readonly #store: TokenStore;
  readonly #onRefreshStart: (() => void) | undefined;
  readonly #onRefreshRejected: ((rejected: Token) => Promise<void> | void) | undefined;
  readonly #flights = new Map<string, Promise<Token>>();
  readonly #downScoped = new Map<string, DownScoped>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TokenManagerOptions) {
    this.#config = resolveConfig(options.config);
    this.#store = options.store;
    this.#onRefreshStart = options.onRefreshStart;
    this.#onRefreshRejected = options.onRefreshRejected;
    this.key = options.key ?? 'default';
  }

  /** A valid access token (see `getToken`). */
  async getAccessToken(options: GetTokenOptions = {}): Promise<string> {
    return (await this.getToken(options)).accessToken;
  }

  /**
   * A valid token, refreshed if it is expiring. Throws `SignInRequiredError` when nothing is stored, there is
   * no refresh token, or the server rejects it; the errors of `refreshToken` otherwise.
   */
  async getToken(options: GetTokenOptions = {}): Promise<Token> {
    if (options.signal?.aborted) throw new AbortedError(undefined, 'Waiting for the token was aborted.');
    const requested = options.scopes === undefined ? undefined : normalizeScopes(options.scopes);
    const stored = await this.#load();
    if (stored === undefined) throw this.#noToken();
    const scopeKey =
      requested === undefined || sameScopes(requested, stored.scopes)
        ? FULL
        : [...requested].sort().join(' ');
    const force = options.forceRefresh === true;
    const now = this.#config.now();
    if (!force) {
      if (scopeKey === FULL && !isTokenExpiring(stored, now)) return stored;
      const cached = this.#cachedDownScoped(scopeKey, stored, now);
      if (cached !== undefined) return cached;
    }
    let flight = this.#flights.get(scopeKey);
    if (flight === undefined) {
      const started = this.#serialize(() => this.#refresh(scopeKey, requested, force, stored.accessToken));
      flight = started.finally(() => this.#flights.delete(scopeKey));
      flight.catch(() => undefined);
      this.#flights.set(scopeKey, flight);
    }
    // Every waiter gets its own copy: one caller mutating its token cannot change another's.
    return waitFor(flight, options.signal).then(copyToken);
  }

  /**
   * Stores a new token for this key (after a login) and forgets down-scoped tokens of the previous grant.
   * Waits for a refresh in flight (and takes the store's lock), so that the refresh cannot overwrite it.
   */
  async setToken(token: Token): Promise<void> {
    this.#downScoped.clear();
    await this.#serialize(() => this.#withLock(() => this.#store.save(this.key, token)));
  }

  /**
   * Signs out: revokes the refresh and access tokens at the server (unless `revoke: false`), then forgets
   * the token locally. The local token is forgotten even if revocation fails; that error is then rethrown.
   */
  async signOut(options: SignOutOptions = {}): Promise<SignOutResult> {
    this.#downScoped.clear();
    // After a refresh in flight and under the store's lock: the newest refresh token is the one revoked,
    // and no refresh can put a token back once it is deleted.
    return this.#serialize(() => this.#withLock(() => this.#signOut(options)));
  }

  async #signOut(options: SignOutOptions): Promise<SignOutResult> {
    const stored = await this.#store.load(this.key);
    this.#downScoped.clear();
    // Nothing of this grant is stored (a store bound to one app may hold another app's token: not ours).
    if (stored === undefined) return { wasSignedIn: false };
    const failures: RevocationFailure[] = [];
    if (isToken(stored) && options.revoke !== false) {
      // The refresh token first (revoking it ends the grant); the access token is tried even if that failed.
      const revocations: Array<{ token: string; tokenTypeHint: RevocationFailure['tokenTypeHint'] }> = [
        ...(stored.refreshToken === undefined
          ? []
          : [{ token: stored.refreshToken, tokenTypeHint: 'refresh_token' as const }]),
        { token: stored.accessToken, tokenTypeHint: 'access_token' },
      ];
      for (const revocation of revocations) {
        try {
          await revokeToken(this.#config, { ...revocation, signal: options.signal });
        } catch (error) {
          failures.push({ tokenTypeHint: revocation.tokenTypeHint, error });
        }
      }
    }
    await this.#store.delete(this.key);
    for (const failure of failures) options.onRevocationFailure?.(failure);
    if (failures[0] !== undefined) throw failures[0].error;
    return { wasSignedIn: true };
  }

  async #load(): Promise<Token | undefined> {
    const token = await this.#store.load(this.key);
    if (token !== undefined && !isToken(token)) {
      throw new ConfigurationError(
        'store',
        `The token stored for ${this.#keyLabel()} is not a valid token: the store is corrupt; sign in again to replace it.`,
      );
    }
    return token;
  }

  /** The key for messages: a profile name is shown, anything else (a session id) is not. */
  #keyLabel(): string {
    return NAMEABLE_KEY.test(this.key) ? `"${this.key}"` : 'this key';
  }

  #noToken(): SignInRequiredError {
    return new SignInRequiredError('no_token', `No token is stored for ${this.#keyLabel()}: sign in first.`);
  }

  /** A cached down-scoped token, only if it was cut from the grant stored now and is still valid. */
  #cachedDownScoped(scopeKey: string, stored: Token, now: number): Token | undefined {
    if (scopeKey === FULL) return undefined;
    const cached = this.#downScoped.get(scopeKey);
    if (cached === undefined) return undefined;
    if (cached.grant !== stored.accessToken) {
      this.#downScoped.delete(scopeKey);
      return undefined;
    }
    return isTokenExpiring(cached.token, now) ? undefined : copyToken(cached.token);
  }

  #withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#store.lock === undefined ? fn() : this.#store.lock(this.key, fn);
  }

  #serialize<T>(fn: () => Promise<T>): Promise<T> {
    // Full and down-scoped refreshes spend the same refresh token: never run two at once here.
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #refresh(
    scopeKey: string,
    requested: string[] | undefined,
    force: boolean,
    seenAccessToken: string,
  ): Promise<Token> {
    const run = async (): Promise<Token> => {
      // Re-load inside the lock: another process or instance may have refreshed while we waited.
      const current = await this.#load();
      if (current === undefined) throw this.#noToken();
      const now = this.#config.now();
      if (scopeKey === FULL) {
        const changed = current.accessToken !== seenAccessToken;
        if (!isTokenExpiring(current, now) && (!force || changed)) return current;
      } else {
        const cached = this.#cachedDownScoped(scopeKey, current, now);
        if (!force && cached !== undefined) return cached;
      }
      if (current.refreshToken === undefined) {
        throw new SignInRequiredError(
          'no_refresh_token',
          `The token stored for ${this.#keyLabel()} has no refresh token, so it cannot be refreshed or down-scoped: sign in again.`,
        );
      }
      let fresh: Token;
      try {
        try {
          this.#onRefreshStart?.();
        } catch {
          // A caller's listener never breaks the refresh.
        }
        fresh = await refreshToken(this.#config, {
          refreshToken: current.refreshToken,
          scopes: scopeKey === FULL ? undefined : requested,
        });
      } catch (error) {
        if (isSignInRequiredError(error)) {
          // A store without a lock may have been refreshed by someone else meanwhile: use their token.
          const latest = await this.#load().catch(() => undefined);
          if (
            scopeKey === FULL &&
            latest !== undefined &&
            latest.refreshToken !== current.refreshToken &&
            !isTokenExpiring(latest, this.#config.now())
          ) {
            return latest;
          }
          if (error.reason === 'refresh_rejected') {
            try {
              await this.#onRefreshRejected?.(current);
            } catch {
              // Recording the rejection is best effort: the caller is told to sign in again all the same.
            }
          }
        }
        throw error;
      }
      const rotated = fresh.refreshToken ?? current.refreshToken;
      if (scopeKey === FULL) {
        const saved: Token = {
          ...fresh,
          refreshToken: rotated,
          scopes: fresh.scopes.length > 0 ? fresh.scopes : [...current.scopes],
        };
        if (saved.idToken === undefined) {
          delete saved.idToken;
          if (current.idToken !== undefined) saved.idToken = current.idToken;
        }
        await this.#store.save(this.key, saved);
        // Down-scoped tokens cut from this grant stay valid: tie them to its new access token.
        for (const entry of this.#downScoped.values()) {
          if (entry.grant === current.accessToken) entry.grant = saved.accessToken;
        }
        return saved;
      }
      // Down-scoped: the grant keeps its full-scope access token, but the old refresh token is now dead.
      await this.#store.save(this.key, { ...current, refreshToken: rotated });
      const downScoped = withoutRefreshToken(fresh);
      if (downScoped.scopes.length === 0 && requested !== undefined) downScoped.scopes = [...requested];
      delete downScoped.idToken;
      this.#downScoped.set(scopeKey, { token: downScoped, grant: current.accessToken });
      return copyToken(downScoped);
    };
    return this.#withLock(run);
  }
}
