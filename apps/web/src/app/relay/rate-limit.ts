/** A fixed one-minute window per instance: at most `limit` events; answers the seconds to wait when over. */
export function createRateLimit(limit: number, now: () => number): () => number | undefined {
  let windowStart = 0;
  let count = 0;
  return () => {
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t;
      count = 0;
    }
    if (count >= limit) return Math.max(1, Math.ceil((windowStart + 60_000 - t) / 1000));
    count += 1;
    return undefined;
  };
}
