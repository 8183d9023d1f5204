import { describe, expect, it, vi } from 'vitest';
import type { SessionStore } from '../src/index.js';

/**
 * Two stores over the same shared state (for an in-memory store: the same object twice), so that the suite
 * checks what another instance sees. Tests call `make` once each and `cleanup` after.
 */
export interface StorePair {
  a: SessionStore;
  b: SessionStore;
}

/** What every `SessionStore` must do, run against each implementation. */
export function describeSessionStoreContract(name: string, make: () => Promise<StorePair>): void {
  describe(`SessionStore contract: ${name}`, () => {
    it('get answers what set stored, for the other instance too; undefined when absent', async () => {
      const { a, b } = await make();
      expect(await b.get('session:absent')).toBeUndefined();
      await a.set('session:one', '{"createdAt":1}', 60_000);
      expect(await b.get('session:one')).toBe('{"createdAt":1}');
      await b.set('session:one', 'replaced', 60_000);
      expect(await a.get('session:one')).toBe('replaced');
    });

    it('forgets a value after its time to live', async () => {
      const { a, b } = await make();
      await a.set('signin:short', 'x', 30);
      await a.set('signin:long', 'y', 60_000);
      await vi.waitFor(async () => expect(await b.get('signin:short')).toBeUndefined(), { timeout: 5_000 });
      expect(await b.get('signin:long')).toBe('y');
    });

    it('take gives a value once across instances, then it is gone', async () => {
      const { a, b } = await make();
      await a.set('signin:s', 'v', 60_000);
      const taken = await Promise.all([a.take('signin:s'), b.take('signin:s'), a.take('signin:s')]);
      expect(taken.filter((v) => v === 'v')).toHaveLength(1);
      expect(await b.get('signin:s')).toBeUndefined();
      expect(await a.take('signin:absent')).toBeUndefined();
    });

    it('delete removes the value for every instance', async () => {
      const { a, b } = await make();
      await a.set('token:x', 't', 60_000);
      await b.delete('token:x');
      expect(await a.get('token:x')).toBeUndefined();
      await b.delete('token:never-there');
    });

    it('increment counts across instances, atomically, from 1; the counter is forgotten after its time to live', async () => {
      const { a, b } = await make();
      const counts = await Promise.all([
        a.increment('rate:x:1', 60_000),
        b.increment('rate:x:1', 60_000),
        a.increment('rate:x:1', 60_000),
      ]);
      expect(counts.sort()).toEqual([1, 2, 3]);
      expect(await b.increment('rate:x:2', 60_000)).toBe(1);
      await a.increment('rate:short', 30);
      await vi.waitFor(async () => expect(await b.increment('rate:short', 30_000)).toBe(1), {
        timeout: 5_000,
      });
    });

    it('lock runs one holder at a time per key across instances; other keys are not blocked', async () => {
      const { a, b } = await make();
      let inside = 0;
      let most = 0;
      const order: number[] = [];
      const hold = (store: SessionStore, n: number) =>
        store.lock('token:shared', async () => {
          inside += 1;
          most = Math.max(most, inside);
          // Let the other holders run if the lock let them in.
          for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
          order.push(n);
          inside -= 1;
          return n;
        });
      let otherRan = false;
      const results = await Promise.all([
        hold(a, 1),
        hold(b, 2),
        hold(a, 3),
        hold(b, 4),
        b.lock('token:other', async () => {
          otherRan = true;
        }),
      ]);
      expect(most).toBe(1);
      expect(results.slice(0, 4)).toEqual([1, 2, 3, 4]);
      expect([...order].sort()).toEqual([1, 2, 3, 4]);
      expect(otherRan).toBe(true);
    });

    it('lock passes on what fn throws and frees the lock for the next holder', async () => {
      const { a, b } = await make();
      const failure = new Error('refresh failed');
      await expect(a.lock('token:t', () => Promise.reject(failure))).rejects.toBe(failure);
      expect(await b.lock('token:t', async () => 'next')).toBe('next');
    });

    it('a holder reads and writes its own locked key', async () => {
      const { a, b } = await make();
      await a.set('token:rw', 'old', 60_000);
      const seen = await a.lock('token:rw', async () => {
        const before = await a.get('token:rw');
        await a.set('token:rw', 'new', 60_000);
        return before;
      });
      expect(seen).toBe('old');
      expect(await b.get('token:rw')).toBe('new');
      await b.lock('token:rw', () => b.delete('token:rw'));
      expect(await a.get('token:rw')).toBeUndefined();
    });
  });
}
