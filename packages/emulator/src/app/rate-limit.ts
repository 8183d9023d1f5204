import type { RateLimitedEndpoint, RateLimits } from './types.js';

/** APS's documented per-client limits, per minute. */
export const DEFAULT_RATE_LIMITS: RateLimits = { token: 500, authorize: 100, introspect: 100, revoke: 100 };

const WINDOW_MS = 60_000;

/** Fixed one-minute windows per client and endpoint, on the emulator clock. */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limits: RateLimits | false,
    private readonly now: () => number,
  ) {}

  /** Counts a call; returns the seconds to wait (for `Retry-After`) when the limit is exceeded, else 0. */
  hit(endpoint: RateLimitedEndpoint, clientId: string): number {
    if (this.limits === false) return 0;
    const limit = this.limits[endpoint];
    const now = this.now();
    const key = `${endpoint} ${clientId}`;
    let w = this.#windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    w.count += 1;
    if (w.count <= limit) return 0;
    return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  }

  clear(): void {
    this.#windows.clear();
  }
}

export function resolveRateLimits(option: Partial<RateLimits> | false | undefined): RateLimits | false {
  if (option === false) return false;
  const limits = { ...DEFAULT_RATE_LIMITS, ...option };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v < 1) throw new TypeError(`rateLimits.${k} must be a positive integer`);
  }
  return limits;
}
