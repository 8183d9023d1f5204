import { ApsAuthError } from './aps-auth-error.js';

/**
 * No sign-in callback arrived in time (`code: 'LOGIN_TIMEOUT'`). The most likely cause: the callback URL
 * (`redirectUri`) is not registered for the app, so APS showed "400 - Invalid redirect_uri" and never called back.
 */
export class LoginTimeoutError extends ApsAuthError {
  readonly timeoutMs: number;
  readonly redirectUri: string;
  /**
   * What the flow observed: `link-not-opened` (no browser opened the sign-in link), `no-callback` (a browser
   * went to sign in and never came back: not finished, or the callback URL is not registered), `not-pasted`
   * (manual mode: no redirected URL was pasted).
   */
  readonly stage: LoginTimeoutStage;

  constructor(
    timeoutMs: number,
    redirectUri: string,
    message: string,
    stage: LoginTimeoutStage = 'no-callback',
  ) {
    super('LOGIN_TIMEOUT', message);
    this.name = 'LoginTimeoutError';
    this.timeoutMs = timeoutMs;
    this.redirectUri = redirectUri;
    this.stage = stage;
  }
}

export type LoginTimeoutStage = 'link-not-opened' | 'no-callback' | 'not-pasted';
