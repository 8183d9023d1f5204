import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/** The server did not answer within `timeoutMs` (`code: 'TIMEOUT'`). */
export class TimeoutError extends ApsAuthError {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;

  constructor(endpoint: Endpoint, timeoutMs: number, message: string) {
    super('TIMEOUT', message);
    this.name = 'TimeoutError';
    this.endpoint = endpoint;
    this.timeoutMs = timeoutMs;
  }
}
