import { isToken, isTokenExpiring, type Token } from '@aps-auth/core';
import type { WebDeps } from './options.js';
import type { Sessions } from './sessions.js';

/** Sessions whose last Viewer token is kept parsed in memory; the oldest go first. */
const MAX_PARSED = 10_000;

/** The key of a session's Viewer token in the session store. */
export const viewerKey = (sessionId: string): string => `viewer:${sessionId}`;

/**
 * The Viewer's down-scoped token of each session, kept in the session store so that every instance uses the
 * same one: APS cuts it with a refresh (which spends the refresh token), and a `TokenManager` caches it in its
 * own memory only, so without this each instance would refresh once. The first instance to find it missing or
 * expiring takes the session's viewer lock, re-reads, and only then asks the session's `TokenManager` (which
 * takes the token lock: always in that order).
 */
export class ViewerTokens {
  readonly #deps: WebDeps;
  readonly #sessions: Sessions;
  /** Requests of one session on this instance share one lookup (one lock wait, not one per request). */
  readonly #flights = new Map<string, Promise<Token>>();
  readonly #parsed = new Map<string, { text: string; token: Token }>();

  constructor(deps: WebDeps, sessions: Sessions) {
    this.#deps = deps;
    this.#sessions = sessions;
  }

  async get(sessionId: string): Promise<Token> {
    const cached = await this.#read(sessionId);
    if (cached !== undefined) return cached;
    let flight = this.#flights.get(sessionId);
    if (flight === undefined) {
      flight = this.#fetch(sessionId).finally(() => this.#flights.delete(sessionId));
      this.#flights.set(sessionId, flight);
    }
    return flight;
  }

  #fetch(sessionId: string): Promise<Token> {
    return this.#deps.store.lock(viewerKey(sessionId), async () => {
      const cached = await this.#read(sessionId);
      if (cached !== undefined) return cached;
      const token = await this.#sessions.manager(sessionId).getToken({ scopes: this.#deps.viewerScopes });
      // Only what the Viewer gets: never a copy of the refresh token or the id token.
      const { refreshToken: _refresh, idToken: _id, ...viewer } = token;
      const ttl = viewer.expiresAt - this.#deps.now();
      if (ttl > 0) await this.#deps.store.set(viewerKey(sessionId), JSON.stringify(viewer), ttl);
      return viewer;
    });
  }

  async #read(sessionId: string): Promise<Token | undefined> {
    const text = await this.#deps.store.get(viewerKey(sessionId));
    if (text === undefined) return undefined;
    const token = this.#parse(sessionId, text);
    return token !== undefined && !isTokenExpiring(token, this.#deps.now()) ? token : undefined;
  }

  /** The stored text as a token; the last one of each session is kept parsed (the same text on every request). */
  #parse(sessionId: string, text: string): Token | undefined {
    const last = this.#parsed.get(sessionId);
    if (last?.text === text) return last.token;
    let token: unknown;
    try {
      token = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isToken(token)) return undefined;
    this.#parsed.delete(sessionId);
    this.#parsed.set(sessionId, { text, token });
    if (this.#parsed.size > MAX_PARSED) this.#parsed.delete(this.#parsed.keys().next().value!);
    return token;
  }
}
