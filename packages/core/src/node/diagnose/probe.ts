import type { ResolvedConfig } from '../../config.js';
import type { Endpoint } from '../../errors/aps-auth-error.js';
import { isNetworkError, isTimeoutError } from '../../errors/guards.js';
import { type HttpResponse, send } from '../../transport.js';

/**
 * One GET for a preflight check through core's transport (its user agent, timeout, redirects not followed,
 * typed errors with secrets redacted). Not retried (the configuration has `retryLimit: 0`); the step only
 * selects the retry policy, and a GET of public metadata is the keys' kind of request.
 */
export function probe(
  config: ResolvedConfig,
  endpoint: Endpoint,
  url: string,
  signal: AbortSignal | undefined,
  accept = 'application/json',
): Promise<HttpResponse> {
  return send(
    config,
    { step: 'keys', endpoint, method: 'GET', url, headers: { accept }, secrets: [] },
    signal,
  );
}

/** A few words on why a probe got no answer, for a check's message. */
export function describeFailure(error: unknown): string {
  if (isTimeoutError(error)) return 'no answer in time';
  // The transport's typed error carries a cause already stripped of secrets (e.g. "connect ECONNREFUSED …").
  if (isNetworkError(error))
    return error.cause instanceof Error ? error.cause.message.slice(0, 160) : 'no response';
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** The response's Location, resolved against the request's URL, when it is an http(s) URL. */
export function locationOf(response: HttpResponse, base: string): URL | undefined {
  try {
    const url = new URL(response.headers.get('location') ?? '', base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
