import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/** The caller's `AbortSignal` fired (`code: 'ABORTED'`). */
export class AbortedError extends ApsAuthError {
  readonly endpoint: Endpoint | undefined;

  constructor(endpoint: Endpoint | undefined, message: string) {
    super('ABORTED', message);
    this.name = 'AbortedError';
    this.endpoint = endpoint;
  }
}
