import { isApsAuthError, isSignInRequiredError } from '@aps-auth/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { WebDeps } from './options.js';
import { ErrorPage } from './pages/error.js';
import { isSessionStoreError, type SessionStoreError } from './store-errors.js';

/** Every `error` the app answers with (JSON `error`, and the code on an error page). Stable. */
export type WebErrorCode =
  | 'invalid_return_to'
  | 'sign_in_unavailable'
  | 'sign_in_not_started'
  | 'sign_in_expired'
  | 'state_mismatch'
  | 'access_denied'
  | 'authorization_error'
  | 'invalid_callback'
  | 'exchange_failed'
  | 'not_signed_in'
  | 'sign_in_required'
  | 'token_unavailable'
  | 'profile_unavailable'
  | 'forbidden_origin'
  | 'invalid_public_key'
  | 'rate_limited'
  | 'pairing_not_found'
  | 'pairing_used'
  | 'store_unavailable'
  | 'session_busy';

/** A JSON error in the RFC 6749 shape (`error`, `error_description`), never cached. */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: WebErrorCode,
  description: string,
  extra: Record<string, string> = {},
): Response {
  c.header('Cache-Control', 'no-store');
  return c.json({ error, error_description: description, ...extra }, status);
}

export function htmlError(
  c: Context,
  deps: WebDeps,
  status: ContentfulStatusCode,
  code: WebErrorCode,
  title: string,
  message: string,
): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(<ErrorPage banner={deps.banner} title={title} message={message} code={code} />, status);
}

/** Core's stable code of an error (for logs and answers), never its message's secrets (core redacts them). */
export function coreCode(error: unknown): string {
  return isApsAuthError(error) ? error.code : 'UNEXPECTED';
}

/** The answer to a failure of getting a session's token: sign in again, or the server is unavailable. */
export function tokenFailure(
  c: Context,
  deps: WebDeps,
  error: unknown,
  what: 'token' | 'profile',
): Response | Promise<Response> {
  if (isSessionStoreError(error)) return storeFailure(c, deps, error);
  if (isSignInRequiredError(error)) {
    return jsonError(c, 401, 'sign_in_required', 'The session has ended at APS: sign in again.');
  }
  deps.log({
    level: 'error',
    event: `${what}_failed`,
    message: `Getting the ${what} failed (${coreCode(error)}).`,
  });
  return jsonError(
    c,
    502,
    what === 'token' ? 'token_unavailable' : 'profile_unavailable',
    `The authentication server could not be reached or refused the request; try again shortly.`,
    { code: coreCode(error) },
  );
}

/**
 * 503 for a session store failure (`store_unavailable`, or `session_busy` for a lock wait that ran out): JSON
 * with `code` under `/api/`, an error page elsewhere. Not logged here: the store logs once per outage.
 */
export function storeFailure(
  c: Context,
  deps: WebDeps,
  error: SessionStoreError,
): Response | Promise<Response> {
  const busy = error.code !== 'STORE_UNAVAILABLE';
  const code: WebErrorCode = busy ? 'session_busy' : 'store_unavailable';
  const message = busy
    ? 'This session is busy (its token is being refreshed elsewhere); try again in a few seconds.'
    : 'The session store is unavailable; nothing was changed. Try again shortly.';
  c.header('Retry-After', busy ? '2' : '5');
  if (new URL(c.req.url).pathname.startsWith('/api/')) {
    return jsonError(c, 503, code, message, { code: error.code });
  }
  return htmlError(c, deps, 503, code, 'Temporarily unavailable', message);
}
