import { oauthErrorMessage, STEP_LABEL } from './errors/messages.js';
import { OAuthError, type OAuthErrorFields } from './errors/oauth-error.js';
import { redact, snippetOf } from './errors/redact.js';
import { UnexpectedResponseError } from './errors/unexpected-response-error.js';
import { type HttpResponse, retryAfterSeconds } from './transport.js';

type Json = Record<string, unknown>;

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The SyntaxError is not kept: its message quotes the body, which may hold a token.
    return undefined;
  }
}

const str = (value: unknown, secrets: readonly string[]): string | undefined =>
  typeof value === 'string' ? redact(value, secrets).slice(0, 500) : undefined;

/** Turns a non-2xx answer into an `OAuthError` (RFC 6749 or gateway shape) or an `UnexpectedResponseError`. */
export function errorFromResponse(response: HttpResponse, now: number): OAuthError | UnexpectedResponseError {
  const { secrets } = response;
  const retryAfter = retryAfterSeconds(response.headers, now);
  const body = tryParse(response.text);
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const json = body as Json;
    const fields: OAuthErrorFields = {
      endpoint: response.endpoint,
      status: response.status,
      error: str(json.error, secrets),
      errorDescription: str(json.error_description, secrets),
      errorUri: str(json.error_uri, secrets),
      errorCode: str(json.errorCode, secrets),
      developerMessage: str(json.developerMessage, secrets),
      userMessage: str(json.userMessage, secrets),
      moreInfo: str(json['more info'], secrets),
      retryAfter,
    };
    if (
      fields.error !== undefined ||
      fields.errorCode !== undefined ||
      fields.developerMessage !== undefined
    ) {
      return new OAuthError(
        `${oauthErrorMessage(response.step, fields)}${retryAfterAdvice(retryAfter)}`,
        fields,
      );
    }
  }
  const contentType = response.headers.get('content-type') ?? undefined;
  const snippet = snippetOf(response.text, secrets);
  return new UnexpectedResponseError(
    `${STEP_LABEL[response.step]} failed: the server answered ${response.status} with ${describe(contentType)} that is not an OAuth error${
      snippet ? ` ("${snippet.slice(0, 80)}")` : ''
    }${response.status >= 500 || response.status === 429 ? ': the service may be down or busy, try again later' : ''}.${retryAfterAdvice(retryAfter)}`,
    {
      endpoint: response.endpoint,
      status: response.status,
      reason: 'not_oauth_error',
      contentType,
      snippet,
      retryAfter,
    },
  );
}

/** " The server asks to wait 30 s before trying again (Retry-After)." when it sent a `Retry-After`. */
export function retryAfterAdvice(seconds: number | undefined): string {
  return seconds === undefined
    ? ''
    : ` The server asks to wait ${seconds} s before trying again (Retry-After: ${seconds}).`;
}

function describe(contentType: string | undefined): string {
  return contentType ? `a ${contentType.split(';')[0]!.trim()} body` : 'a body';
}

/** A 2xx answer's JSON object; anything else throws a typed error. No excerpt of a 2xx body is kept. */
export function expectJsonObject(response: HttpResponse, now: number): Json {
  if (response.status < 200 || response.status > 299) throw errorFromResponse(response, now);
  const body = tryParse(response.text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const contentType = response.headers.get('content-type') ?? undefined;
    throw new UnexpectedResponseError(
      `${STEP_LABEL[response.step]} failed: the server answered ${response.status} with ${describe(contentType)} that is not a JSON object.`,
      { endpoint: response.endpoint, status: response.status, reason: 'not_json_object', contentType },
    );
  }
  return body as Json;
}

/** A 2xx answer with any body (revoke); anything else throws a typed error. */
export function expectSuccess(response: HttpResponse, now: number): void {
  if (response.status < 200 || response.status > 299) throw errorFromResponse(response, now);
}

/** An `UnexpectedResponseError` for a 2xx answer that lacks a field or has the wrong type. */
export function invalidField(response: HttpResponse, field: string): UnexpectedResponseError {
  return new UnexpectedResponseError(
    `${STEP_LABEL[response.step]} failed: the answer has no valid "${field}".`,
    {
      endpoint: response.endpoint,
      status: response.status,
      reason: 'invalid_field',
      field,
      contentType: response.headers.get('content-type') ?? undefined,
    },
  );
}

/** An `UnexpectedResponseError` for a token answer whose lifetime (`expires_in`) no token has. */
export function lifetimeOutOfRange(response: HttpResponse, detail: string): UnexpectedResponseError {
  return new UnexpectedResponseError(
    `${STEP_LABEL[response.step]} failed: the answer's "expires_in" ${detail}; the server is misconfigured or not an authentication server, and nothing was saved.`,
    {
      endpoint: response.endpoint,
      status: response.status,
      reason: 'lifetime_out_of_range',
      field: 'expires_in',
      contentType: response.headers.get('content-type') ?? undefined,
    },
  );
}
