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

  it('started resolves once the nth timer has started (at once when it has), expired or not', async () => {
    const timers = createManualTimers();
    const order: string[] = [];
    const second = timers.started(7, 2).then(() => order.push('second'));
    timers.setTimer(7, () => undefined)();
    await timers.started(7);
    order.push('first');
    timers.setTimer(8, () => undefined);
    timers.setTimer(7, () => undefined);
    await second;
    expect(order).toEqual(['first', 'second']);
    expect(timers.pending()).toEqual([8, 7]);
  });
});
