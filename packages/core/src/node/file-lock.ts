import { stat, utimes } from 'node:fs/promises';
import { AbortedError } from '../errors/aborted-error.js';
import { TokenStoreError } from '../errors/token-store-error.js';
import { importOptionalPeer } from './optional-peer.js';

/** A lock older than this is stale (its holder died): the next process takes it over. */
export const LOCK_STALE_MS = 10_000;

/**
 * A wait on another holder longer than this is told (`onWaiting`): a refresh normally holds the lock for well
 * under a second, so only a slow holder or a dead one (its lock is taken over after `LOCK_STALE_MS`) is.
 */
export const LOCK_NOTICE_MS = 1_000;

/** How long a lock is waited for by default before giving up. */
export const LOCK_WAIT_MS = 30_000;

/** A lock touched further in the future than this cannot be a live holder's (on this clock): it is stale. */
const FUTURE_TOLERANCE_MS = 1_000;

/** The limits of a wait on the lock, in milliseconds. */
export interface LockLimits {
  /** Give up (`TOKEN_STORE_IO`) after waiting this long for another holder. */
  waitMs: number;
  /** A lock not touched for this long is stale (its holder died) and taken over; at least 2000. */
  staleMs?: number | undefined;
  /** A wait longer than this is told (`onWaiting`). */
  noticeMs?: number | undefined;
}

/**
 * Runs `fn` holding the cross-process lock `<path>.lock` (a directory, made by proper-lockfile, which is
 * loaded here only: reading a valid token never loads it). Waits up to `limits.waitMs` for another holder;
 * a lock untouched for `limits.staleMs`, or touched in the future (a clock set back, a forged mtime), is
 * taken over.
 * `ready` (e.g. the making of the lock's parent directory) is awaited before the lock is taken, while the
 * library loads. `signal` stops the wait: `AbortedError` before `fn` runs (once `fn` runs, it is not stopped).
 */
export async function withFileLock<T>(
  path: string,
  limits: LockLimits,
  fn: () => Promise<T>,
  ready?: Promise<void>,
  onWaiting?: (message: string) => void,
  signal?: AbortSignal,
): Promise<T> {
  const aborted = () => new AbortedError(undefined, `Waiting for the lock ${path}.lock was aborted.`);
  if (signal?.aborted) throw aborted();
  const loading = importOptionalPeer('proper-lockfile', () => import('proper-lockfile'));
  loading.catch(() => undefined);
  await ready;
  const { default: lockfile } = await loading;
  const { waitMs } = limits;
  const staleMs = Math.max(limits.staleMs ?? LOCK_STALE_MS, 2_000);
  const noticeMs = limits.noticeMs ?? LOCK_NOTICE_MS;
  const started = Date.now();
  let release: () => Promise<void>;
  let told = false;
  for (;;) {
    try {
      release = await lockfile.lock(path, {
        realpath: false,
        stale: staleMs,
        retries: 0,
        // The default throws from a timer (a crash); the holder re-reads anyway, so it is only ignored.
        onCompromised: () => undefined,
      });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        throw new TokenStoreError(
          'TOKEN_STORE_IO',
          path,
          `Could not lock ${path} (${code ?? 'unknown error'}): check the permissions of its directory.`,
          { cause: new Error(`lock failed (${code ?? 'unknown'})`) },
        );
      }
      // A lock touched in the future is made stale and taken at once (no notice, no pause), within the wait.
      const aged = await ageFutureLock(`${path}.lock`, staleMs);
      if (Date.now() - started > waitMs) {
        throw new TokenStoreError(
          'TOKEN_STORE_IO',
          path,
          `Another aps-auth process has held the lock ${path}.lock for more than ${Math.round(waitMs / 1000)} s: ` +
            'wait for it to finish, or remove the lock directory if no aps-auth process is running.',
        );
      }
      if (!aged && !told && onWaiting !== undefined && Date.now() - started >= noticeMs) {
        told = true;
        try {
          onWaiting(
            `waiting for another aps-auth process (lock ${path}.lock; taken over after ${Math.round(staleMs / 1000)} s if it died)`,
          );
        } catch {
          // A caller's listener never breaks the lock.
        }
      }
      if (signal?.aborted) throw aborted();
      if (!aged) await pause(10 + Math.random() * 40, signal);
      if (signal?.aborted) throw aborted();
    }
  }
  if (signal?.aborted) {
    // Aborted while the lock was being taken: `fn` never starts.
    await release().catch(() => undefined);
    throw aborted();
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/**
 * A lock touched in the future cannot be a live holder's (a holder touches it with the current time): its
 * mtime is set back to stale, so that the next attempt takes it over. True when it did so.
 */
async function ageFutureLock(lockDir: string, staleMs: number): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(lockDir);
    const now = Date.now();
    if (mtimeMs <= now + FUTURE_TOLERANCE_MS) return false;
    const stale = new Date(now - staleMs - 1_000);
    await utimes(lockDir, stale, stale);
    return true;
  } catch {
    // Released meanwhile (or unreadable): the next attempt tells.
    return false;
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
