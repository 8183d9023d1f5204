import type { Token, TokenStore } from '@aps-auth/core';
import type { SessionStore } from './session-store.js';

/** The key of a session's token in the session store. */
export const tokenKey = (sessionId: string): string => `token:${sessionId}`;

/**
 * Core's `TokenStore` contract over a `SessionStore`: the key is the session id, the token lives as long as
 * the session, and the store's lock makes a refresh single flight across instances.
 */
export function createSessionTokenStore(store: SessionStore, ttlMs: number): TokenStore {
  return {
    async load(sessionId) {
      const text = await store.get(tokenKey(sessionId));
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as Token;
      } catch {
        // TokenManager reports a value that is not a token as a corrupt store.
        return {} as Token;
      }
    },
    save: (sessionId, token) => store.set(tokenKey(sessionId), JSON.stringify(token), ttlMs),
    delete: (sessionId) => store.delete(tokenKey(sessionId)),
    lock: (sessionId, fn) => store.lock(tokenKey(sessionId), fn),
  };
}
