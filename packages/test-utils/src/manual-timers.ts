/** Core's `SetTimer` shape: calls `onExpire` after `ms` unless the returned function cancels it first. */
export type SetTimer = (ms: number, onExpire: () => void) => () => void;

export interface ManualTimers {
  /** Pass as `setTimer` to the code under test. */
  setTimer: SetTimer;
  /** The durations (ms) of the timers started and neither expired nor cancelled yet, in start order. */
  pending(): number[];
  /**
   * Resolves once the `nth` (default the first) timer of `ms` (of any duration, when `ms` is omitted) has been
   * started, pending or not by then: the event of its start, not a delay.
   */
  started(ms?: number, nth?: number): Promise<void>;
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
  const history: number[] = [];
  const waiters = new Set<{ ms: number | undefined; nth: number; resolve: () => void }>();
  const count = (ms: number | undefined) =>
    history.filter((started) => ms === undefined || started === ms).length;
  return {
    setTimer(ms, onExpire) {
      const timer = { ms, onExpire };
      timers.add(timer);
      history.push(ms);
      for (const waiter of waiters) {
        if (count(waiter.ms) >= waiter.nth) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
      return () => {
        timers.delete(timer);
      };
    },
    pending: () => [...timers].map((timer) => timer.ms),
    started(ms, nth = 1) {
      if (count(ms) >= nth) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ ms, nth, resolve }));
    },
    expire(ms) {
      const due = [...timers].filter((timer) => ms === undefined || timer.ms === ms);
      for (const timer of due) {
        timers.delete(timer);
        timer.onExpire();
      }
      return due.length;
    },
  };
}
