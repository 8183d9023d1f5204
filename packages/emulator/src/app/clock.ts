import type { ClockState } from './types.js';

/** The emulator clock: a base clock plus an offset that tests move forward instead of sleeping. */
export interface Clock {
  /** Emulator time in ms. */
  now(): number;
  advance(seconds: number): ClockState;
  state(): ClockState;
  reset(): void;
}

export function createClock(base: () => number = Date.now): Clock {
  let offsetMs = 0;
  const now = () => base() + offsetMs;
  const state = (): ClockState => ({ now: new Date(now()).toISOString(), offsetSeconds: offsetMs / 1000 });
  return {
    now,
    state,
    advance(seconds) {
      if (!Number.isFinite(seconds)) throw new TypeError('advanceSeconds must be a finite number');
      offsetMs += Math.round(seconds * 1000);
      return state();
    },
    reset() {
      offsetMs = 0;
    },
  };
}
