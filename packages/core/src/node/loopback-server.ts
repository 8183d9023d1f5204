import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortedError } from '../errors/aborted-error.js';
import { CallbackServerError } from '../errors/callback-server-error.js';
import { type CallbackPage, renderCallbackPage } from './callback-page.js';

/**
 * What the flow makes of one request to the callback path. The loopback server only carries requests and
 * pages; deciding what a callback means (error, state, code) is core's `parseCallback`, called by `login()`.
 */
export type CallbackVerdict<T> =
  /** The flow is over: the value is the result (e.g. the authorization code). */
  | { readonly kind: 'done'; readonly value: T; readonly page: CallbackPage }
  /** The flow is over with an error (e.g. `access_denied` with the right state). */
  | { readonly kind: 'failed'; readonly error: unknown; readonly page: CallbackPage }
  /** Not for this flow (wrong state, malformed): refuse it and keep waiting. */
  | { readonly kind: 'refused'; readonly status: number; readonly page: CallbackPage };

export interface LoopbackServerOptions<T> {
  /** The registered callback URL; the server listens on exactly its host and port, and answers its path. */
  readonly redirectUri: string;
  readonly onCallback: (query: URLSearchParams) => CallbackVerdict<T>;
  /** Told of each refused callback (front ends show "a request with a wrong state was refused"). */
  readonly onRefused?: ((page: CallbackPage) => void) | undefined;
  /** Ends the wait: `result` rejects with `AbortedError`. */
  readonly signal?: AbortSignal | undefined;
}

export interface LoopbackServer<T> {
  /** The callback URL as given, or with the port filled in when the given one was 0. */
  readonly redirectUri: string;
  /** Settles once: with the first `done` callback, the first `failed` one, or `AbortedError`. */
  readonly result: Promise<T>;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/;

/** Which addresses to bind for a callback host: the loopback ones only, never every interface. */
export function loopbackAddressesFor(hostname: string): string[] {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  if (LOOPBACK_V4.test(host)) return [host];
  if (host === '[::1]') return ['::1'];
  return [];
}

/** The callback URL parsed and checked: http, a loopback host, no fragment. */
export function parseLoopbackUrl(redirectUri: string): { url: URL; addresses: string[]; port: number } {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new CallbackServerError(
      'CALLBACK_URL_UNSUPPORTED',
      `The callback URL "${redirectUri.slice(0, 200)}" is not a valid URL.`,
    );
  }
  const addresses = loopbackAddressesFor(url.hostname);
  if (url.protocol !== 'http:' || addresses.length === 0) {
    throw new CallbackServerError(
      'CALLBACK_URL_UNSUPPORTED',
      `The callback URL ${url.origin}${url.pathname} is not an http loopback URL (http://localhost:PORT/..., ` +
        'http://127.0.0.1:PORT/... or http://[::1]:PORT/...), so no local listener can receive it. ' +
        'Register such a callback URL for the app, or sign in with the manual mode (--manual).',
      { host: url.hostname },
    );
  }
  return { url, addresses, port: Number(url.port || 80) };
}

const HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  connection: 'close',
};

/**
 * Listens for the sign-in callback on exactly the callback URL's host and port (`localhost` = 127.0.0.1 and
 * ::1, never every interface), answers only its path (404 elsewhere, 405 for other methods than GET/HEAD),
 * refuses a wrong `Host` header, and hands each callback's query to `onCallback`.
 * Throws `CallbackServerError` (`CALLBACK_PORT_UNAVAILABLE`, `CALLBACK_URL_UNSUPPORTED`).
 */
export async function startLoopbackServer<T>(options: LoopbackServerOptions<T>): Promise<LoopbackServer<T>> {
  const { url: target, addresses, port: wanted } = parseLoopbackUrl(options.redirectUri);

  let settle: { resolve: (value: T) => void; reject: (reason: unknown) => void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => {});
  let settled = false;
  const servers: Server[] = [];

  // Responses being written: close() lets them reach the browser before dropping the connections.
  const writing = new Set<ServerResponse>();
  const close = async (): Promise<void> => {
    await Promise.all(
      [...writing].map((response) => new Promise<void>((resolve) => response.once('close', () => resolve()))),
    );
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };

  // Settles the result at once; the listener closes once the last page is written (or at once, on abort).
  const finish = (outcome: { value: T } | { error: unknown }, lastResponse?: ServerResponse): void => {
    if (settled) return;
    settled = true;
    if ('value' in outcome) settle?.resolve(outcome.value);
    else settle?.reject(outcome.error);
    if (lastResponse) lastResponse.once('close', () => void close());
    else void close();
  };

  let expectedHost = target.host.toLowerCase();
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    writing.add(response);
    response.once('close', () => writing.delete(response));
    const send = (status: number, page: CallbackPage | undefined, extra: Record<string, string> = {}) => {
      const body = page ? renderCallbackPage(page) : `${status}\n`;
      response.writeHead(status, {
        ...HEADERS,
        'content-type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
        ...extra,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const hosts = request.headersDistinct.host ?? [];
    if (hosts.length !== 1 || hosts[0]?.toLowerCase() !== expectedHost) {
      send(400, {
        ok: false,
        title: 'Unexpected host',
        message: `This listener only answers requests addressed to ${expectedHost}.`,
      });
      return;
    }
    const raw = request.url ?? '';
    let url: URL;
    try {
      if (!raw.startsWith('/')) throw new Error('not a path');
      url = new URL(raw, `http://${expectedHost}`);
    } catch {
      send(400, undefined);
      return;
    }
    if (url.pathname !== target.pathname) {
      send(404, undefined);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, undefined, { allow: 'GET, HEAD' });
      return;
    }
    if (settled) {
      send(409, {
        ok: false,
        title: 'Sign-in already finished',
        message: 'This sign-in has already finished. You can close this tab.',
      });
      return;
    }
    let verdict: CallbackVerdict<T>;
    try {
      verdict = options.onCallback(url.searchParams);
    } catch {
      verdict = {
        kind: 'refused',
        status: 400,
        page: { ok: false, title: 'Callback refused', message: 'This request could not be understood.' },
      };
    }
    if (verdict.kind === 'refused') {
      send(verdict.status, verdict.page);
      try {
        options.onRefused?.(verdict.page);
      } catch {
        // A listener's failure must not take the server down.
      }
      return;
    }
    finish(verdict.kind === 'done' ? { value: verdict.value } : { error: verdict.error }, response);
    send(verdict.kind === 'done' ? 200 : 400, verdict.page);
  };

  let port = wanted;
  for (const [index, address] of addresses.entries()) {
    const server = createServer(
      { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 1_000, maxHeaderSize: 16_384 },
      handle,
    );
    server.on('clientError', (_error, socket) => socket.destroy());
    try {
      port = await listen(server, address, port);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // localhost means both; a machine without IPv6 loopback still has a working 127.0.0.1.
      if (index > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await close();
      throw listenError(code, target.hostname, port);
    }
  }

  let redirectUri = options.redirectUri;
  if (wanted === 0) {
    const bound = new URL(target);
    bound.port = String(port);
    redirectUri = bound.href;
  }
  const boundHost = new URL(target);
  boundHost.port = String(port);
  expectedHost = boundHost.host.toLowerCase();

  if (options.signal) {
    const { signal } = options;
    const abort = () => finish({ error: new AbortedError(undefined, 'The sign-in was aborted.') });
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    void result.then(
      () => signal.removeEventListener('abort', abort),
      () => signal.removeEventListener('abort', abort),
    );
  }

  return { redirectUri, result, close };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function listenError(code: string | undefined, host: string, port: number): CallbackServerError {
  const fields = { port, host };
  const safeCause = new Error(`listen ${code ?? 'failed'}`);
  if (code === 'EADDRINUSE') {
    return new CallbackServerError(
      'CALLBACK_PORT_UNAVAILABLE',
      `Port ${port} on ${host} is already in use, so the sign-in callback cannot be received there. ` +
        `Stop the program using it (e.g. 'lsof -i :${port}'), or register another callback URL for the app ` +
        'and set APS_CALLBACK_URL to it.',
      fields,
      { cause: safeCause },
    );
  }
  if (code === 'EACCES') {
    return new CallbackServerError(
      'CALLBACK_PORT_UNAVAILABLE',
      `Not allowed to listen on port ${port} on ${host}: ports below 1024 need privileges. Register a callback ` +
        'URL with a port above 1023 (e.g. http://localhost:8080/api/auth/callback) and set APS_CALLBACK_URL to it.',
      fields,
      { cause: safeCause },
    );
  }
  return new CallbackServerError(
    'CALLBACK_PORT_UNAVAILABLE',
    `Could not listen on port ${port} on ${host} for the sign-in callback (${code ?? 'unknown error'}).`,
    fields,
    { cause: safeCause },
  );
}
