import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import type { WebLogEvent } from '../app/options.js';
import type { SessionStore } from '../app/session-store.js';
import { SessionStoreError } from '../app/store-errors.js';
import { createLocalQueue } from './local-queue.js';

export interface RedisSessionStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` (TLS). */
  url: string;
  /** Prefix of every key this store writes (several apps can share one Redis). Default `aps-auth-web:`. */
  keyPrefix?: string | undefined;
  /**
   * A lock's expiry in milliseconds: a holder that crashed blocks the others at most this long. A live holder
   * renews its lock every third of it. Default 15000.
   */
  lockTtlMs?: number | undefined;
  /** How long `lock` waits for a lock in total before `STORE_LOCK_TIMEOUT`. Default 20000. */
  lockWaitMs?: number | undefined;
  /** How long one command may take before the store counts Redis as unavailable. Default 2000. */
  commandTimeoutMs?: number | undefined;
  /** Operator events: one `store_unavailable` per outage, one `store_recovered` when Redis is back. */
  log?: ((event: WebLogEvent) => void) | undefined;
}

/** Releases a lock only while it still holds this holder's fencing value. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends a lock only while it still holds this holder's fencing value. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Writes a locked key only while the writer still holds its lock (a holder that lost it cannot overwrite). */
const FENCED_SET = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;
const FENCED_DEL = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[2]) return 1 else return 0 end`;
/** Counts, and starts the counter's time to live at its first increment (one step: no counter without one). */
const INCREMENT = `local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n`;
const BACKOFF_MIN_MS = 5;
const BACKOFF_MAX_MS = 200;

/** A short label of a connection failure for the log: its code (`ECONNREFUSED`), else the client's words. */
function errorLabel(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (!(error instanceof Error)) return 'unknown error';
  return error.name !== 'Error' ? error.name : error.message.slice(0, 120);
}

/**
 * A `SessionStore` on Redis (node-redis) for several instances of the web app: `GET`, `SET … PX`, `GETDEL`,
 * `DEL`, `INCR` with `PEXPIRE`, and a lock per key (`SET lock NX PX` with a random fencing value, renewed while held, released and
 * written through only by its holder, with Lua compare-and-act scripts). Commands fail fast while Redis is
 * unreachable (`SessionStoreError` `STORE_UNAVAILABLE`: the app answers 503) and the client reconnects on its
 * own; one log line per outage.
 */
export class RedisSessionStore implements SessionStore {
  readonly #client;
  readonly #prefix: string;
  readonly #lockTtlMs: number;
  readonly #lockWaitMs: number;
  readonly #commandTimeoutMs: number;
  readonly #log: (event: WebLogEvent) => void;
  readonly #queue = createLocalQueue();
  /** The fencing value of each lock this process holds now, by the locked key. */
  readonly #held = new Map<string, string>();
  #available = true;
  #connecting: Promise<unknown> | undefined;

  constructor(options: RedisSessionStoreOptions) {
    this.#prefix = options.keyPrefix ?? 'aps-auth-web:';
    this.#lockTtlMs = options.lockTtlMs ?? 15_000;
    this.#lockWaitMs = options.lockWaitMs ?? 20_000;
    this.#log = options.log ?? (() => undefined);
    const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
    this.#commandTimeoutMs = commandTimeoutMs;
    this.#client = createClient({
      url: options.url,
      // Reject at once while disconnected (the app answers 503) instead of queueing requests indefinitely.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: commandTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1_000),
      },
      pingInterval: 5_000,
    });
    this.#client.on('error', (error: unknown) => this.#markDown(error));
    this.#client.on('ready', () => this.#markUp());
  }

  /**
   * Connects (resolves once Redis answered, and keeps retrying in the background until it does). Commands
   * before that fail with `STORE_UNAVAILABLE`.
   */
  connect(): Promise<void> {
    this.#connecting ??= this.#client.connect().catch((error: unknown) => this.#markDown(error));
    return this.#connecting.then(() => undefined);
  }

  /** Closes the connection: waits for commands in flight up to the command timeout, then drops them. */
  async close(): Promise<void> {
    if (this.#client.isOpen) {
      const closed = this.#client.close().catch(() => undefined);
      await Promise.race([closed, sleep(this.#commandTimeoutMs, undefined, { ref: false })]);
    }
    if (this.#client.isOpen) this.#client.destroy();
  }

  get(key: string): Promise<string | undefined> {
    return this.#call(async () => (await this.#client.get(this.#key(key))) ?? undefined);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    const px = Math.max(1, Math.ceil(ttlMs));
    const fence = this.#held.get(key);
    if (fence !== undefined) {
      return this.#fenced(key, () =>
        this.#client.eval(FENCED_SET, {
          keys: [this.#lockKey(key), this.#key(key)],
          arguments: [fence, value, String(px)],
        }),
      );
    }
    return this.#call(async () => {
      await this.#client.set(this.#key(key), value, { expiration: { type: 'PX', value: px } });
    });
  }

  take(key: string): Promise<string | undefined> {
    return this.#call(async () => (await this.#client.getDel(this.#key(key))) ?? undefined);
  }

  increment(key: string, ttlMs: number): Promise<number> {
    const px = String(Math.max(1, Math.ceil(ttlMs)));
    return this.#call(async () =>
      Number(await this.#client.eval(INCREMENT, { keys: [this.#key(key)], arguments: [px] })),
    );
  }

  delete(key: string): Promise<void> {
    const fence = this.#held.get(key);
    if (fence !== undefined) {
      return this.#fenced(key, () =>
        this.#client.eval(FENCED_DEL, { keys: [this.#lockKey(key), this.#key(key)], arguments: [fence] }),
      );
    }
    return this.#call(async () => {
      await this.#client.del(this.#key(key));
    });
  }

  /**
   * Runs `fn` holding the lock on `key` across every instance: callers in this process queue here, then one
   * at a time takes the Redis lock (polling with a bounded exponential backoff, at most `lockWaitMs` in all).
   */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(key, () => this.#withRedisLock(key, fn));
  }

  async #withRedisLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = this.#lockKey(key);
    const fence = randomBytes(18).toString('base64url');
    await this.#acquire(lockKey, fence);
    this.#held.set(key, fence);
    const renewal = setInterval(() => void this.#renew(lockKey, fence), Math.max(1, this.#lockTtlMs / 3));
    renewal.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      this.#held.delete(key);
      // Unreachable Redis: the lock expires on its own after lockTtlMs.
      await this.#call(() => this.#client.eval(RELEASE, { keys: [lockKey], arguments: [fence] })).catch(
        () => undefined,
      );
    }
  }

  async #acquire(lockKey: string, fence: string): Promise<void> {
    const deadline = performance.now() + this.#lockWaitMs;
    for (let attempt = 0; ; attempt += 1) {
      const taken = await this.#call(() =>
        this.#client.set(lockKey, fence, {
          expiration: { type: 'PX', value: this.#lockTtlMs },
          condition: 'NX',
        }),
      );
      if (taken === 'OK') return;
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
      const delay = backoff / 2 + Math.random() * (backoff / 2);
      if (performance.now() + delay > deadline) {
        throw new SessionStoreError(
          'STORE_LOCK_TIMEOUT',
          `Waited ${this.#lockWaitMs} ms for a lock held by another instance; try again shortly.`,
        );
      }
      await sleep(delay);
    }
  }

  async #renew(lockKey: string, fence: string): Promise<void> {
    try {
      const renewed = await this.#call(() =>
        this.#client.eval(RENEW, { keys: [lockKey], arguments: [fence, String(this.#lockTtlMs)] }),
      );
      if (renewed === 0) {
        this.#log({
          level: 'warn',
          event: 'store_lock_lost',
          message:
            'A lock expired while still held (a pause longer than its expiry); its writes are refused.',
        });
      }
    } catch {
      // Logged as an outage; the lock expires on its own.
    }
  }

  async #fenced(key: string, write: () => Promise<unknown>): Promise<void> {
    const written = await this.#call(write);
    if (written !== 1) {
      throw new SessionStoreError(
        'STORE_LOCK_LOST',
        `The lock on a ${key.split(':', 1)[0]} entry expired while held; the write was refused (another instance may have written since).`,
      );
    }
  }

  /** One command, bounded by the command timeout (a frozen Redis keeps connections open and answers nothing). */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    let result: T;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const pending = command();
      // A command that answers after its timeout is ignored (never an unhandled rejection).
      pending.catch(() => undefined);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              Object.assign(new Error(`Redis did not answer within ${this.#commandTimeoutMs} ms.`), {
                code: 'ETIMEDOUT',
              }),
            ),
          this.#commandTimeoutMs,
        );
      });
      result = await Promise.race([pending, timeout]);
    } catch (error) {
      this.#markDown(error);
      throw new SessionStoreError('STORE_UNAVAILABLE', 'The session store (Redis) is unavailable.', {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    this.#markUp();
    return result;
  }

  #markDown(error: unknown): void {
    if (!this.#available) return;
    this.#available = false;
    this.#log({
      level: 'error',
      event: 'store_unavailable',
      message: `Redis is unavailable (${errorLabel(error)}); answering 503 until it is back.`,
    });
  }

  #markUp(): void {
    if (this.#available) return;
    this.#available = true;
    this.#log({ level: 'info', event: 'store_recovered', message: 'Redis is available again.' });
  }

  #key(key: string): string {
    return `${this.#prefix}${key}`;
  }

  #lockKey(key: string): string {
    return `${this.#prefix}lock:${key}`;
  }
}
