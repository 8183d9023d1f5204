import { describe, expect, it } from 'vitest';
import {
  createAuthorizationRequest,
  createRelayPairing,
  exchangeCode,
  isRelayError,
  parseRelayUrl,
  RelayError,
} from '../src/index.js';
import { visitSignInLink } from '../src/node/index.js';
import { startRelay, terminalConfig } from './relay-helpers.js';

/** The authorize URL a terminal shows: the relay's callback, and the state naming the pairing. */
async function authorizeThroughRelay(relayUrl: string, config: ReturnType<typeof terminalConfig>) {
  const pairing = await createRelayPairing(relayUrl);
  const request = await createAuthorizationRequest(config, { redirectUri: pairing.redirectUri });
  const url = new URL(request.url);
  url.searchParams.set('state', pairing.relayState(request.state));
  return { pairing, request, url };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('relay client (the terminal side) against the real web app', () => {
  it('pairs, the browser lands on /relay, the terminal decrypts, checks the state and exchanges the code', async () => {
    const relay = await startRelay();
    const config = terminalConfig(relay);
    const { pairing, request, url } = await authorizeThroughRelay(relay.url, config);
    expect(pairing.redirectUri).toBe(`${relay.url}/relay`);
    expect(url.searchParams.get('redirect_uri')).toBe(`${relay.url}/relay`);
    expect(url.searchParams.get('state')).toBe(`${pairing.pairingId}.${request.state}`);
    const page = await visitSignInLink(url.href);
    expect(page.url.startsWith(`${relay.url}/relay?`)).toBe(true);
    expect(page.body).toContain('terminal');
    const code = await pairing.waitForCode(config, request.state, { pollSeconds: 1 });
    const token = await exchangeCode(config, {
      code,
      codeVerifier: request.codeVerifier,
      redirectUri: pairing.redirectUri,
    });
    expect(token.accessToken.length).toBeGreaterThan(0);
  });

  it('a pairing read without its poll token yields nothing, and the terminal still gets it once', async () => {
    const relay = await startRelay();
    const config = terminalConfig(relay);
    const { pairing, request, url } = await authorizeThroughRelay(relay.url, config);
    await visitSignInLink(url.href);
    const pollUrl = `${relay.url}/api/relay/pairings/${pairing.pairingId}?wait=0`;
    const anonymous = await fetch(pollUrl);
    expect(anonymous.status).toBe(404);
    const forged = await fetch(pollUrl, { headers: { authorization: `Bearer ${'A'.repeat(43)}` } });
    expect(forged.status).toBe(404);
    expect(await forged.text()).not.toContain('ciphertext');
    const code = await pairing.waitForCode(config, request.state, { pollSeconds: 0 });
    expect(code.length).toBeGreaterThan(0);
    // Single read: gone afterwards, even for its creator.
    const again = await caught(pairing.waitForCallback({ pollSeconds: 0 }));
    expect(isRelayError(again) && again.code).toBe('RELAY_PAIRING_EXPIRED');
  });

  it("an envelope copied off the wire cannot be read with another pairing's key", async () => {
    const relay = await startRelay();
    const config = terminalConfig(relay);
    let stolen = '';
    const victim = await createRelayPairing(relay.url, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (input.includes('/api/relay/pairings/') && response.status === 200) {
          stolen = await response.clone().text();
        }
        return response;
      },
    });
    const request = await createAuthorizationRequest(config, { redirectUri: victim.redirectUri });
    const url = new URL(request.url);
    url.searchParams.set('state', victim.relayState(request.state));
    await visitSignInLink(url.href);
    await victim.waitForCode(config, request.state, { pollSeconds: 0 });
    expect(JSON.parse(stolen)).toHaveProperty('ciphertext');
    // The eavesdropper replays the real envelope to a pairing of its own (its own private key).
    const other = await createRelayPairing(relay.url, {
      fetch: async (input, init) =>
        input.includes('/api/relay/pairings/')
          ? new Response(stolen, { status: 200, headers: { 'content-type': 'application/json' } })
          : fetch(input, init),
    });
    const error = await caught(other.waitForCallback({ pollSeconds: 0 }));
    expect(isRelayError(error) && error.code).toBe('RELAY_DECRYPT_FAILED');
  });

  it('a tampered ciphertext is refused with RELAY_DECRYPT_FAILED', async () => {
    const relay = await startRelay();
    const config = terminalConfig(relay);
    let tampered = 0;
    const pairing = await createRelayPairing(relay.url, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!input.includes('/api/relay/pairings/') || response.status !== 200) return response;
        const envelope = (await response.json()) as Record<string, string>;
        const last = envelope.ciphertext as string;
        envelope.ciphertext = `${last.slice(0, -2)}${last.endsWith('AA') ? 'BA' : 'AA'}`;
        tampered += 1;
        return Response.json(envelope);
      },
    });
    const request = await createAuthorizationRequest(config, { redirectUri: pairing.redirectUri });
    const url = new URL(request.url);
    url.searchParams.set('state', pairing.relayState(request.state));
    await visitSignInLink(url.href);
    const error = await caught(pairing.waitForCode(config, request.state, { pollSeconds: 0 }));
    expect(tampered).toBe(1);
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).code).toBe('RELAY_DECRYPT_FAILED');
    expect((error as RelayError).message).toContain('start again');
  });

  it('a callback with another state for the pairing is refused with STATE_MISMATCH', async () => {
    const relay = await startRelay();
    const config = terminalConfig(relay);
    const { pairing, request, url } = await authorizeThroughRelay(relay.url, config);
    url.searchParams.set('state', pairing.relayState('not-the-terminal-state'));
    await visitSignInLink(url.href);
    const error = (await caught(pairing.waitForCode(config, request.state, { pollSeconds: 0 }))) as {
      code: string;
    };
    expect(error.code).toBe('STATE_MISMATCH');
  });

  it('the wait is cancelled by its signal (ABORTED)', async () => {
    const relay = await startRelay();
    const pairing = await createRelayPairing(relay.url);
    const stop = new AbortController();
    const waiting = caught(pairing.waitForCallback({ signal: stop.signal, pollSeconds: 30 }));
    stop.abort();
    expect(((await waiting) as { code: string }).code).toBe('ABORTED');
  });

  it('a relay that names another callback than its own /relay is refused (RELAY_BAD_RESPONSE)', async () => {
    const error = await caught(
      createRelayPairing('http://127.0.0.1:9', {
        fetch: async () =>
          Response.json(
            {
              pairing_id: 'p'.repeat(43),
              poll_token: 't'.repeat(43),
              redirect_uri: 'https://evil.example/relay',
              expires_in: 600,
            },
            { status: 201 },
          ),
      }),
    );
    expect(isRelayError(error) && error.code).toBe('RELAY_BAD_RESPONSE');
  });

  it('an unreachable relay is RELAY_UNAVAILABLE, a busy one RELAY_RATE_LIMITED', async () => {
    const down = await caught(
      createRelayPairing('http://127.0.0.1:9', {
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }),
    );
    expect(isRelayError(down) && down.code).toBe('RELAY_UNAVAILABLE');
    const busy = await caught(
      createRelayPairing('https://auth.example.com', {
        fetch: async () => new Response('{}', { status: 429 }),
      }),
    );
    expect(isRelayError(busy) && busy.code).toBe('RELAY_RATE_LIMITED');
  });
});

describe('parseRelayUrl', () => {
  it('takes https anywhere and plain http for a loopback host only', () => {
    expect(parseRelayUrl('https://auth.example.com/some/path')).toBe('https://auth.example.com');
    expect(parseRelayUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseRelayUrl('http://localhost:3000/')).toBe('http://localhost:3000');
    for (const bad of [
      'http://auth.example.com',
      'ftp://auth.example.com',
      'not a url',
      'https://u:p@x.example',
    ]) {
      let error: unknown;
      try {
        parseRelayUrl(bad);
      } catch (e) {
        error = e;
      }
      expect(isRelayError(error) && error.code).toBe('RELAY_URL_INVALID');
    }
  });
});
