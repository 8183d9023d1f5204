import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../src/index.js';

describe('MemorySessionStore', () => {
  it('forgets a value after its time to live (injected clock)', async () => {
    let now = 1_000;
    const store = new MemorySessionStore({ now: () => now });
    await store.set('session:a', 'x', 500);
    now = 1_499;
    expect(await store.get('session:a')).toBe('x');
    now = 1_500;
    expect(await store.get('session:a')).toBeUndefined();
  });

  it('take gives a value once', async () => {
    const store = new MemorySessionStore();
    await store.set('signin:s', 'v', 60_000);
    const [a, b] = await Promise.all([store.take('signin:s'), store.take('signin:s')]);
    expect([a, b].filter((v) => v === 'v')).toHaveLength(1);
  });

  it('a flood of one namespace (sign-ins) never pushes out another (sessions)', async () => {
    const store = new MemorySessionStore({ maxEntries: 3 });
    await store.set('session:keep', 'me', 60_000);
    for (let i = 0; i < 10; i += 1) await store.set(`signin:${i}`, 'x', 60_000);
    expect(await store.get('session:keep')).toBe('me');
    expect(await store.get('signin:0')).toBeUndefined();
    expect(await store.get('signin:9')).toBe('x');
  });

  it('lock runs one holder at a time per key', async () => {
    const store = new MemorySessionStore();
    const order: string[] = [];
    let release!: () => void;
    const first = store.lock('k', async () => {
      order.push('first in');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push('first out');
    });
    const second = store.lock('k', async () => {
      order.push('second in');
    });
    await Promise.resolve();
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });
});
