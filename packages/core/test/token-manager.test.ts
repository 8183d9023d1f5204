import { describe, expect, it } from 'vitest';
import {
  type ApsAuthConfig,
  introspectToken,
  isAbortedError,
  isSignInRequiredError,
  MemoryTokenStore,
  refreshToken,
  revokeToken,
  type Token,
  TokenManager,
  type TokenStore,
} from '../src/index.js';
import { confidentialConfig, login, publicConfig, start } from './helpers.js';

/** A logged-in grant in a memory store, core's clock tied to the emulator's. */
async function setup(options: { lifetime?: number; publicClient?: boolean; store?: TokenStore } = {}) {
  const server = await start(options.lifetime ? { accessTokenLifetime: options.lifetime } : {});
  const make = options.publicClient ? publicConfig : confidentialConfig;
  const config: ApsAuthConfig = make(server, { now: () => server.control.now() });
  const { token } = await login(config);
  const store = options.store ?? new MemoryTokenStore();
  await store.save('default', token);
  server.control.clearRequests();
  const refreshes = () => server.control.requests().filter((r) => r.grantType === 'refresh_token');
  return { server, config, token, store, refreshes, manager: new TokenManager({ config, store }) };
}

describe('TokenManager', () => {
  it('returns the stored token while it is valid, without any request', async () => {
    const { manager, token, server } = await setup();
    expect(await manager.getAccessToken()).toBe(token.accessToken);
    server.control.advanceClock(3599 - 301);
    expect(await manager.getAccessToken()).toBe(token.accessToken);
    expect(server.control.requests()).toHaveLength(0);
  });

  it('refreshes inside the early-refresh margin and saves the rotated refresh token', async () => {
    const { manager, token, server, store, refreshes } = await setup();
    server.control.advanceClock(3599 - 299);
    const fresh = await manager.getToken();
    expect(fresh.accessToken).not.toBe(token.accessToken);
    expect(fresh.refreshToken).not.toBe(token.refreshToken);
    expect(await store.load('default')).toEqual(fresh);
    expect(refreshes()).toHaveLength(1);
  });

  it('1,000 concurrent callers on an expired token make exactly one refresh request', async () => {
    const { manager, token, server, store, refreshes } = await setup();
    server.control.advanceClock(3600);
    const results = await Promise.all(Array.from({ length: 1000 }, () => manager.getAccessToken()));
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe(token.accessToken);
    expect(refreshes()).toHaveLength(1);
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(1);
    expect((await store.load('default'))!.accessToken).toBe(results[0]);
    // The saved refresh token is the live one: the next refresh works.
    server.control.advanceClock(3600);
    expect(await manager.getAccessToken()).not.toBe(results[0]);
    expect(refreshes()).toHaveLength(2);
  });

  it('single flight alone (a store without a lock): 1,000 concurrent callers, one refresh', async () => {
    const inner = new MemoryTokenStore();
    const lockless: TokenStore = {
      load: (key) => inner.load(key),
      save: (key, token) => inner.save(key, token),
      delete: (key) => inner.delete(key),
    };
    const { manager, server, refreshes } = await setup({ store: lockless });
    server.control.advanceClock(3600);
    const results = await Promise.all(Array.from({ length: 1000 }, () => manager.getAccessToken()));
    expect(new Set(results).size).toBe(1);
    expect(refreshes()).toHaveLength(1);
  });

  it('two managers sharing a locking store (two processes) refresh once: re-load after the lock', async () => {
    const { config, store, server, refreshes } = await setup();
    const a = new TokenManager({ config, store });
    const b = new TokenManager({ config, store });
    server.control.advanceClock(3600);
    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => a.getAccessToken()),
      ...Array.from({ length: 50 }, () => b.getAccessToken()),
    ]);
    expect(new Set(results).size).toBe(1);
    expect(refreshes()).toHaveLength(1);
  });

  it('saves the rotated refresh token before the access token is handed out', async () => {
    const events: string[] = [];
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      load: (key) => inner.load(key),
      delete: (key) => inner.delete(key),
      save: async (key, token) => {
        events.push(`save:${token.accessToken.slice(-8)}`);
        await inner.save(key, token);
      },
    };
    const { manager, server } = await setup({ store });
    events.length = 0;
    server.control.advanceClock(3600);
    const access = await manager.getAccessToken();
    events.push(`return:${access.slice(-8)}`);
    expect(events).toEqual([`save:${access.slice(-8)}`, `return:${access.slice(-8)}`]);
  });

  it('does not hand out the new access token when the store cannot save the rotated refresh token', async () => {
    const inner = new MemoryTokenStore();
    let failSaves = false;
    const store: TokenStore = {
      load: (key) => inner.load(key),
      delete: (key) => inner.delete(key),
      save: async (key, token) => {
        if (failSaves) throw new Error('disk full');
        await inner.save(key, token);
      },
    };
    const { manager, server } = await setup({ store });
    failSaves = true;
    server.control.advanceClock(3600);
    await expect(manager.getAccessToken()).rejects.toThrow('disk full');
  });

  it('down-scoped tokens leave the stored full-scope access token alone but save the rotated refresh token', async () => {
    const { manager, token, server, store, config, refreshes } = await setup({ publicClient: true });
    const narrow = await manager.getToken({ scopes: ['viewables:read'] });
    expect(narrow.scopes).toEqual(['viewables:read']);
    expect(narrow.refreshToken).toBeUndefined();
    expect(narrow.accessToken).not.toBe(token.accessToken);
    const stored = (await store.load('default'))!;
    expect(stored.accessToken).toBe(token.accessToken);
    expect(stored.scopes).toEqual(['data:read', 'viewables:read']);
    expect(stored.refreshToken).not.toBe(token.refreshToken);
    // The old refresh token is dead; the stored one is alive.
    await expect(refreshToken(config, { refreshToken: token.refreshToken! })).rejects.toMatchObject({
      code: 'SIGN_IN_REQUIRED',
    });
    expect((await introspectToken(config, { token: narrow.accessToken })).scopes).toEqual(['viewables:read']);
    // Cached while valid; the full-scope token is still served from the store.
    expect((await manager.getToken({ scopes: 'viewables:read' })).accessToken).toBe(narrow.accessToken);
    expect(await manager.getAccessToken()).toBe(token.accessToken);
    expect(refreshes().filter((r) => r.status === 200)).toHaveLength(1);
    // Later the full grant refreshes with the saved refresh token and keeps its scopes.
    server.control.advanceClock(3600);
    const full = await manager.getToken();
    expect(full.scopes).toEqual(['data:read', 'viewables:read']);
    // Asking for exactly the grant's scopes is not a down-scope.
    expect((await manager.getToken({ scopes: ['viewables:read', 'data:read'] })).accessToken).toBe(
      full.accessToken,
    );
  });

  it('concurrent full and down-scoped refreshes never spend the same refresh token twice', async () => {
    const { manager, server, refreshes } = await setup({ publicClient: true });
    server.control.advanceClock(3600);
    const [full, narrow] = await Promise.all([
      manager.getToken(),
      manager.getToken({ scopes: 'viewables:read' }),
      ...Array.from({ length: 20 }, (_, i) => manager.getToken(i % 2 ? {} : { scopes: 'viewables:read' })),
    ]);
    expect(full!.scopes).toEqual(['data:read', 'viewables:read']);
    expect(narrow!.scopes).toEqual(['viewables:read']);
    expect(refreshes().map((r) => r.status)).toEqual([200, 200]);
  });

  it('short-lived tokens are not refreshed on every call', async () => {
    const { server, config, store, refreshes } = await setup({ lifetime: 60 });
    const manager = new TokenManager({ config, store });
    for (let i = 0; i < 5; i++) await manager.getAccessToken();
    server.control.advanceClock(50);
    await manager.getAccessToken();
    expect(refreshes()).toHaveLength(0);
    server.control.advanceClock(5);
    await manager.getAccessToken();
    expect(refreshes()).toHaveLength(1);
  });

  it("a store without a lock: a refresh lost to another process recovers the winner's token", async () => {
    const { server, config, token, refreshes } = await setup();
    server.control.advanceClock(3600);
    // "Another process" refreshes first and saves its token.
    const winner = await refreshToken(config, { refreshToken: token.refreshToken! });
    const inner = new MemoryTokenStore();
    await inner.save('default', winner);
    // This process read the store before that save (two stale reads), then sees the real store.
    let staleReads = 2;
    const store: TokenStore = {
      load: async (key) => (staleReads-- > 0 ? token : inner.load(key)),
      save: (key, t) => inner.save(key, t),
      delete: (key) => inner.delete(key),
    };
    const manager = new TokenManager({ config, store });
    expect(await manager.getAccessToken()).toBe(winner.accessToken);
    expect(refreshes().map((r) => r.status)).toEqual([200, 400]);
  });

  it('a rejected refresh token is SignInRequiredError', async () => {
    const { manager, token, server, config } = await setup();
    await revokeToken(config, { token: token.refreshToken!, tokenTypeHint: 'refresh_token' });
    server.control.advanceClock(3600);
    const error = await manager.getAccessToken().catch((e: unknown) => e);
    expect(isSignInRequiredError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SIGN_IN_REQUIRED', reason: 'refresh_rejected' });
  });

  it('nothing stored, or no refresh token, is SignInRequiredError', async () => {
    const config = { clientId: 'x', baseUrl: 'http://127.0.0.1:1' };
    const store = new MemoryTokenStore();
    const manager = new TokenManager({ config, store, key: 'work' });
    await expect(manager.getAccessToken()).rejects.toMatchObject({
      code: 'SIGN_IN_REQUIRED',
      reason: 'no_token',
    });
    const expired: Token = {
      accessToken: 'a',
      tokenType: 'Bearer',
      issuedAt: 0,
      expiresAt: 1,
      scopes: ['data:read'],
    };
    await manager.setToken(expired);
    await expect(manager.getAccessToken()).rejects.toMatchObject({
      code: 'SIGN_IN_REQUIRED',
      reason: 'no_refresh_token',
    });
  });

  it('forceRefresh refreshes a valid token once for concurrent callers', async () => {
    const { manager, token, refreshes } = await setup();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => manager.getAccessToken({ forceRefresh: true })),
    );
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe(token.accessToken);
    expect(refreshes()).toHaveLength(1);
  });

  it('an aborted caller stops waiting, but the refresh completes and is saved', async () => {
    const { manager, server, store, refreshes, token } = await setup();
    server.control.addFault({ endpoint: 'token', delayMs: 200 });
    server.control.advanceClock(3600);
    const controller = new AbortController();
    const waiting = manager.getAccessToken({ signal: controller.signal }).catch((e: unknown) => e);
    const other = manager.getAccessToken();
    controller.abort();
    expect(isAbortedError(await waiting)).toBe(true);
    const fresh = await other;
    expect(fresh).not.toBe(token.accessToken);
    expect((await store.load('default'))!.accessToken).toBe(fresh);
    expect(refreshes()).toHaveLength(1);
  });

  it('signOut revokes the refresh and access tokens, then forgets them', async () => {
    const { manager, token, server, store, config } = await setup();
    await manager.signOut();
    expect(await store.load('default')).toBeUndefined();
    const revokes = server.control.requests().filter((r) => r.endpoint === 'revoke');
    expect(revokes.map((r) => r.status)).toEqual([200, 200]);
    expect((await introspectToken(config, { token: token.accessToken })).active).toBe(false);
    await expect(manager.getAccessToken()).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED' });
  });

  it('signOut forgets locally even when revocation fails, then reports the failure', async () => {
    const { manager, server, store } = await setup();
    server.control.addFault({ endpoint: 'revoke', status: 503, body: 'down' });
    await expect(manager.signOut()).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 503 });
    expect(await store.load('default')).toBeUndefined();
  });
});
