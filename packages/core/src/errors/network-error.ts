import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/**
 * No HTTP response arrived (`code: 'NETWORK_ERROR'`): connection refused or dropped, DNS failure.
 * `cause` is a sanitized `Error` naming the underlying failure (never the request).
 */
export class NetworkError extends ApsAuthError {
  readonly endpoint: Endpoint;

  constructor(endpoint: Endpoint, message: string, options?: { cause?: unknown }) {
    super('NETWORK_ERROR', message, options);
    this.name = 'NetworkError';
    this.endpoint = endpoint;
  }
}
