import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/**
 * The server did not answer within `timeoutMs` (`code: 'TIMEOUT'`). The request may have reached the server
 * (`mayHaveReachedServer` is always `true`, as on `NetworkError`): it may have acted on it.
 */
export class TimeoutError extends ApsAuthError {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly mayHaveReachedServer: true = true;

  constructor(endpoint: Endpoint, timeoutMs: number, message: string) {
    super('TIMEOUT', message);
    this.name = 'TimeoutError';
    this.endpoint = endpoint;
    this.timeoutMs = timeoutMs;
  }
}
