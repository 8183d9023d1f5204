import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { constantTimeEqual } from './constant-time.js';
import { AuthorizationResponseError } from './errors/authorization-response-error.js';

/** What a redirect back can be pasted or passed as. */
export type CallbackInput = string | URL | URLSearchParams;

export interface ParseCallbackOptions {
  /** The `state` from `createAuthorizationRequest`. */
  state: string;
}

export interface CallbackResult {
  /** The authorization code, for `exchangeCode`. */
  code: string;
  /** The `iss` parameter, when the server sent one (it then matched the configured issuer). */
  iss?: string;
}

const RESPONSE_PARAMS = ['code', 'state', 'error', 'iss'];

function hasResponseParams(params: URLSearchParams): boolean {
  return RESPONSE_PARAMS.some((name) => params.has(name));
}

function toParams(input: CallbackInput): URLSearchParams {
  if (input instanceof URLSearchParams) return new URLSearchParams(input);
  let query: string;
  let fragment = '';
  if (input instanceof URL) {
    query = input.search.slice(1);
    fragment = input.hash.slice(1);
  } else if (typeof input === 'string') {
    const text = input.trim();
    const hashAt = text.indexOf('#');
    const beforeHash = hashAt === -1 ? text : text.slice(0, hashAt);
    fragment = hashAt === -1 ? '' : text.slice(hashAt + 1);
    const questionAt = beforeHash.indexOf('?');
    if (questionAt !== -1) query = beforeHash.slice(questionAt + 1);
    else if (/^[a-z][a-z0-9+.-]*:/i.test(beforeHash) || beforeHash.startsWith('/')) query = '';
    else query = beforeHash;
  } else {
    throw new AuthorizationResponseError(
      'INVALID_CALLBACK',
      'The callback must be a URL, a query string or URLSearchParams.',
    );
  }
  const params = new URLSearchParams(query);
  if (!hasResponseParams(params) && fragment !== '') {
    // response_mode=fragment puts the answer after '#'; otherwise a fragment is ignored.
    const fromFragment = new URLSearchParams(fragment);
    if (hasResponseParams(fromFragment)) return fromFragment;
  }
  return params;
}

/**
 * Checks the redirect back from the authorize endpoint and returns the code. In order: no parameter twice,
 * `state` equal to the expected one (constant time, in the success and the error case alike), `iss` equal to
 * the configured issuer when present (RFC 9207), then `error` before `code`. Throws only
 * `AuthorizationResponseError` (`STATE_MISMATCH`, `AUTHORIZATION_RESPONSE_ERROR`, `INVALID_CALLBACK`).
 */
export function parseCallback(
  config: ApsAuthConfig | ResolvedConfig,
  input: CallbackInput,
  options: ParseCallbackOptions,
): CallbackResult {
  const resolved = resolveConfig(config);
  if (typeof options?.state !== 'string' || options.state === '') {
    throw new AuthorizationResponseError(
      'STATE_MISMATCH',
      'No expected state was given: pass the state created by createAuthorizationRequest().',
    );
  }
  let params: URLSearchParams;
  try {
    params = toParams(input);
  } catch (error) {
    if (error instanceof AuthorizationResponseError) throw error;
    throw new AuthorizationResponseError('INVALID_CALLBACK', 'The callback URL could not be parsed.');
  }
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) {
      throw new AuthorizationResponseError(
        'INVALID_CALLBACK',
        `The callback carries the parameter "${name.slice(0, 40)}" more than once: it is rejected (RFC 6749 section 3.1).`,
      );
    }
    seen.add(name);
  }
  const state = params.get('state');
  if (state === null || !constantTimeEqual(state, options.state)) {
    throw new AuthorizationResponseError(
      'STATE_MISMATCH',
      state === null
        ? 'The callback has no state: it does not answer this sign-in. Start the sign-in again.'
        : 'The callback state does not match this sign-in (an old browser tab, or a forged request): start the sign-in again.',
    );
  }
  const iss = params.get('iss');
  if (iss !== null && iss !== resolved.issuer) {
    throw new AuthorizationResponseError(
      'INVALID_CALLBACK',
      `The callback comes from another issuer than the configured one (${resolved.issuer}): it is rejected (RFC 9207).`,
    );
  }
  const error = params.get('error');
  if (error !== null) {
    const errorDescription = params.get('error_description') ?? undefined;
    const errorUri = params.get('error_uri') ?? undefined;
    const advice =
      error === 'access_denied'
        ? ': the sign-in was refused or cancelled; start it again to retry'
        : error === 'invalid_scope'
          ? ': check the requested scopes'
          : '';
    throw new AuthorizationResponseError(
      'AUTHORIZATION_RESPONSE_ERROR',
      `The authorization server answered ${error.slice(0, 64)}${errorDescription ? ` (${errorDescription.slice(0, 200)})` : ''}${advice}.`,
      { error, errorDescription, errorUri },
    );
  }
  const code = params.get('code');
  if (code === null || code === '') {
    throw new AuthorizationResponseError(
      'INVALID_CALLBACK',
      'The callback has neither a code nor an error: paste the whole URL the browser was redirected to.',
    );
  }
  const result: CallbackResult = { code };
  if (iss !== null) result.iss = iss;
  return result;
}
