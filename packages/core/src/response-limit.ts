import type { FetchLike } from './config.js';
import type { Endpoint } from './errors/aps-auth-error.js';
import { UnexpectedResponseError } from './errors/unexpected-response-error.js';

/** The most any response body may hold: a token answer is a few KiB; past this it is cancelled. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Where a capped read tells that it went past the cap. */
export interface BodyLimitState {
  exceeded: UnexpectedResponseError | undefined;
}

/**
 * Wraps a `fetch` so that every response body (the one read here and the error bodies ky reads for its
 * retries) is cut at `MAX_RESPONSE_BYTES`: past it the source is cancelled (the connection released) and the
 * read fails with `UnexpectedResponseError` (`reason: 'response_too_large'`), also kept in `limit.exceeded`
 * (ky swallows a failed read of an error body it reads for a retry).
 */
export function capBodies(
  fetcher: FetchLike,
  { endpoint, sender, limit }: { endpoint: Endpoint; sender: string; limit: BodyLimitState },
): FetchLike {
  return async (input, init) => {
    // Each attempt (ky's retries) starts afresh: only the last one's overflow is reported.
    limit.exceeded = undefined;
    const response = await fetcher(input, init);
    if (response.body === null || response.status < 200 || [204, 205, 304].includes(response.status))
      return response;
    const source = response.body.getReader();
    const declared = Number(response.headers.get('content-length') ?? '0');
    let received = 0;
    const tooLarge = (): UnexpectedResponseError => {
      limit.exceeded ??= new UnexpectedResponseError(
        `${sender} sent a response too large (over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB): it was cut off. Check the server URL; a real authentication server never answers that much.`,
        {
          endpoint,
          status: response.status,
          reason: 'response_too_large',
          contentType: response.headers.get('content-type') ?? undefined,
        },
      );
      return limit.exceeded;
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (received === 0 && declared > MAX_RESPONSE_BYTES) {
          await source.cancel().catch(() => undefined);
          controller.error(tooLarge());
          return;
        }
        const chunk = await source.read();
        if (chunk.done) {
          controller.close();
          return;
        }
        received += chunk.value.byteLength;
        if (received > MAX_RESPONSE_BYTES) {
          await source.cancel().catch(() => undefined);
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => source.cancel(reason),
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
