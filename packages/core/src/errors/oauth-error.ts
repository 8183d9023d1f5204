import { ApsAuthError, type Endpoint } from './aps-auth-error.js';

/** The fields of an error answer from APS: RFC 6749 (`error`...) or the gateway shape (`errorCode`...). */
export interface OAuthErrorFields {
  endpoint: Endpoint;
  status: number;
  /** RFC 6749 `error`, e.g. `invalid_grant`; absent when only the gateway shape came back. */
  error?: string | undefined;
  errorDescription?: string | undefined;
  errorUri?: string | undefined;
  /** Gateway `errorCode`, e.g. `AUTH-001`. */
  errorCode?: string | undefined;
  developerMessage?: string | undefined;
  userMessage?: string | undefined;
  moreInfo?: string | undefined;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  retryAfter?: number | undefined;
}

/** The server answered with an OAuth error (`code: 'OAUTH_ERROR'`). */
export class OAuthError extends ApsAuthError {
  readonly endpoint: Endpoint;
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
  readonly errorCode: string | undefined;
  readonly developerMessage: string | undefined;
  readonly userMessage: string | undefined;
  readonly moreInfo: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(message: string, fields: OAuthErrorFields) {
    super('OAUTH_ERROR', message);
    this.name = 'OAuthError';
    this.endpoint = fields.endpoint;
    this.status = fields.status;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
    this.errorCode = fields.errorCode;
    this.developerMessage = fields.developerMessage;
    this.userMessage = fields.userMessage;
    this.moreInfo = fields.moreInfo;
    this.retryAfter = fields.retryAfter;
  }
}
