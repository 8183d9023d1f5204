import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../src/constant-time.js';
import { CODE_VERIFIER_PATTERN, computeCodeChallenge, createCodeVerifier } from '../src/index.js';
import { base64url, randomString } from '../src/random.js';

describe('PKCE (RFC 7636)', () => {
  it('every verifier satisfies RFC 7636 and its S256 challenge matches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async () => {
        const verifier = createCodeVerifier();
        expect(verifier).toMatch(CODE_VERIFIER_PATTERN);
        expect(verifier).toHaveLength(43);
        const expected = createHash('sha256').update(verifier, 'ascii').digest('base64url');
        expect(await computeCodeChallenge(verifier)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('computes the challenge of any valid verifier like Node does', async () => {
    const unreserved = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split(''),
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: unreserved, minLength: 43, maxLength: 128 }), async (verifier) => {
        expect(verifier).toMatch(CODE_VERIFIER_PATTERN);
        expect(await computeCodeChallenge(verifier)).toBe(
          createHash('sha256').update(verifier).digest('base64url'),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('RFC 7636 appendix B example', async () => {
    expect(await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('random values', () => {
  it('are 256-bit base64url strings within the characters APS allows in state', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const value = randomString();
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      seen.add(value);
    }
    expect(seen.size).toBe(1000);
  });

  it('base64url matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
});

describe('constantTimeEqual', () => {
  it('agrees with === for any strings', () => {
    fc.assert(
      // 'binary': any code point, lone surrogates included (an encoding step would merge those).
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // Strings that differ in one code unit, where that unit may be half of a surrogate pair.
    const unit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), unit, unit, (prefix, x, y) => {
        expect(constantTimeEqual(prefix + x, prefix + y)).toBe(x === y);
      }),
      { numRuns: 1000 },
    );
  });

  it('compares UTF-16 code units: lone surrogates are not U+FFFD', () => {
    expect(constantTimeEqual('\uD800', '\uFFFD')).toBe(false);
    expect(constantTimeEqual('a\uDC00', 'a\uD800')).toBe(false);
    expect(constantTimeEqual('\uD83D\uDE00', '\uD83D\uDE00')).toBe(true);
  });

  it('is false for a prefix, an extension or a NUL-padded value', () => {
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('ab', 'ab\u0000')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
