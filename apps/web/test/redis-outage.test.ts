/**
 * Redis stopped and restarted under load: 503s with a code while it is down (one log line per instance and
 * outage), recovery without a restart of the app, no session lost.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, startEmu, tokenCalls } from './helpers.js';
import { type Instance, type Instances, signInAcross, startInstances } from './instances.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis | undefined;
let running: Instances | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
  await redis?.close();
  redis = undefined;
});

interface Answer {
  status: number;
  error?: string;
  code?: string;
  accessToken?: string;
}

async function getToken(instance: Instance, cookie: string): Promise<Answer> {
  const res = await fetch(`${instance.url}/api/auth/token`, { headers: { cookie } });
  const body = (await res.json()) as { error?: string; code?: string; access_token?: string };
  return { status: res.status, error: body.error, code: body.code, accessToken: body.access_token };
}

const eventsNamed = (instance: Instance, name: string) => instance.events.filter((e) => e.event === name);

describe('Redis unavailable', () => {
  it('answers 503 with a code while Redis is down, logs once per outage, and recovers with every session', async () => {
    // An append-only file: a Redis that keeps its data across a restart, as in production.
    redis = await startTestRedis({ appendOnly: true });
    const emu = await startEmu({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK] }],
      rateLimits: false,
    });
    running = await startInstances(emu, redis.url, 3, 'outage:');
    const all = running.all;
    const cookie = await signInAcross(all[0]!, all[1]!);
    const before = await getToken(all[2]!, cookie);
    expect(before.status).toBe(200);
    // The Viewer's token is cut from the grant with one refresh.
    expect(tokenCalls(emu, 'refresh_token').map((r) => r.status)).toEqual([200]);

    // Load on every instance for the whole run.
    const answers: Answer[] = [];
    let loading = true;
    const load = Promise.all(
      all.map(async (instance) => {
        while (loading) answers.push(await getToken(instance, cookie));
      }),
    );
    await vi.waitFor(() => expect(answers.length).toBeGreaterThan(10), { timeout: 10_000 });

    await redis.stop();
    await vi.waitFor(() => expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(10), {
      timeout: 10_000,
    });
    const down = await getToken(all[0]!, cookie);
    expect(down).toMatchObject({ status: 503, error: 'store_unavailable', code: 'STORE_UNAVAILABLE' });
    const page = await fetch(`${all[1]!.url}/`, { headers: { cookie } });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    const html = await page.text();
    expect(html).toContain('store_unavailable');
    expect(html).toContain('Temporarily unavailable');
    // The token expires during the outage: the refresh waits for Redis (no refresh without the lock).
    running.clock.advance(3_600);

    await redis.start();
    await vi.waitFor(
      async () => {
        for (const instance of all) expect((await getToken(instance, cookie)).status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
    loading = false;
    await load;

    // Every answer was a token or a 503 with its code; never a 500, never "signed out".
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.accessToken).toBeDefined();
      else expect(answer).toMatchObject({ status: 503, error: 'store_unavailable' });
    }
    // The session survived: the same cookie works on every instance, and the expired token was refreshed once.
    const after = await getToken(all[0]!, cookie);
    expect(after.status).toBe(200);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(tokenCalls(emu, 'refresh_token').map((r) => r.status)).toEqual([200, 200]);
    expect((await fetch(`${all[1]!.url}/api/auth/profile`, { headers: { cookie } })).status).toBe(200);
    // One line per instance for the outage, one for the recovery; none per request.
    for (const instance of all) {
      expect(eventsNamed(instance, 'store_unavailable')).toHaveLength(1);
      expect(eventsNamed(instance, 'store_unavailable')[0]!.level).toBe('error');
      expect(eventsNamed(instance, 'store_recovered')).toHaveLength(1);
      expect(
        instance.events.filter((e) => e.event === 'token_failed' || e.event === 'internal_error'),
      ).toEqual([]);
    }
  });
});
