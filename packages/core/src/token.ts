/** A token as core hands it out and stores it. Times are milliseconds since the epoch, from the injected clock. */
export interface Token {
  accessToken: string;
  /** `Bearer` for APS. */
  tokenType: string;
  /** Absolute expiry: `issuedAt + expires_in * 1000`. */
  expiresAt: number;
  /** When core received the token (the clock at the time); gives the lifetime for the early-refresh margin. */
  issuedAt: number;
  /** Present for three-legged tokens; single-use at APS. */
  refreshToken?: string | undefined;
  /** Present after a code exchange when `openid` was asked; never returned by a refresh. */
  idToken?: string | undefined;
  /** The scopes the token carries. */
  scopes: string[];
}

/** The token endpoint's answer on the wire. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string | string[];
}

/** The early-refresh margin never exceeds 5 minutes. */
export const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * How long before `expiresAt` a token counts as expiring: the smaller of 5 minutes and a tenth of its
 * lifetime (a 60-minute APS token: 5 minutes; a 60-second test token: 6 seconds).
 */
export function refreshMarginMs(token: Pick<Token, 'expiresAt' | 'issuedAt'>): number {
  const lifetime = token.expiresAt - token.issuedAt;
  if (!Number.isFinite(lifetime) || lifetime <= 0) return 0;
  return Math.min(MAX_REFRESH_MARGIN_MS, lifetime / 10);
}

/** True when the token is expired or within its early-refresh margin at `now` (ms). */
export function isTokenExpiring(token: Pick<Token, 'expiresAt' | 'issuedAt'>, now: number): boolean {
  return now >= token.expiresAt - refreshMarginMs(token);
}

/** A structural check for tokens read back from a store. */
export function isToken(value: unknown): value is Token {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return (
    typeof t.accessToken === 'string' &&
    typeof t.tokenType === 'string' &&
    typeof t.expiresAt === 'number' &&
    typeof t.issuedAt === 'number' &&
    (t.refreshToken === undefined || typeof t.refreshToken === 'string') &&
    (t.idToken === undefined || typeof t.idToken === 'string') &&
    Array.isArray(t.scopes) &&
    t.scopes.every((s) => typeof s === 'string')
  );
}
