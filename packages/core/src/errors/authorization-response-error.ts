import { ApsAuthError } from './aps-auth-error.js';

export type AuthorizationResponseErrorCode =
  | 'AUTHORIZATION_RESPONSE_ERROR'
  | 'STATE_MISMATCH'
  | 'INVALID_CALLBACK'
  | 'SIGN_IN_LINK_REUSED';

/**
 * The redirect back from the authorize endpoint cannot be used:
 * - `AUTHORIZATION_RESPONSE_ERROR`: it carries `?error=` (e.g. `access_denied` when the user refused);
 * - `STATE_MISMATCH`: its `state` is missing or not the one this login created (a stale tab or a forgery);
 * - `INVALID_CALLBACK`: unparsable, a duplicated parameter, a wrong `iss`, or no `code`;
 * - `SIGN_IN_LINK_REUSED`: the loopback start link was opened by a second browser (the sign-in was stopped).
 */
export class AuthorizationResponseError extends ApsAuthError {
  declare readonly code: AuthorizationResponseErrorCode;
  /** The `error` parameter, when the server sent one. */
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;

  constructor(
    code: AuthorizationResponseErrorCode,
    message: string,
    fields: {
      error?: string | undefined;
      errorDescription?: string | undefined;
      errorUri?: string | undefined;
    } = {},
  ) {
    super(code, message);
    this.name = 'AuthorizationResponseError';
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
  }
}
