import type { Token } from './token.js';
import type { TokenStore } from './token-store.js';

const copy = (token: Token): Token => structuredClone(token);

/**
 * A `TokenStore` in memory (tests, short-lived processes, one server instance). Its `lock` serialises
 * callers within this process, so several `TokenManager`s sharing one store never refresh twice.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, Token>();
  readonly #locks = new Map<string, Promise<unknown>>();

  async load(key: string): Promise<Token | undefined> {
    const token = this.#tokens.get(key);
    return token === undefined ? undefined : copy(token);
  }

  async save(key: string, token: Token): Promise<void> {
    this.#tokens.set(key, copy(token));
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
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
