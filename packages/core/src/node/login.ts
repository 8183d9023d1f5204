import type { CallbackPage } from '../callback-page.js';
import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from '../config.js';
import { type AuthorizationRequest, createAuthorizationRequest } from '../create-authorization-request.js';
import { AbortedError } from '../errors/aborted-error.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { LoginTimeoutError } from '../errors/login-timeout-error.js';
import { checkCallback } from '../parse-callback.js';
import type { Token } from '../token.js';
import type { TokenStore } from '../token-store.js';
import { FileTokenStore } from './file-token-store.js';
import { createDeadline, timeoutMessage, timeoutStage } from './login/deadline.js';
import { createEmitter, type LoginEvent, type LoginRefusalCode, printable } from './login/events.js';
import { receiveAndExchange } from './login/exchange-and-save.js';
import { type ManualInput, readPastedCode } from './login/manual-input.js';
import { failurePage, refusalMessage, refusalPage, SUCCESS_PAGE } from './login/refusals.js';
import { loginThroughRelay } from './login/relay-login.js';
import { parseLoopbackUrl } from './loopback/loopback-url.js';
import {
  type CallbackVerdict,
  type LoopbackLimits,
  type LoopbackServer,
  startLoopbackServer,
} from './loopback-server.js';
import { openBrowser } from './open-browser.js';

export type { LoginEvent, LoginRefusalCode } from './login/events.js';

export interface LoginOptions {
  /** With `redirectUri` (`toCoreConfig(loaded)` gives one). */
  config: ApsAuthConfig | ResolvedConfig;
  /** Where the token goes (e.g. a `FileTokenStore`), under `key` (e.g. the profile). */
  store: TokenStore;
  key: string;
  /** Scopes for this login; default the configuration's. */
  scopes?: string[] | undefined;
  prompt?: 'login' | 'create' | undefined;
  /**
   * Opens the sign-in link (the loopback's one-time start link, which holds no state and no PKCE challenge).
   * Default: the `open` package, loaded lazily; `false`: only the `authorize-url` event (print it).
   */
  openUrl?: ((url: string) => Promise<void>) | false | undefined;
  /**
   * Manual mode (no listener): reads the URL the browser was redirected to, one line at a time, until one
   * answers this sign-in. `undefined` or `null` means the input ended. The signal fires when the login ends
   * (timeout, abort, done): a front end may cancel its pending read then.
   */
  manual?: ManualInput | undefined;
  /**
   * Relay mode: the origin of an aps-auth web app (https; http only for a loopback host). The sign-in's
   * `redirect_uri` is then the relay's `/relay` (it must be registered for the APS app), the person signs in on
   * any device, and the code comes back encrypted to this process (see `loginThroughRelay`). Not with `manual`.
   * The URL is only opened when `openUrl` is a function.
   */
  relay?: string | undefined;
  /** Default 300000 (5 minutes, the authorization code's lifetime). */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: LoginEvent) => void) | undefined;
  /** The loopback listener's connection cap, idle timeout and how long the browser waits for its page. */
  loopback?: LoopbackLimits | undefined;
}

export const DEFAULT_LOGIN_TIMEOUT_MS = 300_000;

const noop = (): void => undefined;

/**
 * The whole three-legged login: authorization request → loopback listener (or manual input) → open or print
 * the one-time start link → `checkCallback` (state first, then the browser's cookie) → `exchangeCode` →
 * `store.save` (under `store.lock` when there is one) → the browser's page says how it ended.
 * Throws `LoginTimeoutError`, `AbortedError`, `AuthorizationResponseError` (e.g. `access_denied`,
 * `SIGN_IN_LINK_REUSED`), `CallbackServerError`, and the errors of `exchangeCode` and of the store.
 */
export async function login(options: LoginOptions): Promise<{ token: Token }> {
  if (options.relay !== undefined) {
    return loginThroughRelay(options, options.relay, options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS);
  }
  // The listener's rules first (the words `doctor` uses), before the configuration's own URL check.
  const given = (options.config as { redirectUri?: unknown } | undefined)?.redirectUri;
  if (options.manual === undefined && typeof given === 'string') parseLoopbackUrl(given);
  const config = resolveConfig(options.config);
  if (config.redirectUri === undefined) {
    throw new ConfigurationError(
      'redirectUri',
      'redirectUri is required: the callback URL registered for your APS app (APS_CALLBACK_URL).',
    );
  }
  if (options.signal?.aborted) throw new AbortedError(undefined, 'The sign-in was aborted.');
  // A bad key (e.g. a profile name a file store refuses) fails now, not after the person signed in.
  if (options.store instanceof FileTokenStore) options.store.pathFor(options.key);
  const events = createEmitter(options.onEvent);
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, options.signal]);
  const page = deferredPage();
  const request = await createAuthorizationRequest(config, {
    scopes: options.scopes,
    prompt: options.prompt,
  });
  let server: LoopbackServer<string> | undefined;
  let deadline: ReturnType<typeof createDeadline> | undefined;
  try {
    if (options.manual === undefined) {
      server = await listen(config, request, {
        signal,
        page: page.promise,
        events,
        limits: options.loopback,
      });
    }
    const url = server === undefined ? request.url : server.createStartUrl(request.url);
    // The clock starts once the URL is known: a browser opener that hangs cannot stall the login.
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    events.emit({ type: 'authorize-url', url, startLink: server !== undefined, timeoutMs });
    const facts = () => ({ timeoutMs, redirectUri: request.redirectUri, clientId: config.clientId });
    const startVisits = () => server?.activity.startVisits;
    deadline = createDeadline(
      config.setTimer,
      timeoutMs,
      () => {
        const seen = { ...facts(), startVisits: startVisits() };
        return new LoginTimeoutError(
          timeoutMs,
          request.redirectUri,
          timeoutMessage(seen),
          timeoutStage(seen),
        );
      },
      options.signal,
    );
    const waiting =
      server?.result ??
      readPastedCode(config, options.manual as ManualInput, request.state, signal, (code, message) =>
        events.emit({ type: 'callback-refused', code, message }),
      );
    waiting.catch(noop);
    await openUnlessPrinting(options.openUrl, url, [waiting, deadline.promise], events);
    const token = await receiveAndExchange(config, request, { waiting, deadline }, events, {
      store: options.store,
      key: options.key,
      signal: options.signal,
    });
    page.resolve(SUCCESS_PAGE);
    return { token };
  } catch (error) {
    page.resolve(failurePage(error));
    throw error;
  } finally {
    events.end();
    deadline?.clear();
    stop.abort();
    await server?.close();
  }
}

/** Starts the loopback listener whose callbacks are checked against this request (state first). */
function listen(
  config: ResolvedConfig,
  request: AuthorizationRequest,
  context: {
    signal: AbortSignal;
    page: Promise<CallbackPage>;
    events: ReturnType<typeof createEmitter>;
    limits: LoopbackLimits | undefined;
  },
): Promise<LoopbackServer<string>> {
  const refuse = (code: LoginRefusalCode): CallbackVerdict<string> => {
    context.events.emit({ type: 'callback-refused', code, message: refusalMessage(code, 'loopback') });
    return { kind: 'refused', status: 400, page: refusalPage(code) };
  };
  return startLoopbackServer<string>({
    redirectUri: request.redirectUri,
    signal: context.signal,
    limits: context.limits,
    onCallback: (query, { sameBrowser }): CallbackVerdict<string> => {
      const check = checkCallback(config, query, { state: request.state });
      if (check.kind === 'refused') return refuse(check.reason);
      if (!sameBrowser) return refuse('BROWSER_MISMATCH');
      if (check.kind === 'error') {
        const message = `${printable(check.error.message)}\nYou can close this tab.`;
        return { kind: 'failed', error: check.error, page: { ok: false, title: 'Sign-in failed', message } };
      }
      return { kind: 'done', value: check.result.code, page: context.page };
    },
  }).then((server) => {
    context.events.emit({ type: 'listening', redirectUri: server.redirectUri });
    return server;
  });
}

/** Opens the link unless printing only; the opener is not trusted to return (a callback ends the wait). */
async function openUnlessPrinting(
  openUrl: LoginOptions['openUrl'],
  url: string,
  ends: [Promise<unknown>, Promise<never>],
  events: ReturnType<typeof createEmitter>,
): Promise<void> {
  if (openUrl === false) return;
  const opener = openUrl ?? openBrowser;
  const opening = Promise.resolve(url)
    .then(opener)
    .then(
      () => events.emitUnlessEnded({ type: 'browser-opened' }),
      (error: unknown) =>
        events.emitUnlessEnded({
          type: 'browser-failed',
          message: printable(error instanceof Error ? error.message : String(error)),
        }),
    );
  await Promise.race([opening, ends[0].then(noop, noop), ends[1]]);
}

/** The page the browser's callback waits for (bounded by the listener). */
function deferredPage(): { promise: Promise<CallbackPage>; resolve(page: CallbackPage): void } {
  let resolve: (page: CallbackPage) => void = noop;
  const promise = new Promise<CallbackPage>((done) => {
    resolve = done;
  });
  return { promise, resolve: (page) => resolve(page) };
}
