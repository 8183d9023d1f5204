import { ApsAuthError } from './aps-auth-error.js';

export type CallbackServerErrorCode = 'CALLBACK_PORT_UNAVAILABLE' | 'CALLBACK_URL_UNSUPPORTED';

/**
 * The loopback listener for the sign-in callback cannot start:
 * - `CALLBACK_PORT_UNAVAILABLE`: the callback URL's port is in use or not allowed (`port`, `host` name it);
 * - `CALLBACK_URL_UNSUPPORTED`: the callback URL is not an http loopback URL, so nothing local can receive it.
 */
export class CallbackServerError extends ApsAuthError {
  declare readonly code: CallbackServerErrorCode;
  readonly port: number | undefined;
  readonly host: string | undefined;

  constructor(
    code: CallbackServerErrorCode,
    message: string,
    fields: { port?: number | undefined; host?: string | undefined } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'CallbackServerError';
    this.port = fields.port;
    this.host = fields.host;
  }
}
