import { type Token, TokenManager, type TokenStore } from '@aps-auth/core';
import type { Context } from 'hono';
import { clearCookie, readCookie, writeCookie } from './cookies.js';
import type { WebDeps } from './options.js';
import { randomId } from './random.js';
import { createSessionTokenStore } from './session-token-store.js';
import { viewerKey } from './viewer-tokens.js';

/** Who is signed in (from userinfo at sign-in); shown on the home page. */
export interface SessionUser {
  sub: string;
  name?: string | undefined;
  email?: string | undefined;
}

/** What the server keeps for a session besides its token. */
export interface SessionRecord {
  createdAt: number;
  user?: SessionUser | undefined;
}

/** A sign-in in progress, stored under its state: single use, short-lived. */
export interface SignInRecord {
  codeVerifier: string;
  redirectUri: string;
  scopes: string[];
  returnTo: string;
}

const sessionKey = (id: string): string => `session:${id}`;
const signInKey = (state: string): string => `signin:${state}`;
/** TokenManagers kept in memory (their single flight and down-scoped cache); the oldest are dropped. */
const MAX_MANAGERS = 10_000;

/** Sessions on the server: records and tokens in the `SessionStore`, the browser holds a signed id only. */
export class Sessions {
  readonly #deps: WebDeps;
  readonly tokens: TokenStore;
  readonly #managers = new Map<string, TokenManager>();

  constructor(deps: WebDeps) {
    this.#deps = deps;
    this.tokens = createSessionTokenStore(deps.store, deps.sessionTtlMs);
  }

  /** One manager per session, so concurrent requests of a session share one refresh. */
  manager(sessionId: string): TokenManager {
    let manager = this.#managers.get(sessionId);
    if (manager === undefined) {
      manager = new TokenManager({ config: this.#deps.config, store: this.tokens, key: sessionId });
      this.#managers.set(sessionId, manager);
      if (this.#managers.size > MAX_MANAGERS) {
        const oldest = this.#managers.keys().next().value;
        if (oldest !== undefined) this.#managers.delete(oldest);
      }
    }
    return manager;
  }

  /** The session this request's cookie names, if the cookie is genuine and the session still exists. */
  async current(c: Context): Promise<{ id: string; record: SessionRecord } | undefined> {
    const found = await this.#find(c);
    return found && { id: found.id, record: JSON.parse(found.text) as SessionRecord };
  }

  /** The id of the session this request's cookie names, as `current` finds it, without reading its record. */
  async currentId(c: Context): Promise<string | undefined> {
    return (await this.#find(c))?.id;
  }

  async #find(c: Context): Promise<{ id: string; text: string } | undefined> {
    const id = await readCookie(c, this.#deps, 'session');
    if (id === undefined) return undefined;
    const text = await this.#deps.store.get(sessionKey(id));
    return text === undefined ? undefined : { id, text };
  }

  /** A new session (a new id: never the one the browser came with) holding `token`. */
  async start(c: Context, token: Token, user: SessionUser | undefined): Promise<string> {
    const id = randomId();
    await this.manager(id).setToken(token);
    const record: SessionRecord = { createdAt: this.#deps.now(), user };
    await this.#deps.store.set(sessionKey(id), JSON.stringify(record), this.#deps.sessionTtlMs);
    await writeCookie(c, this.#deps, 'session', id, this.#deps.sessionTtlMs);
    return id;
  }

  /** Forgets the session here (record, token, manager) and clears the cookie; revoking is the caller's. */
  async end(c: Context, id: string): Promise<void> {
    await this.#deps.store.delete(sessionKey(id));
    await this.tokens.delete(id);
    await this.#deps.store.delete(viewerKey(id));
    this.#managers.delete(id);
    clearCookie(c, this.#deps, 'session');
  }

  /** Stores a sign-in under its state and binds it to this browser with a short-lived cookie. */
  async beginSignIn(c: Context, state: string, record: SignInRecord): Promise<void> {
    await this.#deps.store.set(signInKey(state), JSON.stringify(record), this.#deps.signInTtlMs);
    await writeCookie(c, this.#deps, 'signin', state, this.#deps.signInTtlMs);
  }

  /**
   * The state this browser's sign-in cookie carries (cleared now: one callback per sign-in) and the sign-in
   * record, taken out of the store (a replayed callback finds nothing).
   */
  async takeSignIn(c: Context): Promise<{ state?: string; record?: SignInRecord }> {
    const state = await readCookie(c, this.#deps, 'signin');
    clearCookie(c, this.#deps, 'signin');
    if (state === undefined) return {};
    const text = await this.#deps.store.take(signInKey(state));
    return text === undefined ? { state } : { state, record: JSON.parse(text) as SignInRecord };
  }
}
