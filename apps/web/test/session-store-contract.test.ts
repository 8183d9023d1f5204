import { afterAll, afterEach, beforeAll } from 'vitest';
import { MemorySessionStore } from '../src/index.js';
import { RedisSessionStore } from '../src/node/index.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { describeSessionStoreContract } from './session-store-contract.js';

let redis: TestRedis;
const opened: RedisSessionStore[] = [];
let prefixes = 0;
const nextPrefix = () => {
  prefixes += 1;
  return prefixes;
};

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await redis?.close();
});

describeSessionStoreContract('MemorySessionStore', async () => {
  const store = new MemorySessionStore();
  return { a: store, b: store };
});

describeSessionStoreContract('RedisSessionStore (two clients, one redis-server)', async () => {
  // A fresh prefix per test: the tests share the server, never each other's keys.
  const keyPrefix = `contract-${nextPrefix()}:`;
  const a = new RedisSessionStore({ url: redis.url, keyPrefix });
  const b = new RedisSessionStore({ url: redis.url, keyPrefix });
  opened.push(a, b);
  await Promise.all([a.connect(), b.connect()]);
  return { a, b };
});
