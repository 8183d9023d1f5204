import { describe, expect, it } from 'vitest';
import { isToken, isTokenExpiring, MAX_REFRESH_MARGIN_MS, refreshMarginMs } from '../src/index.js';

const token = (issuedAt: number, lifetimeSec: number) => ({
  issuedAt,
  expiresAt: issuedAt + lifetimeSec * 1000,
});

describe('expiry', () => {
  it('uses 5 minutes for an APS hour-long token', () => {
    const t = token(0, 3599);
    expect(refreshMarginMs(t)).toBe(MAX_REFRESH_MARGIN_MS);
    expect(isTokenExpiring(t, 3599_000 - 300_001)).toBe(false);
    expect(isTokenExpiring(t, 3599_000 - 300_000)).toBe(true);
  });

  it('scales down for short-lived tokens (a tenth of the lifetime)', () => {
    const t = token(1_000, 60);
    expect(refreshMarginMs(t)).toBe(6_000);
    expect(isTokenExpiring(t, 1_000 + 53_999)).toBe(false);
    expect(isTokenExpiring(t, 1_000 + 54_000)).toBe(true);
  });

  it('a 10-second token is not refreshed on every call', () => {
    const t = token(0, 10);
    expect(isTokenExpiring(t, 0)).toBe(false);
    expect(isTokenExpiring(t, 8_999)).toBe(false);
    expect(isTokenExpiring(t, 9_000)).toBe(true);
  });

  it('an expired or nonsensical token is expiring', () => {
    expect(isTokenExpiring(token(0, 60), 60_000)).toBe(true);
    expect(isTokenExpiring({ issuedAt: 10, expiresAt: 5 }, 0)).toBe(false);
    expect(isTokenExpiring({ issuedAt: 10, expiresAt: 5 }, 5)).toBe(true);
  });
});

describe('isToken', () => {
  it('checks the stored shape', () => {
    expect(isToken({ accessToken: 'a', tokenType: 'Bearer', expiresAt: 1, issuedAt: 0, scopes: ['x'] })).toBe(
      true,
    );
    expect(isToken({ accessToken: 'a', tokenType: 'Bearer', expiresAt: '1', issuedAt: 0, scopes: [] })).toBe(
      false,
    );
    expect(isToken(null)).toBe(false);
  });
});
