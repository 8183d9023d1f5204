import { vi } from 'vitest';

// `vi.waitFor` waits for an event (a frame, a log line, a file). Its default cap of 1 s is a wall-clock margin
// that a busy 2-core machine can miss, so here the cap is 20 s: still a bound on a hung test (each test has its
// own timeout too), never a measure of speed. A caller that passes its own options keeps them.
const waitFor = vi.waitFor.bind(vi);
vi.waitFor = ((callback, options) =>
  waitFor(
    callback,
    typeof options === 'number' ? options : { timeout: 20_000, interval: 25, ...options },
  )) as typeof vi.waitFor;
