import { ApsAuthError } from '../errors/aps-auth-error.js';

/**
 * Why the relay could not hand over a sign-in: `RELAY_URL_INVALID` (not https, or plain http to a host other
 * than a loopback one), `RELAY_UNAVAILABLE` (unreachable, or an unexpected status), `RELAY_RATE_LIMITED`,
 * `RELAY_BAD_RESPONSE` (an answer that is not the pairing API's), `RELAY_PAIRING_EXPIRED` (gone: expired,
 * already read, or unknown), `RELAY_DECRYPT_FAILED` (the envelope was tampered with or is not for this key).
 */
export type RelayErrorCode =
  | 'RELAY_URL_INVALID'
  | 'RELAY_UNAVAILABLE'
  | 'RELAY_RATE_LIMITED'
  | 'RELAY_BAD_RESPONSE'
  | 'RELAY_PAIRING_EXPIRED'
  | 'RELAY_DECRYPT_FAILED';

export class RelayError extends ApsAuthError {
  declare readonly code: RelayErrorCode;
  /** The relay's origin (never a token or key). */
  readonly relay: string | undefined;
  /** The HTTP status the relay answered, when there was one. */
  readonly status: number | undefined;

  constructor(code: RelayErrorCode, message: string, fields: { relay?: string; status?: number } = {}) {
    super(code, message);
    this.name = 'RelayError';
    this.relay = fields.relay;
    this.status = fields.status;
  }
}

export function isRelayError(value: unknown): value is RelayError {
  return value instanceof ApsAuthError && value.name === 'RelayError';
}
