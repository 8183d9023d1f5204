import { randomId } from './crypto-utils.js';

/** A pending authorization waiting for the person's decision on the consent page. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  responseMode: ResponseMode;
  expiresAt: number;
}

export type ResponseMode = 'query' | 'fragment' | 'form_post';

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  userId: string;
  expiresAt: number;
}

/** What a person consented to: the original scopes survive every refresh. */
export interface Grant {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  revoked: boolean;
}

export interface RefreshTokenRecord {
  grantId: string;
  expiresAt: number;
}

export interface AccessTokenRecord {
  clientId: string;
  grantId: string | undefined;
  expiresAt: number;
  revoked: boolean;
}

/** Pending consents, codes, grants and tokens, in memory. Every expiry is on the emulator clock. */
export class GrantStore {
  readonly #pending = new Map<string, PendingAuthorization>();
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #grants = new Map<string, Grant>();
  readonly #refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();

  addPending(p: PendingAuthorization): string {
    const id = randomId();
    this.#pending.set(id, p);
    return id;
  }

  /** One-time: the request id is spent whether or not it is still valid. */
  takePending(id: string, now: number): PendingAuthorization | undefined {
    const p = this.#pending.get(id);
    this.#pending.delete(id);
    return p && p.expiresAt > now ? p : undefined;
  }

  addCode(c: AuthorizationCode): string {
    const code = randomId();
    this.#codes.set(code, c);
    return code;
  }

  /** Codes work once: taking one spends it, valid or not. */
  takeCode(code: string, now: number): AuthorizationCode | undefined {
    const c = this.#codes.get(code);
    this.#codes.delete(code);
    return c && c.expiresAt > now ? c : undefined;
  }

  addGrant(clientId: string, userId: string, scopes: string[]): Grant {
    const grant: Grant = { id: randomId(16), clientId, userId, scopes, revoked: false };
    this.#grants.set(grant.id, grant);
    return grant;
  }

  getGrant(id: string | undefined): Grant | undefined {
    return id === undefined ? undefined : this.#grants.get(id);
  }

  addRefreshToken(grantId: string, expiresAt: number): string {
    const token = randomId(32);
    this.#refreshTokens.set(token, { grantId, expiresAt });
    return token;
  }

  peekRefreshToken(token: string, now: number): RefreshTokenRecord | undefined {
    const r = this.#refreshTokens.get(token);
    if (!r || r.expiresAt <= now || this.getGrant(r.grantId)?.revoked !== false) return undefined;
    return r;
  }

  /** Refresh tokens are single use. */
  spendRefreshToken(token: string): void {
    this.#refreshTokens.delete(token);
  }

  addAccessToken(jti: string, record: AccessTokenRecord): void {
    this.#accessTokens.set(jti, record);
  }

  /** An access token is active when this emulator issued it, it has not expired and nothing revoked it. */
  activeAccessToken(jti: string, now: number): AccessTokenRecord | undefined {
    const r = this.#accessTokens.get(jti);
    if (!r || r.revoked || r.expiresAt <= now) return undefined;
    if (r.grantId !== undefined && this.getGrant(r.grantId)?.revoked !== false) return undefined;
    return r;
  }

  revokeAccessToken(jti: string): void {
    const r = this.#accessTokens.get(jti);
    if (r) r.revoked = true;
  }

  /** Revoking a refresh token ends its grant: the refresh token and the grant's access tokens die. */
  revokeRefreshToken(token: string): void {
    const r = this.#refreshTokens.get(token);
    this.#refreshTokens.delete(token);
    const grant = this.getGrant(r?.grantId);
    if (grant) grant.revoked = true;
  }

  refreshTokenClient(token: string): string | undefined {
    return this.getGrant(this.#refreshTokens.get(token)?.grantId)?.clientId;
  }

  clear(): void {
    this.#pending.clear();
    this.#codes.clear();
    this.#grants.clear();
    this.#refreshTokens.clear();
    this.#accessTokens.clear();
  }
}
