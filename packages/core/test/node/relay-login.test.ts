import { createManualTimers } from '@aps-auth/test-utils';
import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../src/index.js';
import {
  EXIT_CODES,
  exitCodeForError,
  followSignInLink,
  type LoginEvent,
  login,
} from '../../src/node/index.js';
import { startRelay, terminalConfig } from '../relay-helpers.js';

async function caught(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Record<string, unknown>,
  );
}

describe('login({ relay })', () => {
  it('pairs, shows the authorize URL with the relay callback, waits, exchanges with its own verifier, stores', async () => {
    const relay = await startRelay();
    const store = new MemoryTokenStore();
    const events: LoginEvent[] = [];
    const { token } = await login({
      config: terminalConfig(relay),
      store,
      key: 'work',
      relay: relay.url,
      openUrl: (url) => followSignInLink(url),
      onEvent: (event) => events.push(event),
    });
    expect(await store.load('work')).toEqual(token);
    const types = events.map((event) => event.type);
    expect(types).toEqual([
      'authorize-url',
      'waiting',
      'browser-opened',
      'callback-received',
      'exchanging',
      'stored',
    ]);
    const shown = events.find((event) => event.type === 'authorize-url') as {
      url: string;
      startLink: boolean;
    };
    expect(shown.startLink).toBe(false);
    const url = new URL(shown.url);
    expect(url.searchParams.get('redirect_uri')).toBe(`${relay.url}/relay`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    // One exchange, by the terminal's own client (the relay never exchanges a relayed code).
    const exchanges = relay.emu.control
      .requests()
      .filter((entry) => entry.endpoint === 'token' && entry.grantType === 'authorization_code');
    expect(exchanges.map((entry) => [entry.clientId, entry.status])).toEqual([['terminal-app-id', 200]]);
  });

  it('times out like the loopback mode, naming the relay callback to register (LOGIN_TIMEOUT)', async () => {
    const relay = await startRelay();
    const timers = createManualTimers();
    const error = await caught(
      login({
        config: { ...terminalConfig(relay), setTimer: timers.setTimer },
        store: new MemoryTokenStore(),
        key: 'work',
        relay: relay.url,
        openUrl: false,
        timeoutMs: 300,
        // Time runs out once the terminal waits for the relay (nobody signs in).
        onEvent: (event) => {
          if (event.type === 'waiting') timers.expire(300);
        },
      }),
    );
    expect(error.code).toBe('LOGIN_TIMEOUT');
    expect(error.redirectUri).toBe(`${relay.url}/relay`);
    expect(String(error.message)).toContain(`${relay.url}/relay is not registered`);
  });

  it('waits no longer than the pairing lives, and says so in the authorize-url event (the countdown)', async () => {
    // A pairing of a minute against a login timeout of five: the wait is the pairing's minute, exactly (the
    // terminal's clock stands still), and it runs out when the test says so (manual timers), not in real time.
    const relay = await startRelay({ relayTtlSeconds: 60 });
    const events: LoginEvent[] = [];
    const timers = createManualTimers();
    const clock = Date.now();
    const error = await caught(
      login({
        config: { ...terminalConfig(relay), now: () => clock, setTimer: timers.setTimer },
        store: new MemoryTokenStore(),
        key: 'work',
        relay: relay.url,
        openUrl: false,
        timeoutMs: 300_000,
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'waiting') timers.expire(60_000);
        },
      }),
    );
    const shown = events.find((event) => event.type === 'authorize-url');
    expect(shown?.timeoutMs).toBe(60_000);
    expect(error.code).toBe('LOGIN_TIMEOUT');
    expect(error.timeoutMs).toBe(60_000);
  });

  it('is cancelled by its signal once the URL is shown (ABORTED), and refuses relay with manual', async () => {
    const relay = await startRelay();
    const stop = new AbortController();
    const error = await caught(
      login({
        config: terminalConfig(relay),
        store: new MemoryTokenStore(),
        key: 'work',
        relay: relay.url,
        openUrl: false,
        signal: stop.signal,
        onEvent: (event) => {
          if (event.type === 'waiting') stop.abort();
        },
      }),
    );
    expect(error.code).toBe('ABORTED');
    const both = await caught(
      login({
        config: terminalConfig(relay),
        store: new MemoryTokenStore(),
        key: 'work',
        relay: relay.url,
        manual: { readLine: async () => undefined },
      }),
    );
    expect(both.code).toBe('CONFIGURATION_ERROR');
  });

  it('refuses a plain-http relay that is not on a loopback host before anything is sent (RELAY_URL_INVALID)', async () => {
    const relay = await startRelay();
    const error = await caught(
      login({
        config: terminalConfig(relay),
        store: new MemoryTokenStore(),
        key: 'work',
        relay: 'http://auth.example.com',
        openUrl: false,
      }),
    );
    expect(error.code).toBe('RELAY_URL_INVALID');
  });

  it('an unreachable relay ends the login as a network failure (RELAY_UNAVAILABLE, exit code NETWORK)', async () => {
    const relay = await startRelay();
    const error = await caught(
      login({
        config: {
          ...terminalConfig(relay),
          fetch: async () => Promise.reject(new TypeError('fetch failed')),
        },
        store: new MemoryTokenStore(),
        key: 'work',
        relay: relay.url,
        openUrl: false,
      }),
    );
    expect(error.code).toBe('RELAY_UNAVAILABLE');
    expect(exitCodeForError(error)).toBe(EXIT_CODES.NETWORK);
  });
});
