import { ApsAuthError } from './aps-auth-error.js';

/**
 * Why an id token was rejected: `issued_in_future` is an `iat` later than now plus the clock tolerance;
 * `authorized_party` is an `azp` that is not our client id, or none while there are several audiences
 * (OpenID Connect Core 3.1.3.7).
 */
export type IdTokenErrorReason =
  | 'malformed'
  | 'signature'
  | 'unknown_key'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'authorized_party'
  | 'nonce'
  | 'claim';

/** An id token failed verification (`code: 'ID_TOKEN_INVALID'`); `reason` says which check. */
export class IdTokenError extends ApsAuthError {
  readonly reason: IdTokenErrorReason;

  constructor(reason: IdTokenErrorReason, message: string) {
    super('ID_TOKEN_INVALID', message);
    this.name = 'IdTokenError';
    this.reason = reason;
  }
}
