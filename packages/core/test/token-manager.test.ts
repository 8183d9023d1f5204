import { describe, expect, it, vi } from 'vitest';
import {
  type ApsAuthConfig,
  type FetchLike,
  introspectToken,
  isAbortedError,
  isSignInRequiredError,
  MemoryTokenStore,
  type RevocationFailure,
  refreshToken,
  revokeToken,
  type Token,
  TokenManager,
  type TokenStore,
} from '../src/index.js';
import { confidentialConfig, holdingFetch, login, publicConfig, start } from './helpers.js';

/** A store without `lock`: only the manager's own queue keeps refreshes apart. */
function locklessStore(): TokenStore {
  const inner = new MemoryTokenStore();
  return {
    load: (key) => inner.load(key),
    save: (key, token) => inner.save(key, token),
    delete: (key) => inner.delete(key),
  };
}

/** A logged-in grant in a memory store, core's clock tied to the emulator's. */
async function setup(
  options: { lifetime?: number; publicClient?: boolean; store?: TokenStore; fetch?: FetchLike } = {},
) {
  const server = await start(options.lifetime ? { accessTokenLifetime: options.lifetime } : {});
  const make = options.publicClient ? publicConfig : confidentialConfig;
  const config: ApsAuthConfig = make(server, {
    now: () => server.control.now(),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
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

  for (const [kind, store] of [
    ['a locking store', undefined],
    ['a store without a lock', locklessStore],
  ] as const) {
    it(`concurrent full and down-scoped refreshes never spend the same refresh token twice (${kind})`, async () => {
      const { manager, server, refreshes } = await setup({
        publicClient: true,
        ...(store === undefined ? {} : { store: store() }),
      });
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
  }

  it('concurrent waiters on one refresh each get their own copy of the token', async () => {
    const { manager, server } = await setup();
    server.control.advanceClock(3600);
    const [a, b] = await Promise.all([manager.getToken(), manager.getToken()]);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a!.scopes).not.toBe(b!.scopes);
  });

  for (const storeKind of ['locking', 'lockless'] as const) {
    it(`signOut waits for a refresh in flight and revokes the newest refresh token (${storeKind} store)`, async () => {
      // Revocations wait until the refresh has saved its rotated token, whatever order signOut runs in:
      // a signOut that read the store before that save revokes a refresh token that is already dead.
      let saved!: () => void;
      const refreshSaved = new Promise<void>((resolve) => {
        saved = resolve;
      });
      const gate = holdingFetch(refreshSaved);
      const inner = storeKind === 'locking' ? new MemoryTokenStore() : locklessStore();
      const store: TokenStore = {
        load: (key) => inner.load(key),
        delete: (key) => inner.delete(key),
        save: async (key, token) => {
          await inner.save(key, token);
          saved();
        },
        ...(inner.lock ? { lock: inner.lock.bind(inner) } : {}),
      };
      const server = await start();
      const config = confidentialConfig(server, { now: () => server.control.now(), fetch: gate.fetch });
      await inner.save('default', (await login(config)).token);
      const manager = new TokenManager({ config, store });
      server.control.advanceClock(3600);
      gate.hold();
      const refreshing = manager.getToken();
      // The server has answered the refresh; core has not read the answer yet.
      await vi.waitFor(() => expect(gate.held()).toBe(1));
      const signingOut = manager.signOut();
      gate.release();
      const fresh = await refreshing;
      await signingOut;
      expect(await store.load('default')).toBeUndefined();
      // The rotated refresh token (the only live one) is the one revoked; it no longer refreshes.
      const revokedRefresh = gate.revoked.find((b) => b.get('token_type_hint') === 'refresh_token');
      expect(revokedRefresh?.get('token') === fresh.refreshToken).toBe(true);
      await expect(
        refreshToken({ ...config, fetch: undefined }, { refreshToken: fresh.refreshToken! }),
      ).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED' });
    });

    it(`setToken after a refresh in flight is not overwritten by the old grant (${storeKind} store)`, async () => {
      const gate = holdingFetch();
      const store = storeKind === 'locking' ? new MemoryTokenStore() : locklessStore();
      const server = await start();
      const config = confidentialConfig(server, { now: () => server.control.now(), fetch: gate.fetch });
      await store.save('default', (await login(config)).token);
      const { token: next } = await login(config);
      const manager = new TokenManager({ config, store });
      server.control.advanceClock(3600);
      gate.hold();
      const refreshing = manager.getToken();
      await vi.waitFor(() => expect(gate.held()).toBe(1));
      const setting = manager.setToken(next);
      gate.release();
      await refreshing;
      await setting;
      expect((await store.load('default'))!.accessToken).toBe(next.accessToken);
    });
  }

  it('a cached down-scoped token belongs to its grant: not served after another sign-in', async () => {
    const { manager, config, store, server, refreshes } = await setup({ publicClient: true });
    const narrow = await manager.getToken({ scopes: 'viewables:read' });
    // Another manager (another instance of the app) signs out and a new login is stored.
    await new TokenManager({ config, store }).signOut();
    const { token: next } = await login(config);
    await store.save('default', next);
    server.control.clearRequests();
    const again = await manager.getToken({ scopes: 'viewables:read' });
    expect(again.accessToken).not.toBe(narrow.accessToken);
    expect((await introspectToken(config, { token: again.accessToken })).active).toBe(true);
    expect(refreshes().map((r) => r.status)).toEqual([200]);
    // This manager's own full refresh keeps the grant: the down-scoped token is still served.
    server.control.advanceClock(3600 - 400);
    const cached = await manager.getToken({ scopes: 'viewables:read' });
    expect(cached.accessToken).toBe(again.accessToken);
    await manager.getToken({ forceRefresh: true });
    expect((await manager.getToken({ scopes: 'viewables:read' })).accessToken).toBe(again.accessToken);
    expect(refreshes()).toHaveLength(2);
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
      message: expect.stringContaining('cannot be refreshed or down-scoped'),
    });
    // A valid token without a refresh token cannot be down-scoped either; the message says so too.
    await manager.setToken({ ...expired, expiresAt: Number.MAX_SAFE_INTEGER });
    const error = await manager.getToken({ scopes: 'viewables:read' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'no_refresh_token' });
    expect((error as Error).message).not.toMatch(/expired/);
  });

  it('names the key in messages only when it looks like a profile name, never a session id', async () => {
    const config = { clientId: 'x', baseUrl: 'http://127.0.0.1:1' };
    const store = new MemoryTokenStore();
    const work = await new TokenManager({ config, store, key: 'work' }).getToken().catch((e: Error) => e);
    expect((work as Error).message).toContain('"work"');
    const sessionId = 's:J9x/Qk+7Z2b==.signature';
    const manager = new TokenManager({ config, store, key: sessionId });
    const none = await manager.getToken().catch((e: Error) => e);
    expect((none as Error).message).toContain('this key');
    expect((none as Error).message).not.toContain('J9x');
    await store.save(sessionId, { accessToken: 'a' } as Token);
    const corrupt = await manager.getToken().catch((e: Error) => e);
    expect((corrupt as Error).message).not.toContain('J9x');
    await manager.setToken({
      accessToken: 'a',
      tokenType: 'Bearer',
      issuedAt: 0,
      expiresAt: 1,
      scopes: ['x'],
    });
    const noRefresh = await manager.getToken().catch((e: Error) => e);
    expect((noRefresh as Error).message).not.toContain('J9x');
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
    const gate = holdingFetch();
    const { manager, server, store, refreshes, token } = await setup({ fetch: gate.fetch });
    server.control.advanceClock(3600);
    gate.hold();
    const controller = new AbortController();
    const waiting = manager.getAccessToken({ signal: controller.signal }).catch((e: unknown) => e);
    const other = manager.getAccessToken();
    // The server has answered the refresh; core has not read the answer yet: the refresh is in flight.
    await vi.waitFor(() => expect(gate.held()).toBe(1));
    controller.abort();
    expect(isAbortedError(await waiting)).toBe(true);
    gate.release();
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

  it('signOut tells whether a token was stored; with nothing stored it revokes and deletes nothing', async () => {
    const { manager, server } = await setup();
    expect(await manager.signOut()).toEqual({ wasSignedIn: true });
    server.control.clearRequests();
    expect(await manager.signOut()).toEqual({ wasSignedIn: false });
    expect(server.control.requests()).toEqual([]);
  });

  it('signOut tries the access token even when revoking the refresh token fails, and tells of each failure', async () => {
    const { manager, server, store } = await setup();
    server.control.addFault({ endpoint: 'revoke', status: 503, body: 'down', times: 2 });
    const failures: RevocationFailure[] = [];
    await expect(
      manager.signOut({ onRevocationFailure: (failure) => failures.push(failure) }),
    ).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 503 });
    expect(failures.map((failure) => failure.tokenTypeHint)).toEqual(['refresh_token', 'access_token']);
    expect(failures.map((failure) => (failure.error as { status?: number }).status)).toEqual([503, 503]);
    expect(server.control.requests().filter((r) => r.endpoint === 'revoke')).toHaveLength(2);
    expect(await store.load('default')).toBeUndefined();
  });

  it('signOut forgets locally even when revocation fails, then reports the failure', async () => {
    const { manager, server, store } = await setup();
    server.control.addFault({ endpoint: 'revoke', status: 503, body: 'down' });
    await expect(manager.signOut()).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 503 });
    expect(await store.load('default')).toBeUndefined();
  });
});
