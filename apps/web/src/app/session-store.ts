/**
 * Where the web app keeps server-side state: sign-in records (single use), session records and each session's
 * token (through `createSessionTokenStore`), relay pairings and the relay's rate-limit counters. Values are
 * strings (JSON) so that a shared store (Redis: `GET`, `SET PX`, `GETDEL`, `DEL`, `INCR` + `PEXPIRE`, and a lock
 * with `SET NX PX`) can implement it directly.
 */
export interface SessionStore {
  /** The value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` milliseconds (durably before resolving). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Returns and deletes the value in one step (single use: two callers never both get it). */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /**
   * Adds one to the counter under `key` and answers the new count, atomically across instances; the counter
   * starts at 1 and is forgotten `ttlMs` after that first increment. The relay's rate limit counts with it.
   */
  increment(key: string, ttlMs: number): Promise<number>;
  /**
   * Runs `fn` while holding an exclusive lock on `key`, shared with every instance using the same store: core's
   * `TokenManager` refreshes a session's token inside it (single flight across instances).
   */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export interface MemorySessionStoreOptions {
  /** Clock in milliseconds (expiry). Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * At most this many entries per namespace (the key up to its first `:`), the oldest going first: a flood of
   * sign-ins can only push out other sign-ins, never sessions. Default 100000.
   */
  maxEntries?: number | undefined;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** A `SessionStore` in this process's memory: one instance only (use a shared store for several). */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #namespaces = new Map<string, Set<string>>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  /** Synchronous, so that `take` reads and deletes with no await in between. */
  #read(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#remove(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    const namespace = key.split(':', 1)[0]!;
    let keys = this.#namespaces.get(namespace);
    if (keys === undefined) {
      keys = new Set();
      this.#namespaces.set(namespace, keys);
    }
    keys.add(key);
    while (keys.size > this.#maxEntries) {
      const oldest = keys.values().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    this.#entries.delete(key);
    this.#namespaces.get(key.split(':', 1)[0]!)?.delete(key);
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.#read(key);
    this.#remove(key);
    return value;
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.#entries.get(key);
    const count = this.#read(key) === undefined ? 1 : Number(entry!.value) + 1;
    if (count === 1) await this.set(key, '1', ttlMs);
    else entry!.value = String(count);
    return count;
  }

  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(key, tail);
    void tail.then(() => {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    });
    return run;
  }
}
