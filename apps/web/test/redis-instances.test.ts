/**
 * Several instances of the web app sharing one Redis (a real redis-server), each on its own port with its own
 * Redis client, as behind a load balancer: sign-in, one refresh per token across all of them, relay pairings.
 */
import { createAuthorizationRequest, exchangeCode, parseCallback } from '@aps-auth/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRelayPairing } from '../src/index.js';
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, ORIGIN, SCOPES, startEmu, tokenCalls } from './helpers.js';
import { type Instances, signInAcross, startInstances } from './instances.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

const RELAY = `${ORIGIN}/relay`;
let redis: TestRedis;
let running: Instances | undefined;
let prefixes = 0;
const nextPrefix = () => {
  prefixes += 1;
  return prefixes;
};

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});
afterAll(async () => {
  await redis?.close();
});

async function setUp() {
  const emu = await startEmu({
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [CALLBACK, RELAY],
        name: 'Web Test App',
      },
    ],
    rateLimits: false,
  });
  running = await startInstances(emu, redis.url, 3, `instances-${nextPrefix()}:`);
  return { emu, instances: running };
}

describe('several instances sharing Redis', () => {
  it('50 concurrent token requests across three instances on an expired token: one refresh, all succeed', async () => {
    const { emu, instances } = await setUp();
    const [a, b, c] = instances.all as [Instances['all'][0], Instances['all'][0], Instances['all'][0]];
    // Signed in on one instance, the callback served by another: the sign-in record is shared.
    const cookie = await signInAcross(a, b);
    expect(tokenCalls(emu, 'refresh_token')).toHaveLength(0);
    // The session's access token has expired (APS access tokens live an hour).
    instances.clock.advance(3_600);

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${[a, b, c][i % 3]!.url}/api/auth/token`, { headers: { cookie } }).then(async (res) => ({
          status: res.status,
          body: (await res.json()) as { access_token?: string; expires_in?: number; error?: string },
        })),
      ),
    );

    expect(answers.filter((r) => r.status !== 200)).toEqual([]);
    const tokens = new Set(answers.map((r) => r.body.access_token));
    expect(tokens.size).toBe(1);
    expect(answers[0]!.body.expires_in).toBeGreaterThan(3_000);
    const refreshes = tokenCalls(emu, 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ status: 200 });
    // The rotated refresh token was stored: the next refresh (another instance, an hour later) works.
    instances.clock.advance(3_600);
    const later = await fetch(`${c.url}/api/auth/profile`, { headers: { cookie } });
    expect(later.status).toBe(200);
    expect(tokenCalls(emu, 'refresh_token').map((r) => r.status)).toEqual([200, 200]);
  });

  it('concurrent profile requests across instances on an expired token: one full refresh (lock, then re-read)', async () => {
    const { emu, instances } = await setUp();
    const [a, b, c] = instances.all as [Instances['all'][0], Instances['all'][0], Instances['all'][0]];
    const cookie = await signInAcross(c, a);
    instances.clock.advance(3_600);
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${[a, b, c][i % 3]!.url}/api/auth/profile`, { headers: { cookie } }).then((res) => res.status),
      ),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // The instances that waited for the lock found the refreshed token on re-reading and sent nothing.
    const refreshes = tokenCalls(emu, 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ status: 200 });
  });

  it('a session signed in on one instance is signed out on all of them by a logout on another', async () => {
    const { instances } = await setUp();
    const [a, b, c] = instances.all as [Instances['all'][0], Instances['all'][0], Instances['all'][0]];
    const cookie = await signInAcross(a, a);
    expect((await fetch(`${c.url}/api/auth/token`, { headers: { cookie } })).status).toBe(200);
    const logout = await fetch(`${b.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: ORIGIN },
      redirect: 'manual',
    });
    expect(logout.status).toBe(303);
    const after = await fetch(`${c.url}/api/auth/token`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: 'not_signed_in' });
  });

  it('a relay pairing created on one instance is completed on another and read on a third', async () => {
    const { emu, instances } = await setUp();
    const [a, b, c] = instances.all as [Instances['all'][0], Instances['all'][0], Instances['all'][0]];
    // The terminal's calls: the pairing goes to the first instance, its polls to the third.
    const routed: string[] = [];
    const relayFetch = (input: string, init?: RequestInit) => {
      const url = new URL(input);
      const target = init?.method === 'POST' ? a : c;
      routed.push(`${init?.method ?? 'GET'} ${target.url}`);
      return fetch(`${target.url}${url.pathname}${url.search}`, init);
    };
    // The terminal knows the relay by its public URL (the load balancer's), the one its pairings answer with.
    const pairing = await createRelayPairing(ORIGIN, { fetch: relayFetch });
    const terminal = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.url, scopes: SCOPES };
    const request = await createAuthorizationRequest({ ...terminal, redirectUri: pairing.redirectUri });
    const state = pairing.relayState(request.state);
    const authorize = new URL(request.url);
    authorize.searchParams.set('state', state);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(RELAY);

    // The person's browser lands on the second instance.
    const page = await fetch(`${b.url}${back.pathname}${back.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Return to your terminal');
    // Single use across instances: a second landing elsewhere is refused.
    expect((await fetch(`${a.url}${back.pathname}${back.search}`)).status).toBe(410);

    const params = await pairing.waitForCallback({ pollSeconds: 0 });
    const { code } = parseCallback(terminal, params, { state });
    expect(code).toBe(back.searchParams.get('code'));
    const token = await exchangeCode(
      { ...terminal, redirectUri: pairing.redirectUri },
      { code, codeVerifier: request.codeVerifier },
    );
    expect(token.refreshToken).toBeDefined();
    expect(routed).toEqual([`POST ${a.url}`, `GET ${c.url}`]);
  });
});
