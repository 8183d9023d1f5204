import { ApsAuthError } from './aps-auth-error.js';

/** Why an id token was rejected. */
export type IdTokenErrorReason =
  | 'malformed'
  | 'signature'
  | 'unknown_key'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not_yet_valid'
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
