import { resolveConfig } from '../../config.js';
import { createAuthorizationRequest } from '../../create-authorization-request.js';
import { AbortedError } from '../../errors/aborted-error.js';
import { ConfigurationError } from '../../errors/configuration-error.js';
import { LoginTimeoutError } from '../../errors/login-timeout-error.js';
import { createRelayPairing } from '../../relay/relay-client.js';
import type { Token } from '../../token.js';
import { FileTokenStore } from '../file-token-store.js';
import type { LoginOptions } from '../login.js';
import { createDeadline, formatDuration } from './deadline.js';
import { createEmitter, printable } from './events.js';
import { receiveAndExchange } from './exchange-and-save.js';

const noop = (): void => undefined;

/**
 * The timeout message of a relayed sign-in: not finished on the other device, or the relay's callback URL is
 * not registered for the APS app (APS then never redirects to it).
 */
export function relayTimeoutMessage(timeoutMs: number, redirectUri: string, clientId: string): string {
  return (
    `No sign-in came back through the relay within ${formatDuration(timeoutMs)}. Either the sign-in was not ` +
    `finished on the other device (start it again and finish it), or the relay's callback URL ${redirectUri} ` +
    `is not registered for the APS app ${clientId} (APS then shows "400 - Invalid redirect_uri"): register ` +
    'exactly this URL in the APS developer portal.'
  );
}

/**
 * `login` through a relay (the aps-auth web app at `relayUrl`): a pairing with an ephemeral key, the authorize
 * URL with the relay's `/relay` as `redirect_uri` and `<pairing id>.<state>` as `state` (the `authorize-url`
 * event; opened only when `openUrl` is a function: the person usually opens it on another device), a long
 * poll, decryption, the state checked in constant time, and the code exchanged here with this process's own
 * PKCE verifier (the relay never sees it). Throws what `login` throws, and `RelayError`.
 */
export async function loginThroughRelay(
  options: LoginOptions,
  relayUrl: string,
  timeoutMs: number,
): Promise<{ token: Token }> {
  if (options.manual !== undefined) {
    throw new ConfigurationError('relay', 'A sign-in goes through the relay or the manual mode, not both.');
  }
  const config = resolveConfig(options.config);
  if (options.signal?.aborted) throw new AbortedError(undefined, 'The sign-in was aborted.');
  if (options.store instanceof FileTokenStore) options.store.pathFor(options.key);
  const events = createEmitter(options.onEvent);
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, options.signal]);
  let deadline: ReturnType<typeof createDeadline> | undefined;
  try {
    const pairing = await createRelayPairing(relayUrl, { fetch: config.fetch, signal, now: config.now });
    const request = await createAuthorizationRequest(config, {
      scopes: options.scopes,
      prompt: options.prompt,
      redirectUri: pairing.redirectUri,
    });
    const url = new URL(request.url);
    url.searchParams.set('state', pairing.relayState(request.state));
    // The wait ends with the pairing, if that comes first: the relay would forget the sign-in anyway.
    const waitMs = Math.max(0, Math.min(timeoutMs, pairing.expiresAt - config.now()));
    events.emit({ type: 'authorize-url', url: url.href, startLink: false, timeoutMs: waitMs });
    const timeout = () =>
      new LoginTimeoutError(
        waitMs,
        pairing.redirectUri,
        relayTimeoutMessage(waitMs, pairing.redirectUri, config.clientId),
        'no-callback',
      );
    deadline = createDeadline(config.setTimer, waitMs, timeout, options.signal);
    const waiting = pairing.waitForCode(config, request.state, { signal });
    waiting.catch(noop);
    if (typeof options.openUrl === 'function') {
      const opener = options.openUrl;
      // Not awaited: the relay's answer, not the opener, ends the wait.
      Promise.resolve(url.href)
        .then(opener)
        .then(
          () => events.emitUnlessEnded({ type: 'browser-opened' }),
          (error: unknown) =>
            events.emitUnlessEnded({
              type: 'browser-failed',
              message: printable(error instanceof Error ? error.message : String(error)),
            }),
        );
    }
    const token = await receiveAndExchange(config, request, { waiting, deadline }, events, {
      store: options.store,
      key: options.key,
      signal: options.signal,
    });
    return { token };
  } finally {
    events.end();
    deadline?.clear();
    stop.abort();
  }
}
