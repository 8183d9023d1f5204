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

/**
 * Runs `fn` holding the cross-process lock `<path>.lock` (a directory, made by proper-lockfile, which is
 * loaded here only: reading a valid token never loads it). Waits up to `waitMs` for another holder.
 * `ready` (e.g. the making of the lock's parent directory) is awaited before the lock is taken, while the
 * library loads. `signal` stops the wait: `AbortedError` before `fn` runs (once `fn` runs, it is not stopped).
 */
export async function withFileLock<T>(
  path: string,
  waitMs: number,
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
  const started = Date.now();
  let release: () => Promise<void>;
  let told = false;
  for (;;) {
    try {
      release = await lockfile.lock(path, {
        realpath: false,
        stale: LOCK_STALE_MS,
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
      if (Date.now() - started > waitMs) {
        throw new TokenStoreError(
          'TOKEN_STORE_IO',
          path,
          `Another aps-auth process has held the lock ${path}.lock for more than ${Math.round(waitMs / 1000)} s: ` +
            'wait for it to finish, or remove the lock directory if no aps-auth process is running.',
        );
      }
      if (!told && onWaiting !== undefined && Date.now() - started >= LOCK_NOTICE_MS) {
        told = true;
        try {
          onWaiting(
            `waiting for another aps-auth process (lock ${path}.lock; taken over after ${Math.round(LOCK_STALE_MS / 1000)} s if it died)`,
          );
        } catch {
          // A caller's listener never breaks the lock.
        }
      }
      if (signal?.aborted) throw aborted();
      await pause(10 + Math.random() * 40, signal);
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
