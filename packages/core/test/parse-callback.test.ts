import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCallback, isApsAuthError, isAuthorizationResponseError, parseCallback } from '../src/index.js';

const config = { clientId: 'c', baseUrl: 'http://127.0.0.1:9400' };
const state = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV4cXV1eHF1dXo';
const code = 'the-code';

function failure(fn: () => unknown): { code: string; error?: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(isAuthorizationResponseError(error)).toBe(true);
    return error as never;
  }
  throw new Error('expected a failure');
}

describe('parseCallback', () => {
  it.each([
    `http://localhost:8080/api/auth/callback?code=${code}&state=${state}`,
    `  http://localhost:8080/api/auth/callback?code=${code}&state=${state}\n`,
    `http://localhost:8080/api/auth/callback?code=${code}&state=${state}#_=_`,
    `http://localhost:8080/api/auth/callback#code=${code}&state=${state}`,
    `?code=${code}&state=${state}`,
    `code=${code}&state=${state}`,
    `/api/auth/callback?code=${code}&state=${state}`,
    `#code=${code}&state=${state}`,
  ])('accepts %j', (input) => {
    expect(parseCallback(config, input, { state })).toEqual({ code });
  });

  it('an expected state with a lone surrogate does not match the replacement character', () => {
    // URLSearchParams turns a lone surrogate into U+FFFD; the expected state is a plain string.
    for (const input of [`code=${code}&state=%EF%BF%BD`, new URLSearchParams({ code, state: '\uD800' })]) {
      expect(failure(() => parseCallback(config, input, { state: '\uD800' }))).toMatchObject({
        code: 'STATE_MISMATCH',
      });
    }
  });

  it.each([undefined, null])('a %s configuration is a ConfigurationError, not a TypeError', (bad) => {
    try {
      parseCallback(bad as never, `code=${code}&state=${state}`, { state });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR', field: 'config' });
    }
  });

  it('accepts URL and URLSearchParams', () => {
    expect(parseCallback(config, new URL(`http://x.test/cb?code=${code}&state=${state}`), { state })).toEqual(
      { code },
    );
    expect(parseCallback(config, new URLSearchParams({ code, state }), { state })).toEqual({ code });
  });

  it('checks iss when present (RFC 9207)', () => {
    expect(
      parseCallback(config, new URLSearchParams({ code, state, iss: 'http://127.0.0.1:9400' }), { state }),
    ).toEqual({
      code,
      iss: 'http://127.0.0.1:9400',
    });
    const e = failure(() =>
      parseCallback(config, new URLSearchParams({ code, state, iss: 'https://evil.test' }), { state }),
    );
    expect(e.code).toBe('INVALID_CALLBACK');
  });

  it('reports an error response, after checking its state', () => {
    const e = failure(() =>
      parseCallback(config, `?error=access_denied&error_description=The+user+refused&state=${state}`, {
        state,
      }),
    );
    expect(e).toMatchObject({
      code: 'AUTHORIZATION_RESPONSE_ERROR',
      error: 'access_denied',
      errorDescription: 'The user refused',
    });
    expect(e.message).toMatch(/refused or cancelled/);
    // The same error with a wrong state is a state mismatch: an attacker cannot inject errors either.
    expect(failure(() => parseCallback(config, '?error=access_denied&state=other', { state })).code).toBe(
      'STATE_MISMATCH',
    );
  });

  it('checks error before code', () => {
    const e = failure(() =>
      parseCallback(config, `?code=${code}&error=server_error&state=${state}`, { state }),
    );
    expect(e.code).toBe('AUTHORIZATION_RESPONSE_ERROR');
  });

  it.each([
    [`?code=${code}&state=wrong`, 'STATE_MISMATCH'],
    [`?code=${code}`, 'STATE_MISMATCH'],
    [`?code=${code}&state=${state}x`, 'STATE_MISMATCH'],
    [`?code=${code}&state=${state.slice(0, -1)}`, 'STATE_MISMATCH'],
    [`?code=${code}&code=other&state=${state}`, 'INVALID_CALLBACK'],
    [`?code=${code}&state=${state}&state=${state}`, 'STATE_MISMATCH'],
    [`?state=${state}`, 'INVALID_CALLBACK'],
    [`?code=&state=${state}`, 'INVALID_CALLBACK'],
    ['http://localhost:8080/api/auth/callback', 'INVALID_CALLBACK'],
    ['http://[bad', 'INVALID_CALLBACK'],
    [42 as never, 'INVALID_CALLBACK'],
    ['', 'INVALID_CALLBACK'],
  ])('rejects %j with %s', (input, expected) => {
    expect(failure(() => parseCallback(config, input, { state })).code).toBe(expected);
  });

  it('never puts the code in a message', () => {
    const e = failure(() => parseCallback(config, `?code=${code}-SECRETCODE&state=nope`, { state }));
    expect(e.message).not.toContain('SECRETCODE');
    expect(JSON.stringify(e)).not.toContain('SECRETCODE');
  });

  it('needs an expected state', () => {
    expect(failure(() => parseCallback(config, `?code=${code}&state=`, { state: '' })).code).toBe(
      'STATE_MISMATCH',
    );
  });

  const anyValue = fc.string({ unit: 'grapheme', maxLength: 60 });
  const anyInput = fc.oneof(
    anyValue,
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .dictionary(fc.constantFrom('code', 'state', 'error', 'iss', 'error_description', 'x'), anyValue)
      .map((d) => new URLSearchParams(d)),
    fc
      .array(fc.tuple(fc.constantFrom('code', 'state', 'error', 'iss'), anyValue), { maxLength: 6 })
      .map((pairs) => `http://localhost:8080/cb?${new URLSearchParams(pairs)}`),
  );

  it('property: never accepts a wrong state', () => {
    fc.assert(
      fc.property(
        anyValue,
        anyValue,
        fc.option(anyValue),
        fc.boolean(),
        (expected, received, codeValue, asUrl) => {
          fc.pre(expected !== '' && received !== expected);
          const params = new URLSearchParams({ state: received, code: codeValue ?? 'c' });
          const input = asUrl ? `https://localhost/cb?${params}` : params;
          expect(() => parseCallback(config, input, { state: expected })).toThrow();
          try {
            parseCallback(config, input, { state: expected });
          } catch (error) {
            expect((error as { code: string }).code).toBe('STATE_MISMATCH');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: accepts the right state and code, whatever they hold', () => {
    fc.assert(
      fc.property(anyValue, anyValue, (s, c) => {
        fc.pre(s !== '' && c !== '');
        expect(parseCallback(config, new URLSearchParams({ code: c, state: s }), { state: s })).toEqual({
          code: c,
        });
        expect(
          parseCallback(config, `http://localhost/cb?${new URLSearchParams({ code: c, state: s })}`, {
            state: s,
          }),
        ).toEqual({
          code: c,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('property: never throws an untyped error, and only returns with the expected state', () => {
    fc.assert(
      fc.property(anyInput, anyValue, (input, expected) => {
        try {
          parseCallback(config, input, { state: expected });
          const params =
            input instanceof URLSearchParams
              ? input
              : new URLSearchParams(String(input).split('?')[1]?.split('#')[0] ?? '');
          // It returned: the state it saw must be the expected one.
          if (params.has('state')) expect(params.get('state')).toBe(expected);
        } catch (error) {
          expect(isApsAuthError(error)).toBe(true);
          expect(isAuthorizationResponseError(error)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  describe('checkCallback: a stable reason for each refusal, state first', () => {
    const reasonOf = (input: string) => {
      const check = checkCallback(config, input, { state });
      return check.kind === 'refused' ? check.reason : check.kind;
    };

    it.each([
      ['http://localhost:8080/api/auth/callback', 'NO_PARAMETERS'],
      ['?foo=1&bar=2', 'NO_PARAMETERS'],
      [`?code=${code}`, 'STATE_MISSING'],
      [`?code=${code}&state=wrong`, 'STATE_MISMATCH'],
      [`?code=${code}&state=${state}&state=${state}`, 'STATE_MISMATCH'],
      [`?code=${code}&code=other&state=${state}`, 'DUPLICATE_PARAMETER'],
      [`?code=${code}&state=${state}&iss=https%3A%2F%2Fevil.test`, 'ISSUER_MISMATCH'],
      [`?state=${state}`, 'CODE_MISSING'],
      [`?error=access_denied&state=${state}`, 'error'],
      [`?code=${code}&state=${state}`, 'code'],
    ])('%j → %s', (input, expected) => {
      expect(reasonOf(input)).toBe(expected);
    });

    it('a wrong state is told before anything else: duplicates and a bad iss of a forged request are not looked at', () => {
      // Hostile parameter names, twice, with a wrong state: refused for the state, in fixed words.
      const forged = `?%1B%5B2J%07Run%3A%20curl=1&%1B%5B2J%07Run%3A%20curl=2&iss=x&iss=y&state=wrong&code=c`;
      const check = checkCallback(config, forged, { state });
      expect(check).toMatchObject({ kind: 'refused', reason: 'STATE_MISMATCH' });
      const message = (check as { error: Error }).error.message;
      expect(message).not.toMatch(/\p{Cc}|curl|Run/u);
      // With the right state, a doubled parameter is refused without naming it.
      const doubled = checkCallback(config, `?%1B%5B2Jx=1&%1B%5B2Jx=2&state=${state}&code=c`, { state });
      expect(doubled).toMatchObject({ kind: 'refused', reason: 'DUPLICATE_PARAMETER' });
      expect((doubled as { error: Error }).error.message).toBe(
        'The callback carries a parameter more than once: it is rejected (RFC 6749 section 3.1).',
      );
    });

    it('a callback with the right state but no code does not speak of pasting (any mode may have received it)', () => {
      const check = checkCallback(config, `?state=${state}`, { state });
      expect((check as { error: Error }).error.message).not.toMatch(/paste/i);
    });
  });
});
