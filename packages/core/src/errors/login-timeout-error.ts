import { ApsAuthError } from './aps-auth-error.js';

/**
 * No sign-in callback arrived in time (`code: 'LOGIN_TIMEOUT'`). The most likely cause: the callback URL
 * (`redirectUri`) is not registered for the app, so APS showed "400 - Invalid redirect_uri" and never called back.
 */
export class LoginTimeoutError extends ApsAuthError {
  readonly timeoutMs: number;
  readonly redirectUri: string;

  constructor(timeoutMs: number, redirectUri: string, message: string) {
    super('LOGIN_TIMEOUT', message);
    this.name = 'LoginTimeoutError';
    this.timeoutMs = timeoutMs;
    this.redirectUri = redirectUri;
  }
}
