import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from '../config.js';
import { createAuthorizationRequest } from '../create-authorization-request.js';
import { AbortedError } from '../errors/aborted-error.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { isAuthorizationResponseError } from '../errors/guards.js';
import { LoginTimeoutError } from '../errors/login-timeout-error.js';
import { exchangeCode } from '../exchange-code.js';
import { parseCallback } from '../parse-callback.js';
import type { Token } from '../token.js';
import type { TokenStore } from '../token-store.js';
import type { CallbackPage } from './callback-page.js';
import { FileTokenStore } from './file-token-store.js';
import { type CallbackVerdict, startLoopbackServer } from './loopback-server.js';
import { openBrowser } from './open-browser.js';

export type LoginEvent =
  | { type: 'listening'; redirectUri: string }
  | { type: 'authorize-url'; url: string }
  | { type: 'browser-opened' }
  | { type: 'browser-failed'; message: string }
  | { type: 'waiting' }
  | { type: 'callback-refused'; message: string }
  | { type: 'callback-received' }
  | { type: 'exchanging' }
  | { type: 'stored'; key: string };

export interface LoginOptions {
  /** With `redirectUri` (`toCoreConfig(loaded)` gives one). */
  config: ApsAuthConfig | ResolvedConfig;
  /** Where the token goes (e.g. a `FileTokenStore`), under `key` (e.g. the profile). */
  store: TokenStore;
  key: string;
  /** Scopes for this login; default the configuration's. */
  scopes?: string[] | undefined;
  prompt?: 'login' | 'create' | undefined;
  /** Default: the `open` package, loaded lazily; `false`: only the `authorize-url` event (print it). */
  openUrl?: ((url: string) => Promise<void>) | false | undefined;
  /**
   * Manual mode (no listener): reads the URL the browser was redirected to, one line at a time, until one
   * answers this sign-in. `undefined` or `null` means the input ended. The signal fires when the login ends
   * (timeout, abort, done): a front end may cancel its pending read then.
   */
  manual?: { readLine(signal?: AbortSignal): Promise<string | undefined | null> } | undefined;
  /** Default 300000 (5 minutes, the authorization code's lifetime). */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: LoginEvent) => void) | undefined;
}

export const DEFAULT_LOGIN_TIMEOUT_MS = 300_000;

/**
 * Event messages may quote what a request to the listener carried (e.g. a parameter name): no control or
 * format characters reach a terminal, so a local web page cannot inject escape sequences into the CLI's output.
 */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD').slice(0, 300);
}

/** Why a callback or a pasted URL was refused, for an event (the flow keeps waiting). */
function refusal(error: unknown, manual: boolean): string {
  const code = isAuthorizationResponseError(error) ? error.code : undefined;
  const what = manual ? 'The pasted URL' : 'A request to the callback URL';
  if (code === 'STATE_MISMATCH') {
    return `${what} was refused: its state does not match this sign-in (an old browser tab, or a request this sign-in did not start). Still waiting${manual ? ': paste the URL of the tab this sign-in opened' : ''}.`;
  }
  const detail = error instanceof Error ? error.message : 'it could not be understood';
  return printable(`${what} was refused: ${detail} Still waiting.`);
}

const noop = (): void => undefined;

const SUCCESS: CallbackPage = {
  ok: true,
  title: 'Signed in',
  message:
    'You are signed in to Autodesk Platform Services. You can close this tab and return to the terminal.',
};

function timeoutMessage(timeoutMs: number, redirectUri: string, clientId: string, manual: boolean): string {
  // As given: 1500 ms is "1.5 s" (not rounded to "2 s"); whole minutes in minutes.
  const waited = timeoutMs % 60_000 === 0 ? `${timeoutMs / 60_000} min` : `${timeoutMs / 1000} s`;
  const what = manual ? 'No redirected URL was pasted' : `No sign-in callback arrived at ${redirectUri}`;
  return (
    `${what} within ${waited}. The most likely cause: the callback URL ${redirectUri} is not registered for ` +
    `the APS app ${clientId} (APS then shows "400 - Invalid redirect_uri" and never calls back). Register ` +
    'exactly this URL as a callback URL of the app in the APS developer portal (or set APS_CALLBACK_URL to ' +
    'one that is registered), then sign in again.'
  );
}

/** A promise that rejects on timeout or abort (never resolves); `clear` stops the timer. */
function createDeadline(
  timeoutMs: number,
  onTimeout: () => Error,
  signal: AbortSignal | undefined,
): { promise: Promise<never>; clear(): void } {
  let clear: () => void = () => undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    const abort = () => reject(new AbortedError(undefined, 'The sign-in was aborted.'));
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    signal?.addEventListener('abort', abort, { once: true });
    clear = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    };
    if (signal?.aborted) abort();
  });
  promise.catch(() => undefined);
  return { promise, clear: () => clear() };
}

/**
 * The whole three-legged login: authorization request → loopback listener (or manual input) → open or print
 * the URL → `parseCallback` → `exchangeCode` → `store.save` (under `store.lock` when there is one).
 * Throws `LoginTimeoutError`, `AbortedError`, `AuthorizationResponseError` (e.g. `access_denied`),
 * `CallbackServerError`, and the errors of `exchangeCode` and of the store.
 */
export async function login(options: LoginOptions): Promise<{ token: Token }> {
  const config = resolveConfig(options.config);
  if (config.redirectUri === undefined) {
    throw new ConfigurationError(
      'redirectUri',
      'redirectUri is required: the callback URL registered for your APS app (APS_CALLBACK_URL).',
    );
  }
  let done = false;
  const emit = (event: LoginEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A front end's listener never breaks the login.
    }
  };
  // Late news from a slow browser opener is dropped once the login has ended.
  const emitUnlessDone = (event: LoginEvent) => {
    if (!done) emit(event);
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  if (options.signal?.aborted) throw new AbortedError(undefined, 'The sign-in was aborted.');
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, options.signal]);
  const manual = options.manual;

  let state = '';
  let server: Awaited<ReturnType<typeof startLoopbackServer<string>>> | undefined;
  let redirectUri = config.redirectUri;
  let deadline: ReturnType<typeof createDeadline> | undefined;
  // A bad key (e.g. a profile name a file store refuses) fails now, not after the person signed in.
  if (options.store instanceof FileTokenStore) options.store.pathFor(options.key);
  if (manual === undefined) {
    server = await startLoopbackServer<string>({
      redirectUri: config.redirectUri,
      signal,
      onCallback: (query): CallbackVerdict<string> => {
        try {
          return { kind: 'done', value: parseCallback(config, query, { state }).code, page: SUCCESS };
        } catch (error) {
          if (isAuthorizationResponseError(error) && error.code === 'AUTHORIZATION_RESPONSE_ERROR') {
            return {
              kind: 'failed',
              error,
              page: {
                ok: false,
                title: 'Sign-in failed',
                message: `${error.message}\nYou can close this tab.`,
              },
            };
          }
          const message = refusal(error, false);
          emit({ type: 'callback-refused', message });
          return {
            kind: 'refused',
            status: 400,
            page: {
              ok: false,
              title: 'Not the sign-in in progress',
              message: `${message}\nFinish the sign-in in the browser tab it opened, or start it again from the terminal.`,
            },
          };
        }
      },
    });
    redirectUri = server.redirectUri;
    emit({ type: 'listening', redirectUri });
  }
  try {
    const request = await createAuthorizationRequest(config, {
      scopes: options.scopes,
      prompt: options.prompt,
      redirectUri: redirectUri === config.redirectUri ? undefined : redirectUri,
    });
    state = request.state;
    emit({ type: 'authorize-url', url: request.url });
    // The clock starts once the URL is known: a browser opener that hangs cannot stall the login.
    deadline = createDeadline(
      timeoutMs,
      () =>
        new LoginTimeoutError(
          timeoutMs,
          request.redirectUri,
          timeoutMessage(timeoutMs, request.redirectUri, config.clientId, manual !== undefined),
        ),
      options.signal,
    );
    const waiting =
      server !== undefined
        ? server.result
        : readPastedCode(config, manual as NonNullable<typeof manual>, state, signal, (message) =>
            emit({ type: 'callback-refused', message }),
          );
    waiting.catch(() => undefined);
    if (options.openUrl !== false) {
      // The opener is not trusted to return: a callback that arrives while it still runs ends the wait.
      const openUrl = options.openUrl ?? openBrowser;
      const opening = Promise.resolve(request.url)
        .then(openUrl)
        .then(
          () => emitUnlessDone({ type: 'browser-opened' }),
          (error: unknown) =>
            emitUnlessDone({
              type: 'browser-failed',
              message: printable(error instanceof Error ? error.message : String(error)),
            }),
        );
      await Promise.race([opening, waiting.then(noop, noop), deadline.promise]);
    }
    emit({ type: 'waiting' });
    const code = await Promise.race([waiting, deadline.promise]);
    deadline.clear();
    emit({ type: 'callback-received' });
    emit({ type: 'exchanging' });
    // The store's lock is requested first and the code exchanged while it is taken (a file store makes the
    // lock directory and loads its lock library while the token endpoint answers): the token is still saved
    // under the lock, the lock is released when the exchange fails, and an exchange error wins over a lock
    // error (it says more).
    let exchanged: (token: Promise<Token>) => void = noop;
    const exchanging = new Promise<Token>((resolve) => {
      exchanged = resolve;
    });
    exchanging.catch(noop);
    // `stored` is told once the store has saved the token (durably, for a file store), before the lock is
    // released.
    const save = async (): Promise<Token> => {
      const token = await exchanging;
      await options.store.save(options.key, token);
      emit({ type: 'stored', key: options.key });
      return token;
    };
    const locked = options.store.lock ? options.store.lock(options.key, save) : save();
    locked.catch(noop);
    exchanged(
      exchangeCode(config, {
        code,
        codeVerifier: request.codeVerifier,
        redirectUri: request.redirectUri,
        scopes: request.scopes,
        signal: options.signal,
      }),
    );
    let token: Token;
    try {
      token = await locked;
    } catch (error) {
      await exchanging;
      throw error;
    }
    return { token };
  } finally {
    done = true;
    deadline?.clear();
    stop.abort();
    await server?.close();
  }
}

/** A pasted line that carries none of the parameters of a redirect (`code`, `state`, `error`). */
function isNoRedirect(line: string): boolean {
  return !/(?:^|[?&#])(?:code|state|error)=/.test(line);
}

const NOT_A_REDIRECT =
  'The pasted line is not the redirected URL: paste the whole URL from the address bar (it holds code= and state=). Still waiting.';

async function readPastedCode(
  config: ResolvedConfig,
  manual: { readLine(signal?: AbortSignal): Promise<string | undefined | null> },
  state: string,
  signal: AbortSignal,
  onRefused: (message: string) => void,
): Promise<string> {
  let last: string | undefined;
  while (!signal.aborted) {
    const line = await manual.readLine(signal);
    if (line === undefined || line === null) {
      // The end of the input is a cancellation (nothing more can be pasted), whatever was refused before.
      throw new AbortedError(
        undefined,
        last === undefined
          ? 'The input ended before the redirected URL was pasted.'
          : `The input ended before the redirected URL was pasted; the last line was refused: ${last.replace(/ Still waiting[^.]*\.$/, '')}`,
      );
    }
    const text = line.trim();
    if (text === '') continue;
    if (isNoRedirect(text)) {
      last = NOT_A_REDIRECT;
      onRefused(NOT_A_REDIRECT);
      continue;
    }
    try {
      return parseCallback(config, text, { state }).code;
    } catch (error) {
      if (isAuthorizationResponseError(error) && error.code === 'AUTHORIZATION_RESPONSE_ERROR') throw error;
      last = refusal(error, true);
      onRefused(last);
    }
  }
  throw new AbortedError(undefined, 'The sign-in was aborted.');
}
