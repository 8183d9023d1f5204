/** `--demo --relay`: the demo's emulator accepts the relay's callback URL for its client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthorizationRequest } from '@aps-auth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo } from '../src/demo.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the demo's emulator answers to an authorize request of its client with `redirectUri`. */
async function authorize(relay: string | undefined, redirectUri: string): Promise<Response> {
  const cwd = await mkdtemp(join(tmpdir(), 'aps-auth-tui-demo-relay-'));
  cleanups.push(() => rm(cwd, { recursive: true, force: true }));
  const demo = await startDemo({ HOME: cwd }, cwd, undefined, relay);
  if (demo === undefined) throw new Error('the demo did not start (credentials configured?)');
  cleanups.push(() => demo.close());
  const request = await createAuthorizationRequest({
    clientId: demo.env.APS_CLIENT_ID!,
    baseUrl: demo.env.APS_BASE_URL!,
    redirectUri,
    scopes: ['data:read'],
  });
  return fetch(request.url, { redirect: 'manual' });
}

describe('the demo with --relay', () => {
  it("registers the relay's /relay for the demo's client, so the emulator sends the code there", async () => {
    const relay = 'http://127.0.0.1:9';
    const answer = await authorize(relay, `${relay}/relay`);
    expect(answer.status).toBeGreaterThanOrEqual(300);
    expect(answer.status).toBeLessThan(400);
    expect(answer.headers.get('location')?.startsWith(`${relay}/relay?code=`)).toBe(true);
  });

  it('without --relay the same callback URL is refused, as APS refuses an unregistered one', async () => {
    const answer = await authorize(undefined, 'http://127.0.0.1:9/relay');
    await answer.body?.cancel();
    expect(answer.status).toBe(400);
  });
});
