import type { SessionStore } from '../session-store.js';

const WINDOW_MS = 60_000;

/**
 * At most `limit` events per one-minute window, counted in the session store: every instance sharing the store
 * shares the limit (three instances do not allow three times as many). Answers the seconds to wait when over,
 * else `undefined`.
 */
export function createRateLimit(options: {
  name: string;
  limit: number;
  now: () => number;
  store: SessionStore;
}): () => Promise<number | undefined> {
  return async () => {
    const t = options.now();
    const window = Math.floor(t / WINDOW_MS);
    const count = await options.store.increment(`rate:${options.name}:${window}`, WINDOW_MS);
    if (count <= options.limit) return undefined;
    return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - t) / 1000));
  };
}
