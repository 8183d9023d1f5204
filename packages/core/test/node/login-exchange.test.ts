import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  isTokenStoreError,
  isUnexpectedResponseError,
  MemoryTokenStore,
  type Token,
  type TokenStore,
  TokenStoreError,
} from '../../src/index.js';
import { FileTokenStore, login } from '../../src/node/index.js';
import { tempDir } from './helpers.js';
import { browser, setup } from './login-helpers.js';

describe('login(): the lock and the code exchange', () => {
  /** A store that logs its lock's life; `failLock` makes `lock` fail once the exchange has been sent. */
  function loggingStore(log: string[], options: { failLock?: boolean } = {}) {
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      load: (key) => inner.load(key),
      save: async (key, token) => {
        await inner.save(key, token);
        log.push('saved');
      },
      delete: (key) => inner.delete(key),
      lock: async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
        log.push('lock');
        if (options.failLock) {
          await vi.waitFor(() => expect(log).toContain('token request'));
          throw new TokenStoreError('TOKEN_STORE_IO', '/nowhere', 'Could not lock /nowhere.');
        }
        return inner.lock(key, async () => {
          log.push('locked');
          try {
            return await fn();
          } finally {
            log.push('released');
          }
        });
      },
    };
    return { store, inner };
  }

  /** The platform fetch, logging each token request as it is sent. */
  const loggingFetch =
    (log: string[]) =>
    (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/token')) log.push('token request');
      return fetch(input, init);
    };

  it('the lock is requested before the token request is sent; "stored" is told once saved, before release', async () => {
    const { config, onEvent } = await setup();
    const log: string[] = [];
    const { store, inner } = loggingStore(log);
    const { token } = await login({
      config: { ...config, fetch: loggingFetch(log) },
      store,
      key: 'default',
      openUrl: browser(),
      onEvent: (e) => {
        if (e.type === 'stored') log.push('stored');
        onEvent(e);
      },
    });
    expect(log.indexOf('lock')).toBeLessThan(log.indexOf('token request'));
    expect(log.slice(log.indexOf('saved'))).toEqual(['saved', 'stored', 'released']);
    expect(await inner.load('default')).toEqual(token);
  });

  it('a failed exchange releases the lock, saves nothing, and its error is the one thrown', async () => {
    const { server, config, events, onEvent } = await setup();
    server.control.addFault({
      endpoint: 'token',
      status: 500,
      body: '<p>boom</p>',
      contentType: 'text/html',
    });
    const log: string[] = [];
    const { store, inner } = loggingStore(log);
    const error = await login({ config, store, key: 'default', openUrl: browser(), onEvent }).catch(
      (e: unknown) => e,
    );
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(log).toEqual(['lock', 'locked', 'released']);
    expect(await inner.load('default')).toBeUndefined();
    expect(events.map((e) => e.type)).not.toContain('stored');
  });

  it('when both the lock and the exchange fail, the exchange error wins; a lock failure alone is thrown', async () => {
    const failing = await setup();
    failing.server.control.addFault({
      endpoint: 'token',
      status: 500,
      body: '<p>boom</p>',
      contentType: 'text/html',
    });
    const log: string[] = [];
    const both = await login({
      config: { ...failing.config, fetch: loggingFetch(log) },
      store: loggingStore(log, { failLock: true }).store,
      key: 'default',
      openUrl: browser(),
    }).catch((e: unknown) => e);
    expect(isUnexpectedResponseError(both)).toBe(true);

    const { config } = await setup();
    const lockOnly: string[] = [];
    const alone = await login({
      config: { ...config, fetch: loggingFetch(lockOnly) },
      store: loggingStore(lockOnly, { failLock: true }).store,
      key: 'default',
      openUrl: browser(),
    }).catch((e: unknown) => e);
    expect(isTokenStoreError(alone)).toBe(true);
  });

  it('a file store: the token file is saved under the lock, which is gone once login() returns', async () => {
    const { config } = await setup();
    const home = await tempDir();
    const store = new FileTokenStore({ home, clientId: config.clientId, baseUrl: config.baseUrl });
    let lockHeldWhenStored: boolean | undefined;
    const { token } = await login({
      config,
      store,
      key: 'default',
      openUrl: browser(),
      onEvent: (e) => {
        if (e.type !== 'stored') return;
        lockHeldWhenStored = existsSync(`${store.pathFor('default')}.lock`);
      },
    });
    expect(lockHeldWhenStored).toBe(true);
    expect(existsSync(`${store.pathFor('default')}.lock`)).toBe(false);
    expect((await store.load('default')) as Token).toEqual(token);
  });
});
