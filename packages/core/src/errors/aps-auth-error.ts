/** The brand every aps-auth error carries; guards check it so they work across realms and duplicate installs. */
export const ERROR_BRAND: unique symbol = Symbol.for('aps-auth.error') as never;

/** Every stable `code` string an aps-auth error can carry. */
export type ApsAuthErrorCode =
  | 'OAUTH_ERROR'
  | 'SIGN_IN_REQUIRED'
  | 'AUTHORIZATION_RESPONSE_ERROR'
  | 'STATE_MISMATCH'
  | 'INVALID_CALLBACK'
  | 'SIGN_IN_LINK_REUSED'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'UNEXPECTED_RESPONSE'
  | 'CONFIGURATION_ERROR'
  | 'ID_TOKEN_INVALID'
  | 'CALLBACK_PORT_UNAVAILABLE'
  | 'CALLBACK_URL_UNSUPPORTED'
  | 'LOGIN_TIMEOUT'
  | 'TOKEN_OTHER_CLIENT'
  | 'TOKEN_STORE_CORRUPT'
  | 'TOKEN_STORE_IO'
  | 'TOKEN_STORE_UNSAFE'
  | 'RELAY_URL_INVALID'
  | 'RELAY_UNAVAILABLE'
  | 'RELAY_RATE_LIMITED'
  | 'RELAY_BAD_RESPONSE'
  | 'RELAY_PAIRING_EXPIRED'
  | 'RELAY_DECRYPT_FAILED';

/** The server endpoint a request went to (used in messages and error fields). */
export type Endpoint = 'token' | 'revoke' | 'introspect' | 'userinfo' | 'keys' | 'authorize' | 'discovery';

/**
 * Base class of every error thrown by `@aps-auth/core`. It carries a stable `code`, never a secret,
 * and serialises (`toJSON`) to its public fields only.
 */
export class ApsAuthError extends Error {
  readonly code: ApsAuthErrorCode;
  declare readonly [ERROR_BRAND]: true;

  constructor(code: ApsAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, ERROR_BRAND, { value: true, enumerable: false });
    // Names are set explicitly (not from the class) so they survive minification; guards compare them.
    Object.defineProperty(this, 'name', { value: 'ApsAuthError', enumerable: false, writable: true });
  }

  /** Public fields only: name, code, message and the subclass's own fields. No stack, no cause. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'cause' && value !== undefined) out[key] = value;
    }
    return out;
  }
}
