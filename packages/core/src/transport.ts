import ky, { isHTTPError, isTimeoutError } from 'ky';
import type { FetchLike, ResolvedConfig } from './config.js';
import { AbortedError } from './errors/aborted-error.js';
import type { Endpoint } from './errors/aps-auth-error.js';
import { isApsAuthError } from './errors/guards.js';
import { NetworkError } from './errors/network-error.js';
import { redact, sanitizeCause } from './errors/redact.js';
import { TimeoutError } from './errors/timeout-error.js';
import type { UnexpectedResponseError } from './errors/unexpected-response-error.js';
import { capBodies } from './response-limit.js';

/** The protocol step a request belongs to: it selects the retry policy and the advice in messages. */
export type Step =
  | 'authorization_code'
  | 'refresh_token'
  | 'client_credentials'
  | 'revoke'
  | 'introspect'
  | 'userinfo'
  | 'keys';

/** A request as built by a protocol step, before it is sent. */
export interface HttpRequest {
  step: Step;
  endpoint: Endpoint;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: URLSearchParams | undefined;
  /** Values that must never reach an error (credentials, tokens, codes, verifiers). */
  secrets: readonly string[];
}

/** What came back: the status, the headers and the whole body as text. */
export interface HttpResponse {
  step: Step;
  endpoint: Endpoint;
  status: number;
  headers: Headers;
  text: string;
  secrets: readonly string[];
}

/** Steps retried on 429 and 5xx (safe to repeat). A code exchange or a refresh is never retried. */
const RETRIED_STEPS: ReadonlySet<Step> = new Set(['userinfo', 'keys', 'client_credentials']);
const RETRY_STATUSES = [429, 500, 502, 503, 504];

const LABEL: Record<Endpoint, string> = {
  token: 'the token endpoint',
  revoke: 'the revoke endpoint',
  introspect: 'the introspect endpoint',
  userinfo: 'the userinfo endpoint',
  keys: 'the keys (JWKS) endpoint',
  authorize: 'the authorize endpoint',
  discovery: 'the discovery document',
};

const LOST_RESPONSE_ADVICE: Partial<Record<Step, string>> = {
  authorization_code:
    ' The authorization code may already be spent (codes are single-use): start the sign-in again.',
  refresh_token:
    ' The refresh may have happened at the server: try again, and sign in again if the refresh token is then rejected.',
};

const UNSENT_ADVICE: Partial<Record<Step, string>> = {
  authorization_code:
    ' Nothing reached the server: check that it runs and that the URL is right, then start the sign-in again.',
  refresh_token:
    ' Nothing reached the server, so the refresh token is unchanged: check that the server runs and that the URL is right, then try again.',
};

/**
 * Failures before anything was sent (the connection was never made, or TLS refused the server): the server
 * cannot have acted on the request. Anything else (a reset or a close after sending) may have reached it.
 */
const UNSENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The one ky instance of core. Bodies are read as text here and parsed in `response.ts`. No `parseJson`
 * option: with it ky decorates each response's `json`, which fails on read-only `Response` objects.
 */
const http = /* @__PURE__ */ ky.create({ throwHttpErrors: false, retry: 0 });

/**
 * The platform's `fetch` for ky, called with what ky's `Request` holds (URL, method, headers, signal,
 * redirect) and the request's own body, not with the `Request` itself: `fetch(request)` copies a `Request`
 * and pipes its body through an identity `TransformStream`, which loads the web streams' pipe machinery
 * (about 2.5 ms of a CLI's first POST). A `URLSearchParams` body can be sent again, so retries still work;
 * the signal is the request's, so ky's timeout and the caller's abort still end the request.
 */
function sendAsIs(body: URLSearchParams | undefined): typeof fetch {
  return (input, init) => {
    if (!(input instanceof Request)) return globalThis.fetch(input, init);
    return globalThis.fetch(input.url, {
      ...init,
      method: input.method,
      headers: input.headers,
      ...(body === undefined ? {} : { body }),
      signal: init?.signal ?? input.signal,
      redirect: input.redirect,
    });
  };
}

/**
 * Each attempt's timeout, started through the configuration's `setTimer` (not ky's own timer, which no test
 * or host could drive): when it expires, the attempt's signal is aborted with the `TimeoutError` itself, which
 * ky passes on unretried (it is not a network error). The signal goes in `init`, which wins over the
 * `Request`'s own, so that the caller's abort still ends the request too.
 */
function withTimeout(inner: FetchLike, config: ResolvedConfig, onTimeout: () => Error): FetchLike {
  return async (input, init) => {
    const expired = new AbortController();
    const cancel = config.setTimer(config.timeoutMs, () => expired.abort(onTimeout()));
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const signal =
      own === undefined || own === null ? expired.signal : AbortSignal.any([own, expired.signal]);
    try {
      return await inner(input, { ...init, signal });
    } catch (error) {
      if (expired.signal.aborted) throw expired.signal.reason;
      throw error;
    } finally {
      cancel();
    }
  };
}

/**
 * Sends a request through ky: per-attempt timeout, the caller's AbortSignal, a user agent, and retries on
 * 429/5xx (honouring `Retry-After` up to a cap) for the steps that are safe to repeat. Error statuses are
 * returned, not thrown; only the absence of a response throws (`NetworkError`, `TimeoutError`, `AbortedError`).
 */
export async function send(
  config: ResolvedConfig,
  request: HttpRequest,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  const retrying = RETRIED_STEPS.has(request.step) && config.retryLimit > 0;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (config.userAgent !== undefined) headers['user-agent'] = config.userAgent;
  const done = (status: number, responseHeaders: Headers, text: string): HttpResponse => ({
    step: request.step,
    endpoint: request.endpoint,
    status,
    headers: responseHeaders,
    text,
    secrets: request.secrets,
  });
  if (signal?.aborted) throw aborted(request);
  const limit = { exceeded: undefined as UnexpectedResponseError | undefined };
  try {
    const response = await http(request.url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      ...(signal === undefined ? {} : { signal }),
      fetch: withTimeout(
        capBodies(config.fetch ?? sendAsIs(request.body), {
          endpoint: request.endpoint,
          sender: `${LABEL[request.endpoint]} (${host(request.url)})`,
          limit,
        }),
        config,
        () => timeout(config, request),
      ),
      timeout: false,
      redirect: 'manual',
      retry: retrying
        ? {
            limit: config.retryLimit,
            methods: ['get', 'post'],
            statusCodes: RETRY_STATUSES,
            afterStatusCodes: RETRY_STATUSES,
            maxRetryAfter: config.maxRetryAfterMs,
            backoffLimit: config.maxRetryAfterMs,
            // A server asking to wait longer than the cap gets its answer back at once (with `retryAfter`)
            // instead of a retry before the time it asked for. Otherwise ky's own checks decide.
            shouldRetry: ({ error }) =>
              isHTTPError(error) && waitsTooLong(error.response.headers, config) ? false : undefined,
          }
        : 0,
      throwHttpErrors: retrying ? (status) => RETRY_STATUSES.includes(status) : false,
    });
    const text = await readText(response, config, () => timeout(config, request));
    return done(response.status, response.headers, text);
  } catch (error) {
    if (signal?.aborted) throw aborted(request);
    if (isApsAuthError(error)) throw error;
    // ky swallows a failed read of an error body (its `data` is then undefined): the cap is told here.
    if (limit.exceeded !== undefined) throw limit.exceeded;
    if (isHTTPError(error)) {
      // Retries exhausted: hand the last answer to response processing. The ky error (which holds the
      // request, its headers and body) is dropped here.
      const { data } = error;
      const text = typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data);
      return done(error.response.status, error.response.headers, text);
    }
    if (isTimeoutError(error)) throw timeout(config, request);
    const mayHaveReachedServer = !neverSent(error);
    const advice = (mayHaveReachedServer ? LOST_RESPONSE_ADVICE : UNSENT_ADVICE)[request.step] ?? '';
    const cause = sanitizeCause(error, request.secrets);
    throw new NetworkError(
      request.endpoint,
      `No response from ${LABEL[request.endpoint]} (${host(request.url)})${cause ? `: ${cause.message}` : ''}.${advice}`,
      { cause, mayHaveReachedServer },
    );
  }
}

/** True when an error's chain (or an `AggregateError`'s members) names a failure before anything was sent. */
function neverSent(error: unknown): boolean {
  const codes: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 5 || typeof value !== 'object' || value === null) return;
    const { code, cause, errors } = value as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) for (const member of errors) visit(member, depth + 1);
    visit(cause, depth + 1);
  };
  visit(error, 0);
  return codes.length > 0 && codes.every((code) => UNSENT_CODES.has(code));
}

function timeout(config: ResolvedConfig, request: HttpRequest): TimeoutError {
  const advice = LOST_RESPONSE_ADVICE[request.step] ?? '';
  return new TimeoutError(
    request.endpoint,
    config.timeoutMs,
    `${LABEL[request.endpoint]} did not answer within ${config.timeoutMs} ms.${advice}`,
  );
}

function waitsTooLong(headers: Headers, config: ResolvedConfig): boolean {
  const seconds = retryAfterSeconds(headers, config.now());
  return seconds !== undefined && seconds * 1000 > config.maxRetryAfterMs;
}

/**
 * Reads the whole body, bounded by the timeout too (ky's timeout ends when the headers arrive). Read
 * through a reader, so that a stalled body can be cancelled (which releases the connection):
 * `response.body.cancel()` would fail while `response.text()` holds the stream's lock.
 */
async function readText(response: Response, config: ResolvedConfig, onTimeout: () => Error): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let cancel: () => void = () => undefined;
  let timedOut: Error | undefined;
  const expired = new Promise<never>((_, reject) => {
    cancel = config.setTimer(config.timeoutMs, () => {
      timedOut = onTimeout();
      reject(timedOut);
      reader.cancel().catch(() => undefined);
    });
  });
  expired.catch(() => undefined);
  try {
    let text = '';
    for (;;) {
      const chunk = await Promise.race([reader.read(), expired]);
      // The cancel ends a pending read as if the body were complete: a cut body is a timeout, not an answer.
      if (timedOut !== undefined) throw timedOut;
      if (chunk.done) return text + decoder.decode();
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    cancel();
  }
}

function aborted(request: HttpRequest): AbortedError {
  return new AbortedError(request.endpoint, `The request to ${LABEL[request.endpoint]} was aborted.`);
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown host';
  }
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), if present and sane. */
export function retryAfterSeconds(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export { LABEL as ENDPOINT_LABEL, redact };
