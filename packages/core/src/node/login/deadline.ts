import type { SetTimer } from '../../config.js';
import { AbortedError } from '../../errors/aborted-error.js';
import type { LoginTimeoutStage } from '../../errors/login-timeout-error.js';

/**
 * A promise that rejects on timeout or abort (never resolves); `clear` stops the timer. The timer is the
 * configuration's `setTimer` (the platform's `setTimeout` unless one was injected).
 */
export function createDeadline(
  setTimer: SetTimer,
  timeoutMs: number,
  onTimeout: () => Error,
  signal: AbortSignal | undefined,
): { promise: Promise<never>; clear(): void } {
  let clear: () => void = () => undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    const abort = () => reject(new AbortedError(undefined, 'The sign-in was aborted.'));
    const cancel = setTimer(timeoutMs, () => reject(onTimeout()));
    signal?.addEventListener('abort', abort, { once: true });
    clear = () => {
      cancel();
      signal?.removeEventListener('abort', abort);
    };
    if (signal?.aborted) abort();
  });
  promise.catch(() => undefined);
  return { promise, clear: () => clear() };
}

/** "1.5 s", "30 s", "5 min", "1.5 min": what the user asked for, not a rounded figure. */
export function formatDuration(ms: number): string {
  const round = (value: number) => String(Math.round(value * 10) / 10);
  return ms >= 60_000 ? `${round(ms / 60_000)} min` : `${round(ms / 1000)} s`;
}

/** What the flow observed before its time ran out. */
export interface TimeoutFacts {
  readonly timeoutMs: number;
  readonly redirectUri: string;
  readonly clientId: string;
  /** Manual mode: `undefined`; loopback: how many times a browser opened the start link. */
  readonly startVisits: number | undefined;
}

/**
 * The login timeout message, from what the flow saw: no browser reached the listener (the link was never
 * opened), or a browser went to the sign-in and never came back (not finished, or the callback URL is not
 * registered: both said, with `aps-auth doctor` to tell which).
 */
export function timeoutStage(facts: TimeoutFacts): LoginTimeoutStage {
  if (facts.startVisits === undefined) return 'not-pasted';
  return facts.startVisits === 0 ? 'link-not-opened' : 'no-callback';
}

export function timeoutMessage(facts: TimeoutFacts): string {
  const waited = formatDuration(facts.timeoutMs);
  const { redirectUri, clientId } = facts;
  const unregistered =
    `or the callback URL ${redirectUri} is not registered for the APS app ${clientId} (APS then shows ` +
    '"400 - Invalid redirect_uri" and never calls back: register exactly this URL in the APS developer ' +
    "portal, or set APS_CALLBACK_URL to one that is). 'aps-auth doctor' checks the registration.";
  if (facts.startVisits === undefined) {
    return `No redirected URL was pasted within ${waited}. Either the sign-in was not finished in the browser, ${unregistered}`;
  }
  if (facts.startVisits === 0) {
    return (
      `No browser opened the sign-in link within ${waited}, so the sign-in never started. Start it again and ` +
      'open the link it prints in a browser on this machine; when the browser runs on another machine (SSH, a ' +
      'container), sign in with the manual mode (--manual).'
    );
  }
  return (
    `The browser opened the sign-in page, but no sign-in came back to ${redirectUri} within ${waited}. Either ` +
    `the sign-in was not finished in the browser (start it again and finish it), ${unregistered}`
  );
}
