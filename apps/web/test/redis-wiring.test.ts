/** The bin's REDIS_URL: read, checked, and the sessions of the served app then live in Redis. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebEnv, runWebServer } from '../src/node/index.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
let cwd: string;
beforeAll(async () => {
  redis = await startTestRedis();
  cwd = await mkdtemp(join(tmpdir(), 'aps-auth-web-'));
});
afterAll(async () => {
  await redis?.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('REDIS_URL', () => {
  it('is read from the environment and must be a redis:// or rediss:// URL', () => {
    expect(loadWebEnv({ REDIS_URL: 'redis://127.0.0.1:6379/2' }, cwd).redisUrl).toBe(
      'redis://127.0.0.1:6379/2',
    );
    expect(loadWebEnv({}, cwd).redisUrl).toBeUndefined();
    for (const bad of ['http://127.0.0.1:6379', '127.0.0.1:6379']) {
      expect(() => loadWebEnv({ REDIS_URL: bad }, cwd)).toThrow(
        expect.objectContaining({ code: 'CONFIGURATION_ERROR', field: 'REDIS_URL' }),
      );
    }
  });

  it("puts the served app's sessions in Redis, and never logs the password of the URL", async () => {
    const lines: string[] = [];
    const running = await runWebServer({
      env: { PORT: '0', REDIS_URL: redis.url },
      cwd,
      write: (l) => lines.push(l),
    });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      expect(lines.join('\n')).toContain(`sessions in Redis (${redis.url}`);
      const login = await fetch(`${running.url}/api/auth/login`, { redirect: 'manual' });
      expect(login.status).toBe(302);
      expect(await raw.keys('aps-auth-web:signin:*')).toHaveLength(1);
    } finally {
      await raw.close();
      await running.close();
    }

    const hidden: string[] = [];
    const withPassword = `redis://user:s3cret-pw@127.0.0.1:${redis.port}`;
    const other = await runWebServer({
      env: { PORT: '0', REDIS_URL: withPassword },
      cwd,
      write: (l) => hidden.push(l),
    });
    await other.close();
    expect(hidden.join('\n')).toContain('redis://user:***@127.0.0.1');
    expect(hidden.join('\n')).not.toContain('s3cret-pw');
  });
});
