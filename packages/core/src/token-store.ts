import type { Token } from './token.js';

/**
 * Where a `TokenManager` keeps tokens, by key (a profile name, a session id). Implementations: the in-memory
 * store here, a file store in `@aps-auth/core/node`, a session store in a web app.
 */
export interface TokenStore {
  /** The stored token, or `undefined`. */
  load(key: string): Promise<Token | undefined>;
  /** Stores durably before resolving: a rotated refresh token is only safe once saved. */
  save(key: string, token: Token): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional: runs `fn` while holding an exclusive lock on `key` shared with every other process or instance
   * using the same store. `TokenManager` re-loads the token inside the lock before refreshing.
   */
  lock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
