import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/**
 * What was wrong with an answer:
 * - `not_oauth_error`: an error status whose body is not an OAuth error (an HTML 502 page, plain text);
 * - `not_json_object`: a 2xx answer whose body is not a JSON object;
 * - `invalid_field`: a 2xx answer that lacks a field or has one of the wrong type (`field` names it);
 * - `lifetime_out_of_range`: a token answer's `expires_in` is beyond what any token lives (`field` is `expires_in`);
 * - `response_too_large`: the body grew past the limit (1 MiB) and was cancelled ("response too large").
 */
export type UnexpectedResponseReason =
  | 'not_oauth_error'
  | 'not_json_object'
  | 'invalid_field'
  | 'lifetime_out_of_range'
  | 'response_too_large';

/**
 * The server answered something that is neither a valid result nor an OAuth error
 * (`code: 'UNEXPECTED_RESPONSE'`): an HTML 502 page, malformed JSON, a token answer without `access_token`,
 * an absurd `expires_in`, a body over 1 MiB. `reason` says which (a stable value to branch on).
 * `snippet` is a short, tag-stripped excerpt of an error body (never of a 2xx body, which may hold tokens).
 */
export class UnexpectedResponseError extends ApsAuthError {
  readonly endpoint: Endpoint;
  readonly status: number;
  readonly reason: UnexpectedResponseReason;
  /** The field at fault, for `invalid_field` and `lifetime_out_of_range`. */
  readonly field: string | undefined;
  readonly contentType: string | undefined;
  readonly snippet: string | undefined;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(
    message: string,
    fields: {
      endpoint: Endpoint;
      status: number;
      reason?: UnexpectedResponseReason | undefined;
      field?: string | undefined;
      contentType?: string | undefined;
      snippet?: string | undefined;
      retryAfter?: number | undefined;
    },
  ) {
    super('UNEXPECTED_RESPONSE', message);
    this.name = 'UnexpectedResponseError';
    this.endpoint = fields.endpoint;
    this.status = fields.status;
    this.reason = fields.reason ?? 'not_oauth_error';
    this.field = fields.field;
    this.contentType = fields.contentType;
    this.snippet = fields.snippet;
    this.retryAfter = fields.retryAfter;
  }
}
