import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/**
 * No HTTP response arrived (`code: 'NETWORK_ERROR'`): connection refused or dropped, DNS failure.
 * `cause` is a sanitized `Error` naming the underlying failure (never the request).
 * `mayHaveReachedServer` is `false` when the request certainly never reached the server (connection refused,
 * unknown host, unreachable network, a TLS certificate refused): the server did nothing, so a refresh token
 * or a code is unchanged. It is `true` when it may have (a connection reset or closed after sending): the
 * server may have acted on it (a refresh may have happened there).
 */
export class NetworkError extends ApsAuthError {
  readonly endpoint: Endpoint;
  readonly mayHaveReachedServer: boolean;

  constructor(
    endpoint: Endpoint,
    message: string,
    options?: { cause?: unknown; mayHaveReachedServer?: boolean | undefined },
  ) {
    super('NETWORK_ERROR', message, options);
    this.name = 'NetworkError';
    this.endpoint = endpoint;
    this.mayHaveReachedServer = options?.mayHaveReachedServer ?? true;
  }
}
