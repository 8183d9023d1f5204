import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/**
 * The server answered something that is neither a valid result nor an OAuth error
 * (`code: 'UNEXPECTED_RESPONSE'`): an HTML 502 page, malformed JSON, a token answer without `access_token`.
 * `snippet` is a short, tag-stripped excerpt of an error body (never of a 2xx body, which may hold tokens).
 */
export class UnexpectedResponseError extends ApsAuthError {
  readonly endpoint: Endpoint;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly snippet: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    message: string,
    fields: {
      endpoint: Endpoint;
      status: number;
      contentType?: string | undefined;
      snippet?: string | undefined;
      retryAfter?: number | undefined;
    },
  ) {
    super('UNEXPECTED_RESPONSE', message);
    this.name = 'UnexpectedResponseError';
    this.endpoint = fields.endpoint;
    this.status = fields.status;
    this.contentType = fields.contentType;
    this.snippet = fields.snippet;
    this.retryAfter = fields.retryAfter;
  }
}
