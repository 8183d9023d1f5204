import { describe, expect, it } from 'vitest';
import { createManualTimers } from '../src/index.js';

describe('createManualTimers', () => {
  it('a timer expires only when the test expires it; a cancelled one never does', async () => {
    const timers = createManualTimers();
    const fired: string[] = [];
    const started = timers.started(100);
    timers.setTimer(50, () => fired.push('50'));
    const cancel = timers.setTimer(100, () => fired.push('100'));
    await started;
    expect(timers.pending()).toEqual([50, 100]);
    cancel();
    expect(timers.expire(100)).toBe(0);
    expect(fired).toEqual([]);
    timers.setTimer(100, () => fired.push('100 again'));
    expect(timers.expire()).toBe(2);
    expect(fired).toEqual(['50', '100 again']);
    expect(timers.pending()).toEqual([]);
  });

  it('started resolves at once for a timer already pending', async () => {
    const timers = createManualTimers();
    timers.setTimer(7, () => undefined);
    await expect(timers.started()).resolves.toBeUndefined();
    await expect(timers.started(7)).resolves.toBeUndefined();
  });
});
