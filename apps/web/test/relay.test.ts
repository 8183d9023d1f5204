/** The relay: a terminal without a browser signs in from another device; the relay never can use the code. */
import { createAuthorizationRequest, exchangeCode, parseCallback } from '@aps-auth/core';
import { describe, expect, it } from 'vitest';
import {
  decryptFromRelay,
  encryptForPairing,
  fromBase64Url,
  importPairingKey,
  toBase64Url,
  type WebCryptoKeyPair,
} from '../src/app/relay/crypto.js';
import { createRelayPairing, MemorySessionStore, type SessionStore } from '../src/index.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  deny,
  makeApp,
  ORIGIN,
  SCOPES,
  startEmu,
  TestClock,
  tokenCalls,
} from './helpers.js';

const RELAY = `${ORIGIN}/relay`;

/** A session store that remembers every value written to it. */
function recordingStore(now: () => number): { store: SessionStore; written: string[] } {
  const inner = new MemorySessionStore({ now });
  const written: string[] = [];
  const store: SessionStore = {
    get: (key) => inner.get(key),
    set: (key, value, ttl) => {
      written.push(`${key}=${value}`);
      return inner.set(key, value, ttl);
    },
    take: (key) => inner.take(key),
    delete: (key) => inner.delete(key),
    increment: (key, ttl) => inner.increment(key, ttl),
    lock: (key, fn) => inner.lock(key, fn),
  };
  return { store, written };
}

async function setUp(options: { autoApprove?: boolean; relayRateLimit?: number; clock?: TestClock } = {}) {
  const emu = await startEmu({
    autoApprove: options.autoApprove ?? true,
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [RELAY], name: 'Relay App' }],
  });
  const clockRef = { now: Date.now };
  const recorded = recordingStore(() => clockRef.now());
  const t = await makeApp({
    emu,
    store: recorded.store,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.relayRateLimit === undefined ? {} : { relayRateLimit: options.relayRateLimit }),
  });
  clockRef.now = t.clock.now;
  const relayFetch = (input: string, init?: RequestInit) => Promise.resolve(t.app.request(input, init));
  // The terminal's configuration: it has the client secret, the relay does not need it for this.
  const terminal = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.url, scopes: SCOPES };
  return { ...t, written: recorded.written, relayFetch, terminal };
}

async function startTerminalSignIn(t: Awaited<ReturnType<typeof setUp>>) {
  const pairing = await createRelayPairing(ORIGIN, { fetch: t.relayFetch });
  const request = await createAuthorizationRequest({ ...t.terminal, redirectUri: pairing.redirectUri });
  const state = pairing.relayState(request.state);
  const url = new URL(request.url);
  url.searchParams.set('state', state);
  return { pairing, request, state, url };
}

describe('relay', () => {
  it('hands the sign-in to the terminal, encrypted; the terminal exchanges the code itself', async () => {
    const t = await setUp();
    const { pairing, request, state, url } = await startTerminalSignIn(t);
    expect(pairing.redirectUri).toBe(RELAY);
    // The person's browser, on another device: no cookie, nothing but the authorize URL.
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(RELAY);
    const code = back.searchParams.get('code')!;
    const page = await t.app.request(`${ORIGIN}${back.pathname}${back.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Return to your terminal');
    expect(html).not.toContain(code);
    // The relay kept ciphertext only, and exchanged nothing.
    expect(t.written.join('\n')).not.toContain(code);
    expect(tokenCalls(t.emu, 'authorization_code')).toHaveLength(0);

    const params = await pairing.waitForCallback({ pollSeconds: 0 });
    const parsed = parseCallback(t.terminal, params, { state });
    expect(parsed.code).toBe(code);
    const token = await exchangeCode(
      { ...t.terminal, redirectUri: pairing.redirectUri },
      { code: parsed.code, codeVerifier: request.codeVerifier },
    );
    expect(token.refreshToken).toBeDefined();
    expect(tokenCalls(t.emu, 'authorization_code')).toMatchObject([{ status: 200 }]);
  });

  it('relays one callback per pairing, read once, only by the holder of the poll token', async () => {
    const t = await setUp();
    const { pairing, url } = await startTerminalSignIn(t);
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    expect((await t.app.request(`${ORIGIN}${back.pathname}${back.search}`)).status).toBe(200);
    const again = await t.app.request(`${ORIGIN}${back.pathname}${back.search}`);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('pairing_used');
    // Someone who saw the pairing id in the browser's address bar gets nothing and takes nothing.
    const stranger = await t.app.request(`${ORIGIN}/api/relay/pairings/${pairing.pairingId}`, {
      headers: { authorization: 'Bearer guessed-token' },
    });
    expect(stranger.status).toBe(404);
    await expect(pairing.waitForCallback({ pollSeconds: 0 })).resolves.toBeInstanceOf(URLSearchParams);
    await expect(pairing.waitForCallback({ pollSeconds: 0 })).rejects.toMatchObject({
      code: 'RELAY_PAIRING_EXPIRED',
    });
  });

  it('answers pending while the person has not signed in yet', async () => {
    const t = await setUp();
    const pairing = await createRelayPairing(ORIGIN, { fetch: t.relayFetch });
    const created = t.written.find((w) => w.startsWith(`relay:${pairing.pairingId}=`))!;
    const pollToken = (JSON.parse(created.slice(created.indexOf('=') + 1)) as { pollToken: string })
      .pollToken;
    const res = await t.app.request(`${ORIGIN}/api/relay/pairings/${pairing.pairingId}?wait=0`, {
      headers: { authorization: `Bearer ${pollToken}` },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'pending' });
  });

  it('tells the terminal that the person denied access', async () => {
    const t = await setUp({ autoApprove: false });
    const { pairing, state, url } = await startTerminalSignIn(t);
    const back = await deny(t.emu, url);
    const page = await (await t.app.request(`${ORIGIN}${back.pathname}${back.search}`)).text();
    expect(page).toContain('You did not allow access');
    const params = await pairing.waitForCallback({ pollSeconds: 0 });
    expect(() => parseCallback(t.terminal, params, { state })).toThrow(
      expect.objectContaining({ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'access_denied' }),
    );
  });

  it('forgets a pairing after its lifetime', async () => {
    const t = await setUp();
    const { pairing, url } = await startTerminalSignIn(t);
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    t.clock.advance(601);
    expect((await t.app.request(`${ORIGIN}${back.pathname}${back.search}`)).status).toBe(410);
    await expect(pairing.waitForCallback({ pollSeconds: 0 })).rejects.toMatchObject({
      code: 'RELAY_PAIRING_EXPIRED',
    });
  });

  it('limits pairings per minute (429 with Retry-After) and refuses a key that is not a P-256 point', async () => {
    // A frozen clock: the limit counts per minute of the app's clock, and real time must not end the minute.
    const t = await setUp({ relayRateLimit: 2, clock: new TestClock({ frozen: true }) });
    const post = (publicKey: string) =>
      t.app.request(`${ORIGIN}/api/relay/pairings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ public_key: publicKey }),
      });
    const pairingKeys = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ])) as WebCryptoKeyPair;
    const goodKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pairingKeys.publicKey)));
    // A cross-site form can only send text/plain: refused before it spends the rate limit.
    const form = await t.app.request(`${ORIGIN}/api/relay/pairings`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ public_key: goodKey }),
    });
    expect(form.status).toBe(415);
    const bad = await post(toBase64Url(new Uint8Array(65).fill(4)));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_public_key' });
    await createRelayPairing(ORIGIN, { fetch: t.relayFetch });
    const limited = await post('x');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await expect(createRelayPairing(ORIGIN, { fetch: t.relayFetch })).rejects.toMatchObject({
      code: 'RELAY_RATE_LIMITED',
    });
    t.clock.advance(60);
    await expect(createRelayPairing(ORIGIN, { fetch: t.relayFetch })).resolves.toHaveProperty('pairingId');
  });

  it('counts the limit in the session store: instances sharing it share the limit', async () => {
    const emu = await startEmu({
      clients: [
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [RELAY], name: 'Relay App' },
      ],
    });
    const clock = new TestClock({ frozen: true });
    const store = new MemorySessionStore({ now: clock.now });
    const [a, b] = await Promise.all([
      makeApp({ emu, relayRateLimit: 2, store, clock }),
      makeApp({ emu, relayRateLimit: 2, store, clock }),
    ]);
    const via = (t: typeof a) => (input: string, init?: RequestInit) =>
      Promise.resolve(t.app.request(input, init));
    await createRelayPairing(ORIGIN, { fetch: via(a) });
    await createRelayPairing(ORIGIN, { fetch: via(b) });
    await expect(createRelayPairing(ORIGIN, { fetch: via(a) })).rejects.toMatchObject({
      code: 'RELAY_RATE_LIMITED',
    });
    await expect(createRelayPairing(ORIGIN, { fetch: via(b) })).rejects.toMatchObject({
      code: 'RELAY_RATE_LIMITED',
    });
  });

  it('without a pairing, /relay is the copy page for aps-auth login --manual', async () => {
    const { app } = await makeApp();
    const res = await app.request(`${ORIGIN}/relay?code=the-code&state=plain-state`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('aps-auth login --manual');
    expect(html).toContain(`${ORIGIN}/relay?code=the-code&amp;state=plain-state</textarea>`);
  });
});

describe('relay encryption', () => {
  it('only the pairing key opens an envelope, and any change to it is detected', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ])) as WebCryptoKeyPair;
    const raw = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)));
    const envelope = await encryptForPairing(await importPairingKey(raw), 'pairing-1', '{"code":"c"}');
    await expect(decryptFromRelay(keys.privateKey, 'pairing-1', envelope)).resolves.toBe('{"code":"c"}');
    await expect(decryptFromRelay(keys.privateKey, 'pairing-2', envelope)).rejects.toThrow();
    const bytes = fromBase64Url(envelope.ciphertext);
    bytes[0] = bytes[0]! ^ 1;
    const flipped = { ...envelope, ciphertext: toBase64Url(bytes) };
    await expect(decryptFromRelay(keys.privateKey, 'pairing-1', flipped)).rejects.toThrow();
    const other = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ])) as WebCryptoKeyPair;
    await expect(decryptFromRelay(other.privateKey, 'pairing-1', envelope)).rejects.toThrow();
  });
});
