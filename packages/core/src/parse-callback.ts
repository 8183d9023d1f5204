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

/**
 * Why a callback does not answer this sign-in (the flow may keep waiting for the right one):
 * - `NO_PARAMETERS`: none of `code`, `state`, `error`, `iss` (e.g. the callback URL opened by hand);
 * - `STATE_MISSING`, `STATE_MISMATCH`: no `state`, or not exactly the one this sign-in created;
 * - `DUPLICATE_PARAMETER`: a parameter given twice (RFC 6749 section 3.1), after the state matched;
 * - `ISSUER_MISMATCH`: an `iss` other than the configured issuer (RFC 9207);
 * - `CODE_MISSING`: the right state, but neither a code nor an error;
 * - `UNPARSABLE`: not a URL, a query or parameters.
 */
export type CallbackRefusalCode =
  | 'NO_PARAMETERS'
  | 'STATE_MISSING'
  | 'STATE_MISMATCH'
  | 'DUPLICATE_PARAMETER'
  | 'ISSUER_MISMATCH'
  | 'CODE_MISSING'
  | 'UNPARSABLE';

/** `checkCallback`'s answer: a code, the server's error answer (the sign-in is over), or a refusal. */
export type CallbackCheck =
  | { readonly kind: 'code'; readonly result: CallbackResult }
  | { readonly kind: 'error'; readonly error: AuthorizationResponseError }
  | {
      readonly kind: 'refused';
      readonly reason: CallbackRefusalCode;
      readonly error: AuthorizationResponseError;
    };

const RESPONSE_PARAMS = ['code', 'state', 'error', 'iss'];

function hasResponseParams(params: URLSearchParams): boolean {
  return RESPONSE_PARAMS.some((name) => params.has(name));
}

function toParams(input: CallbackInput): URLSearchParams | undefined {
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
    return undefined;
  }
  const params = new URLSearchParams(query);
  if (!hasResponseParams(params) && fragment !== '') {
    // response_mode=fragment puts the answer after '#'; otherwise a fragment is ignored.
    const fromFragment = new URLSearchParams(fragment);
    if (hasResponseParams(fromFragment)) return fromFragment;
  }
  return params;
}

/** The messages of refusals: fixed text, never a word of what the request carried. */
const REFUSALS: Record<CallbackRefusalCode, [AuthorizationResponseError['code'], string]> = {
  NO_PARAMETERS: [
    'INVALID_CALLBACK',
    'The callback carries no sign-in answer (no code, state or error): it is not the redirect back from the sign-in.',
  ],
  STATE_MISSING: [
    'STATE_MISMATCH',
    'The callback has no state: it does not answer this sign-in. Start the sign-in again.',
  ],
  STATE_MISMATCH: [
    'STATE_MISMATCH',
    'The callback state does not match this sign-in (an old browser tab, or a forged request): start the sign-in again.',
  ],
  DUPLICATE_PARAMETER: [
    'INVALID_CALLBACK',
    'The callback carries a parameter more than once: it is rejected (RFC 6749 section 3.1).',
  ],
  ISSUER_MISMATCH: [
    'INVALID_CALLBACK',
    'The callback comes from another issuer than the configured one: it is rejected (RFC 9207).',
  ],
  CODE_MISSING: [
    'INVALID_CALLBACK',
    'The callback answers this sign-in but carries neither a code nor an error.',
  ],
  UNPARSABLE: ['INVALID_CALLBACK', 'The callback must be a URL, a query string or URLSearchParams.'],
};

function refused(reason: CallbackRefusalCode): CallbackCheck {
  const [code, message] = REFUSALS[reason];
  return { kind: 'refused', reason, error: new AuthorizationResponseError(code, message) };
}

function errorResponse(params: URLSearchParams, error: string): CallbackCheck {
  const errorDescription = params.get('error_description') ?? undefined;
  const errorUri = params.get('error_uri') ?? undefined;
  const advice =
    error === 'access_denied'
      ? ': the sign-in was refused or cancelled; start it again to retry'
      : error === 'invalid_scope'
        ? ': check the requested scopes'
        : '';
  return {
    kind: 'error',
    error: new AuthorizationResponseError(
      'AUTHORIZATION_RESPONSE_ERROR',
      `The authorization server answered ${error.slice(0, 64)}${errorDescription ? ` (${errorDescription.slice(0, 200)})` : ''}${advice}.`,
      { error, errorDescription, errorUri },
    ),
  };
}

/**
 * Checks the redirect back from the authorize endpoint, `state` first (present exactly once and equal to the
 * expected one, in constant time) so that nothing else is looked at in a request this sign-in did not start;
 * then no parameter twice, `iss` equal to the configured issuer when present (RFC 9207), then `error` before
 * `code`. Never throws for a bad callback: it says why in a `refused` answer with a stable `reason`.
 */
export function checkCallback(
  config: ApsAuthConfig | ResolvedConfig,
  input: CallbackInput,
  options: ParseCallbackOptions,
): CallbackCheck {
  const resolved = resolveConfig(config);
  if (typeof options?.state !== 'string' || options.state === '') {
    throw new AuthorizationResponseError(
      'STATE_MISMATCH',
      'No expected state was given: pass the state created by createAuthorizationRequest().',
    );
  }
  let params: URLSearchParams | undefined;
  try {
    params = toParams(input);
  } catch {
    params = undefined;
  }
  if (params === undefined) return refused('UNPARSABLE');
  if (!hasResponseParams(params)) return refused('NO_PARAMETERS');
  const states = params.getAll('state');
  if (states.length === 0) return refused('STATE_MISSING');
  // Compared even when doubled, so that the time taken tells nothing; a doubled state never matches.
  const matches = constantTimeEqual(states[0] as string, options.state);
  if (!matches || states.length !== 1) return refused('STATE_MISMATCH');
  const names = [...params.keys()];
  if (new Set(names).size !== names.length) return refused('DUPLICATE_PARAMETER');
  const iss = params.get('iss');
  if (iss !== null && iss !== resolved.issuer) return refused('ISSUER_MISMATCH');
  const error = params.get('error');
  if (error !== null) return errorResponse(params, error);
  const code = params.get('code');
  if (code === null || code === '') return refused('CODE_MISSING');
  const result: CallbackResult = { code };
  if (iss !== null) result.iss = iss;
  return { kind: 'code', result };
}

/**
 * Checks the redirect back from the authorize endpoint and returns the code (see `checkCallback` for the
 * order of the checks). Throws only `AuthorizationResponseError` (`STATE_MISMATCH`,
 * `AUTHORIZATION_RESPONSE_ERROR`, `INVALID_CALLBACK`).
 */
export function parseCallback(
  config: ApsAuthConfig | ResolvedConfig,
  input: CallbackInput,
  options: ParseCallbackOptions,
): CallbackResult {
  const check = checkCallback(config, input, options);
  if (check.kind === 'code') return check.result;
  throw check.error;
}
