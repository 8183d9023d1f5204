import { ApsAuthError } from './aps-auth-error.js';

/** Why a new interactive sign-in is needed. */
export type SignInRequiredReason = 'no_token' | 'no_refresh_token' | 'refresh_rejected';

/**
 * No usable grant is left (`code: 'SIGN_IN_REQUIRED'`): nothing stored, no refresh token, or the server
 * rejected the refresh token (`invalid_grant`; then `cause` is the `OAuthError`). The fix is to sign in again.
 */
export class SignInRequiredError extends ApsAuthError {
  readonly reason: SignInRequiredReason;
  /** The profile to sign in again, when a profile session threw it (a front end names it in its hint). */
  readonly profile: string | undefined;

  constructor(
    reason: SignInRequiredReason,
    message: string,
    options?: { cause?: unknown; profile?: string | undefined },
  ) {
    super('SIGN_IN_REQUIRED', message, options);
    this.name = 'SignInRequiredError';
    this.reason = reason;
    this.profile = options?.profile;
  }
}
