/** What the Redis store adds to the contract: the lock's expiry and fencing, TTLs on real keys, outages. */
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRelayPairing, isSessionStoreError, type WebLogEvent } from '../src/index.js';
import { RedisSessionStore } from '../src/node/index.js';
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, ORIGIN, startEmu } from './helpers.js';
import { signInAcross, startInstances } from './instances.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
let raw: ReturnType<typeof createClient>;
const closing: Array<{ close(): Promise<void> }> = [];
let prefixes = 0;
const nextPrefix = () => {
  prefixes += 1;
  return prefixes;
};

beforeAll(async () => {
  redis = await startTestRedis();
  raw = createClient({ url: redis.url });
  await raw.connect();
});
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await raw?.close();
  await redis?.close();
});

async function openStore(options: { lockTtlMs?: number; lockWaitMs?: number } = {}) {
  const keyPrefix = `store-${nextPrefix()}:`;
  const events: WebLogEvent[] = [];
  const store = new RedisSessionStore({ url: redis.url, keyPrefix, log: (e) => events.push(e), ...options });
  closing.push(store);
  await store.connect();
  return { store, keyPrefix, events };
}

describe('RedisSessionStore lock', () => {
  it('a crashed holder blocks the lock only until its expiry', async () => {
    const { store, keyPrefix } = await openStore({ lockWaitMs: 5_000 });
    // A holder that crashed: its lock stays until it expires.
    await raw.set(`${keyPrefix}lock:token:s`, 'crashed-holder', { expiration: { type: 'PX', value: 300 } });
    const ran = await store.lock('token:s', async () => raw.get(`${keyPrefix}lock:token:s`));
    expect(ran).not.toBe('crashed-holder');
    expect(ran).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // Released after use: the next holder takes it at once.
    expect(await raw.get(`${keyPrefix}lock:token:s`)).toBeNull();
  });

  it('waits a bounded time in all, then fails with STORE_LOCK_TIMEOUT (the app answers 503 session_busy)', async () => {
    const { store, keyPrefix } = await openStore({ lockWaitMs: 200 });
    await raw.set(`${keyPrefix}lock:token:s`, 'other-instance', {
      expiration: { type: 'PX', value: 60_000 },
    });
    let ran = false;
    const error = await store
      .lock('token:s', async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(isSessionStoreError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_LOCK_TIMEOUT' });
    expect(ran).toBe(false);
    // Another instance's lock is never released by a waiter.
    expect(await raw.get(`${keyPrefix}lock:token:s`)).toBe('other-instance');
  });

  it('releases only its own lock, and a holder whose lock was lost cannot write', async () => {
    const { store, keyPrefix } = await openStore();
    await store.set('token:s', 'saved-before', 60_000);
    const lockKey = `${keyPrefix}lock:token:s`;
    const error = await store
      .lock('token:s', async () => {
        // The lock expired during a long pause and another instance took it.
        await raw.set(lockKey, 'next-holder', { expiration: { type: 'PX', value: 60_000 } });
        await store.set('token:s', 'stale-write', 60_000);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_LOCK_LOST' });
    expect(await store.get('token:s')).toBe('saved-before');
    expect(await raw.get(lockKey)).toBe('next-holder');
  });

  it('a live holder keeps its lock past the expiry (renewed while held)', async () => {
    // Renewed every third of the expiry: a 1.5 s expiry leaves a whole second for a renewal on a busy machine.
    const { store, keyPrefix } = await openStore({ lockTtlMs: 1_500 });
    const lockKey = `${keyPrefix}lock:token:s`;
    await store.lock('token:s', async () => {
      const fence = await raw.get(lockKey);
      const started = performance.now();
      // Hold it for several expiries; it must still be ours throughout.
      await vi.waitFor(
        async () => {
          expect(await raw.get(lockKey)).toBe(fence);
          expect(performance.now() - started).toBeGreaterThan(4_000);
        },
        { timeout: 10_000, interval: 100 },
      );
      await store.set('token:s', 'written-by-holder', 60_000);
    });
    expect(await store.get('token:s')).toBe('written-by-holder');
    expect(await raw.get(lockKey)).toBeNull();
  });
});

describe('RedisSessionStore keys and outages', () => {
  it("keys live as long as the session (the refresh token's lifetime), the pairing or the rate-limit minute", async () => {
    const emu = await startEmu({
      clients: [
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK, `${ORIGIN}/relay`] },
      ],
    });
    const keyPrefix = `ttl-${nextPrefix()}:`;
    const instances = await startInstances(emu, redis.url, 1, keyPrefix);
    closing.push(instances);
    const [one] = instances.all;
    await signInAcross(one!, one!);
    // The relay's public URL (its pairings answer with it), served here by the one instance.
    await createRelayPairing(ORIGIN, {
      fetch: (input, init) => {
        const url = new URL(input);
        return fetch(`${one!.url}${url.pathname}${url.search}`, init);
      },
    });
    const keys = await raw.keys(`${keyPrefix}*`);
    const kinds = keys.map((k) => k.slice(keyPrefix.length).split(':', 1)[0]!).sort();
    expect(kinds).toEqual(['rate', 'relay', 'relay-open', 'session', 'token']);
    const ttl = async (kind: string) => raw.pTTL(keys.find((k) => k.startsWith(`${keyPrefix}${kind}:`))!);
    const fourteenDays = 14 * 86_400_000;
    for (const kind of ['session', 'token']) {
      expect(await ttl(kind)).toBeLessThanOrEqual(fourteenDays);
      expect(await ttl(kind)).toBeGreaterThan(fourteenDays - 60_000);
    }
    for (const kind of ['relay', 'relay-open']) {
      expect(await ttl(kind)).toBeLessThanOrEqual(600_000);
      expect(await ttl(kind)).toBeGreaterThan(540_000);
    }
    // The relay's rate-limit counter: one minute.
    expect(await ttl('rate')).toBeLessThanOrEqual(60_000);
    expect(await ttl('rate')).toBeGreaterThan(0);
  });

  it('an unreachable Redis fails every call with STORE_UNAVAILABLE, logged once', async () => {
    const gone = await startTestRedis();
    await gone.close();
    const events: WebLogEvent[] = [];
    const store = new RedisSessionStore({ url: gone.url, log: (e) => events.push(e) });
    closing.push(store);
    void store.connect();
    for (const call of [
      () => store.get('session:x'),
      () => store.set('session:x', 'v', 1_000),
      () => store.take('signin:x'),
      () => store.delete('token:x'),
      () => store.lock('token:x', async () => 'never'),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'SessionStoreError', code: 'STORE_UNAVAILABLE' });
    }
    expect(events.map((e) => e.event)).toEqual(['store_unavailable']);
    expect(events[0]!.message).toMatch(/^Redis is unavailable \(.+\); answering 503 until it is back\.$/);
  });

  it('a Redis that stops answering (frozen) fails calls after the command timeout, then recovers', async () => {
    const frozen = await startTestRedis();
    closing.push(frozen);
    const events: WebLogEvent[] = [];
    const store = new RedisSessionStore({
      url: frozen.url,
      commandTimeoutMs: 200,
      log: (e) => events.push(e),
    });
    closing.push(store);
    await store.connect();
    await store.set('session:kept', 'v', 60_000);
    frozen.pause();
    await expect(store.get('session:kept')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.get('session:kept')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    frozen.resume();
    await vi.waitFor(async () => expect(await store.get('session:kept')).toBe('v'), { timeout: 10_000 });
    expect(events.map((e) => e.event)).toEqual(['store_unavailable', 'store_recovered']);
  });
});
