/** Core's `SetTimer` shape: calls `onExpire` after `ms` unless the returned function cancels it first. */
export type SetTimer = (ms: number, onExpire: () => void) => () => void;

export interface ManualTimers {
  /** Pass as `setTimer` to the code under test. */
  setTimer: SetTimer;
  /** The durations (ms) of the timers started and neither expired nor cancelled yet, in start order. */
  pending(): number[];
  /** Resolves once a timer of `ms` (any, when omitted) is pending: the event of its start, not a delay. */
  started(ms?: number): Promise<void>;
  /** Expires every pending timer of `ms` (all, when omitted) now; returns how many expired. */
  expire(ms?: number): number;
}

interface Timer {
  ms: number;
  onExpire: () => void;
}

/**
 * Timers that expire only when the test says so: a timeout test states the moment its time runs out (after the
 * event it is about), instead of racing a real timer against a real server on a machine of unknown load.
 */
export function createManualTimers(): ManualTimers {
  const timers = new Set<Timer>();
  const waiters = new Set<{ ms: number | undefined; resolve: () => void }>();
  const matches = (timer: Timer, ms: number | undefined) => ms === undefined || timer.ms === ms;
  return {
    setTimer(ms, onExpire) {
      const timer = { ms, onExpire };
      timers.add(timer);
      for (const waiter of waiters) {
        if (matches(timer, waiter.ms)) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
      return () => {
        timers.delete(timer);
      };
    },
    pending: () => [...timers].map((timer) => timer.ms),
    started(ms) {
      if ([...timers].some((timer) => matches(timer, ms))) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ ms, resolve }));
    },
    expire(ms) {
      const due = [...timers].filter((timer) => matches(timer, ms));
      for (const timer of due) {
        timers.delete(timer);
        timer.onExpire();
      }
      return due.length;
    },
  };
}
