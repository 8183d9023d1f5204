import { createLocalJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from '../config.js';
import { constantTimeEqual } from '../constant-time.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { IdTokenError, type IdTokenErrorReason } from '../errors/id-token-error.js';
import { getKeySet } from './jwks-cache.js';

export interface VerifyIdTokenOptions {
  /**
   * The `nonce` from `createAuthorizationRequest` (it is created whenever `openid` is asked). `null` only if
   * the authorization request really sent none; then a token carrying a nonce is still accepted.
   */
  nonce: string | null;
  /** Allowed clock difference for `exp`, `iat` and `nbf`, in seconds. Default 60. */
  clockToleranceSec?: number | undefined;
  /** Reject tokens issued (`iat`) more than this many seconds ago. */
  maxAgeSec?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The verified claims of an id token. */
export interface IdTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat?: number;
  nonce?: string;
  /** APS's claims about the user (APS's ID token documentation). */
  userid?: string;
  user_name?: string;
  user_email?: string;
  first_name?: string;
  last_name?: string;
  [claim: string]: unknown;
}

function fromJose(error: unknown): IdTokenError | undefined {
  const code = (error as { code?: unknown })?.code;
  const claim = (error as { claim?: unknown })?.claim;
  const map: Record<string, [IdTokenErrorReason, string]> = {
    ERR_JWT_EXPIRED: ['expired', 'The id token has expired.'],
    ERR_JWKS_NO_MATCHING_KEY: [
      'unknown_key',
      'The id token is signed with a key the server does not publish.',
    ],
    ERR_JWKS_MULTIPLE_MATCHING_KEYS: ['unknown_key', 'The id token matches several published keys.'],
    ERR_JWS_SIGNATURE_VERIFICATION_FAILED: ['signature', 'The id token signature is invalid.'],
    ERR_JOSE_ALG_NOT_ALLOWED: ['signature', 'The id token is not signed with RS256.'],
    ERR_JWS_INVALID: ['malformed', 'The id token is not a valid JWS.'],
    ERR_JWT_INVALID: ['malformed', 'The id token is not a valid JWT.'],
    ERR_JOSE_NOT_SUPPORTED: ['signature', 'The id token uses an unsupported key or algorithm.'],
  };
  if (typeof code !== 'string') return undefined;
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (claim === 'iss')
      return new IdTokenError('issuer', 'The id token comes from another issuer than the configured one.');
    if (claim === 'aud')
      return new IdTokenError('audience', 'The id token was issued for another client id.');
    if (claim === 'nbf')
      return new IdTokenError('not_yet_valid', 'The id token is not valid yet (check the clock).');
    if (claim === 'iat') return issuedInFuture();
    return new IdTokenError('claim', `The id token's "${String(claim).slice(0, 40)}" claim is invalid.`);
  }
  const hit = map[code];
  if (hit) return new IdTokenError(hit[0], hit[1]);
  return code.startsWith('ERR_J')
    ? new IdTokenError('malformed', 'The id token could not be verified.')
    : undefined;
}

function issuedInFuture(): IdTokenError {
  return new IdTokenError(
    'issued_in_future',
    "The id token's issue time (iat) is in the future beyond the clock tolerance: check this machine's clock, then sign in again.",
  );
}

/**
 * The checks jose leaves to us (OpenID Connect Core 3.1.3.7): with several audiences `azp` must be present;
 * when present it must be our client id; `iat` must not be later than now plus the clock tolerance.
 */
function checkPartyAndIssueTime(payload: JWTPayload, clientId: string, now: number, toleranceSec: number) {
  const severalAudiences = Array.isArray(payload.aud) && payload.aud.length > 1;
  if (payload.azp !== undefined || severalAudiences) {
    if (typeof payload.azp !== 'string' || payload.azp !== clientId) {
      throw new IdTokenError(
        'authorized_party',
        payload.azp === undefined
          ? 'The id token names several audiences but no authorized party (azp): it may have been issued to another client; sign in again.'
          : 'The id token was issued to another client (its authorized party, azp, is not this client id): sign in again.',
      );
    }
  }
  if (typeof payload.iat === 'number' && payload.iat > Math.floor(now / 1000) + toleranceSec) {
    throw issuedInFuture();
  }
}

/**
 * Verifies an id token: RS256 signature against the keys endpoint's JWKS (cached, refetched once on an
 * unknown `kid`), `iss` (the configured issuer), `aud` (the client id), `azp` (our client id when present,
 * required with several audiences), `exp` and `iat` (not in the future) with a clock tolerance, and `nonce`
 * (constant time). Throws `IdTokenError`, or the transport's errors while fetching keys.
 */
export async function verifyIdToken(
  config: ApsAuthConfig | ResolvedConfig,
  idToken: string,
  options: VerifyIdTokenOptions,
): Promise<IdTokenClaims> {
  const resolved = resolveConfig(config);
  if (typeof idToken !== 'string' || idToken.split('.').length !== 3) {
    throw new IdTokenError('malformed', 'The id token is not a compact JWT.');
  }
  if (options === undefined || (options.nonce !== null && typeof options.nonce !== 'string')) {
    throw new ConfigurationError(
      'nonce',
      'nonce is required: the nonce from createAuthorizationRequest(), or null.',
    );
  }
  for (const [name, value] of [
    ['clockToleranceSec', options.clockToleranceSec],
    ['maxAgeSec', options.maxAgeSec],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new ConfigurationError(name, `${name} must be a non-negative number of seconds.`);
    }
  }
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(idToken).kid;
  } catch {
    throw new IdTokenError('malformed', 'The id token header cannot be decoded.');
  }
  const clockTolerance = options.clockToleranceSec ?? 60;
  const verifyWith = async (refresh: boolean) => {
    const jwks = await getKeySet(resolved, { refresh, signal: options.signal });
    return jwtVerify(idToken, createLocalJWKSet(jwks as never), {
      algorithms: ['RS256'],
      issuer: resolved.issuer,
      audience: resolved.clientId,
      clockTolerance,
      currentDate: new Date(resolved.now()),
      requiredClaims: ['iss', 'sub', 'aud', 'exp'],
      ...(options.maxAgeSec === undefined ? {} : { maxTokenAge: options.maxAgeSec }),
    });
  };
  let payload: JWTPayload;
  try {
    try {
      ({ payload } = await verifyWith(false));
    } catch (error) {
      if ((error as { code?: unknown })?.code !== 'ERR_JWKS_NO_MATCHING_KEY' || typeof kid !== 'string')
        throw error;
      // An unknown kid: the server may have rotated its keys. Refetch (rate-limited) and try once more.
      ({ payload } = await verifyWith(true));
    }
  } catch (error) {
    const mapped = fromJose(error);
    if (mapped) throw mapped;
    throw error;
  }
  checkPartyAndIssueTime(payload, resolved.clientId, resolved.now(), clockTolerance);
  if (options.nonce !== null) {
    if (typeof payload.nonce !== 'string' || !constantTimeEqual(payload.nonce, options.nonce)) {
      throw new IdTokenError(
        'nonce',
        'The id token nonce does not match this sign-in: start the sign-in again.',
      );
    }
  }
  return payload as IdTokenClaims;
}
