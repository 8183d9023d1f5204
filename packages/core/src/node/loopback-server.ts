import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CallbackPage } from '../callback-page.js';
import { AbortedError } from '../errors/aborted-error.js';
import { AuthorizationResponseError } from '../errors/authorization-response-error.js';
import { bindLoopback, closeServers } from './loopback/bind.js';
import { type ConnectionLimits, limitConnections, serverTimeouts } from './loopback/connections.js';
import { parseLoopbackUrl } from './loopback/loopback-url.js';
import { answerClientError, respond } from './loopback/respond.js';
import { createStartLink, type StartLink } from './loopback/start-link.js';

/**
 * What the flow makes of one request to the callback path. The loopback server only carries requests and
 * pages; deciding what a callback means (error, state, code) is core's `checkCallback`, called by `login()`.
 */
export type CallbackVerdict<T> =
  /** The flow is over: the value is the result; the page may wait for the rest of the flow (bounded). */
  | { readonly kind: 'done'; readonly value: T; readonly page: CallbackPage | PromiseLike<CallbackPage> }
  /** The flow is over with an error (e.g. `access_denied` with the right state). */
  | { readonly kind: 'failed'; readonly error: unknown; readonly page: CallbackPage }
  /** Not for this flow (wrong state, another browser, malformed): refuse it and keep waiting. */
  | { readonly kind: 'refused'; readonly status: number; readonly page: CallbackPage };

/** What the listener knows of a callback besides its query. */
export interface CallbackContext {
  /** The request carries the cookie of the browser that opened the start link (`true` when none is used). */
  readonly sameBrowser: boolean;
}

export interface LoopbackLimits extends ConnectionLimits {
  /** How long the browser's callback waits for its final page (`done`'s page) before "still finishing". */
  readonly answerTimeoutMs?: number | undefined;
}

export interface LoopbackServerOptions<T> {
  /** The callback URL (see `parseLoopbackUrl`); the server listens on exactly its host and port. */
  readonly redirectUri: string;
  readonly onCallback: (query: URLSearchParams, context: CallbackContext) => CallbackVerdict<T>;
  /** Told of each refused callback (front ends show "a request with a wrong state was refused"). */
  readonly onRefused?: ((page: CallbackPage) => void) | undefined;
  /** Ends the wait: `result` rejects with `AbortedError`. */
  readonly signal?: AbortSignal | undefined;
  readonly limits?: LoopbackLimits | undefined;
}

export interface LoopbackServer<T> {
  readonly redirectUri: string;
  /** Settles once: with the first `done` callback, the first `failed` one, or an error. */
  readonly result: Promise<T>;
  /**
   * A one-time start link (`<callback path>/start?id=…`) that redirects to `authorizeUrl` and binds the
   * flow to the browser that opens it (a cookie): from then on a callback without it is `sameBrowser: false`.
   * A second browser opening it stops the flow (`SIGN_IN_LINK_REUSED`). Open or print it instead of the
   * authorize URL, so that no state or PKCE challenge is in a process's argv.
   */
  createStartUrl(authorizeUrl: string): string;
  /** What the listener saw: start link visits and callbacks (for a timeout message that says which). */
  readonly activity: { readonly startVisits: number; readonly callbacks: number };
  /** Stops listening once the pages being written are sent, and drops open connections; idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_ANSWER_TIMEOUT_MS = 10_000;

const STILL_FINISHING: CallbackPage = {
  ok: true,
  title: 'Still finishing the sign-in',
  message:
    'The sign-in came back and is still being finished. Return to your terminal: it shows whether it worked.',
};

const FINISHED: CallbackPage = {
  ok: false,
  title: 'Sign-in already finished',
  message: 'This sign-in has already finished. You can close this tab.',
};

const NOT_UNDERSTOOD: CallbackPage = {
  ok: false,
  title: 'Callback refused',
  message: 'This request could not be understood.',
};

/**
 * Listens for the sign-in callback on exactly the callback URL's host and port (`localhost` = 127.0.0.1 and
 * ::1, never every interface), answers only its path and the start link (404 elsewhere, 405 for other
 * methods), refuses a wrong `Host` header, caps connections and idle time, and hands each callback's query
 * to `onCallback`. Throws `CallbackServerError` (`CALLBACK_URL_UNSUPPORTED`, `CALLBACK_PORT_UNAVAILABLE`).
 */
export async function startLoopbackServer<T>(options: LoopbackServerOptions<T>): Promise<LoopbackServer<T>> {
  const target = parseLoopbackUrl(options.redirectUri);
  const flow = createFlow<T>();
  const answerTimeoutMs = options.limits?.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const connections = limitConnections(options.limits);
  const writing = trackResponses();
  let servers: Server[] = [];
  let start: StartLink | undefined;
  let callbacks = 0;
  const close = async (): Promise<void> => {
    await writing.sent();
    await closeServers(servers);
  };
  flow.onEnd(() => void close());
  const expectedHost = target.url.host.toLowerCase();

  const handleCallback = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => {
    if (flow.settled) return respond(request, response, 409, FINISHED);
    callbacks += 1;
    const verdict = decide(options, query, { sameBrowser: start === undefined || start.hasCookie(request) });
    if (verdict.kind === 'refused') {
      respond(request, response, verdict.status, verdict.page);
      notify(options.onRefused, verdict.page);
      return;
    }
    if (verdict.kind === 'failed') {
      flow.finish({ error: verdict.error }, response);
      return respond(request, response, 400, verdict.page);
    }
    flow.finish({ value: verdict.value }, response);
    void bounded(verdict.page, answerTimeoutMs).then((page) =>
      respond(request, response, page.ok ? 200 : 400, page),
    );
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    writing.add(response);
    const url = routable(request, expectedHost);
    if (url === 'wrong-host') {
      return respond(request, response, 400, {
        ok: false,
        title: 'Unexpected host',
        message: `This listener only answers requests addressed to ${expectedHost}.`,
      });
    }
    if (url === undefined) return respond(request, response, 400, undefined);
    const isStart = start !== undefined && url.pathname === start.path;
    if (url.pathname !== target.url.pathname && !isStart) return respond(request, response, 404, undefined);
    const allowed = isStart ? ['GET'] : ['GET', 'HEAD'];
    if (!allowed.includes(request.method ?? '')) {
      return respond(request, response, 405, undefined, { allow: allowed.join(', ') });
    }
    if (isStart) answerStart(request, response, start as StartLink, url.searchParams, flow);
    else handleCallback(request, response, url.searchParams);
  };

  servers = await bindLoopback(target, () => {
    const server = createServer(serverTimeouts(options.limits), handle);
    server.on('clientError', answerClientError);
    connections.attach(server);
    return server;
  });
  flow.abortOn(options.signal);
  return {
    redirectUri: options.redirectUri,
    result: flow.result,
    createStartUrl(authorizeUrl: string): string {
      start = createStartLink(target.url, authorizeUrl);
      return start.url;
    },
    get activity() {
      return { startVisits: start?.visits ?? 0, callbacks };
    },
    close,
  };
}

/** The start link's answer: a redirect with the cookie, or a refusal (a second browser stops the flow). */
function answerStart<T>(
  request: IncomingMessage,
  response: ServerResponse,
  start: StartLink,
  query: URLSearchParams,
  flow: ReturnType<typeof createFlow<T>>,
): void {
  const answer = start.answer(request, query);
  if (answer.kind === 'redirect') {
    respond(request, response, 302, undefined, { location: answer.location, 'set-cookie': answer.setCookie });
    return;
  }
  respond(request, response, answer.status, answer.page);
  if (answer.kind === 'conflict') flow.finish({ error: reusedError() });
}

/** The responses being written: closing lets them reach the browser before dropping the connections. */
function trackResponses() {
  const writing = new Set<ServerResponse>();
  return {
    add(response: ServerResponse): void {
      writing.add(response);
      response.once('close', () => writing.delete(response));
    },
    sent(): Promise<unknown> {
      return Promise.all(
        [...writing].map((response) => new Promise((resolve) => response.once('close', resolve))),
      );
    },
  };
}

/** The request's URL when it is addressed to this listener (one Host header, the bound one). */
function routable(request: IncomingMessage, expectedHost: string): URL | 'wrong-host' | undefined {
  const hosts = request.headersDistinct.host ?? [];
  if (hosts.length !== 1 || hosts[0]?.toLowerCase() !== expectedHost) return 'wrong-host';
  const raw = request.url ?? '';
  if (!raw.startsWith('/')) return undefined;
  try {
    return new URL(raw, `http://${expectedHost}`);
  } catch {
    return undefined;
  }
}

function decide<T>(
  options: LoopbackServerOptions<T>,
  query: URLSearchParams,
  context: CallbackContext,
): CallbackVerdict<T> {
  try {
    return options.onCallback(query, context);
  } catch {
    return { kind: 'refused', status: 400, page: NOT_UNDERSTOOD };
  }
}

function notify(listener: ((page: CallbackPage) => void) | undefined, page: CallbackPage): void {
  try {
    listener?.(page);
  } catch {
    // A listener's failure must not take the server down.
  }
}

/** The page once known, or "still finishing" after `ms`. */
function bounded(page: CallbackPage | PromiseLike<CallbackPage>, ms: number): Promise<CallbackPage> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<CallbackPage>((resolve) => {
    timer = setTimeout(() => resolve(STILL_FINISHING), ms);
  });
  return Promise.race([Promise.resolve(page).catch(() => STILL_FINISHING), late]).finally(() =>
    clearTimeout(timer),
  );
}

function reusedError(): AuthorizationResponseError {
  return new AuthorizationResponseError(
    'SIGN_IN_LINK_REUSED',
    'The sign-in link was opened by a second browser, so this sign-in was stopped: it can no longer tell ' +
      'which browser is yours. Start the sign-in again and open its link only once. If you did not open it ' +
      'twice, another program on this machine may have read it.',
  );
}

/** The flow's single outcome; ends are told once the last page is written (or at once). */
function createFlow<T>() {
  let settle: { resolve: (value: T) => void; reject: (reason: unknown) => void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined);
  let settled = false;
  const ends: (() => void)[] = [];
  const flow = {
    result,
    get settled(): boolean {
      return settled;
    },
    onEnd(listener: () => void): void {
      ends.push(listener);
    },
    finish(outcome: { value: T } | { error: unknown }, lastResponse?: ServerResponse): void {
      if (settled) return;
      settled = true;
      if ('value' in outcome) settle?.resolve(outcome.value);
      else settle?.reject(outcome.error);
      const end = () => {
        for (const listener of ends) listener();
      };
      if (lastResponse) lastResponse.once('close', end);
      else end();
    },
    abortOn(signal: AbortSignal | undefined) {
      if (signal === undefined) return;
      const abort = () => flow.finish({ error: new AbortedError(undefined, 'The sign-in was aborted.') });
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      void result.then(
        () => signal.removeEventListener('abort', abort),
        () => signal.removeEventListener('abort', abort),
      );
    },
  };
  return flow;
}
