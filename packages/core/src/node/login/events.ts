import type { CallbackRefusalCode } from '../../parse-callback.js';

/**
 * Why a callback (or, in manual mode, a pasted line) was refused while the sign-in kept waiting:
 * `checkCallback`'s reasons, and `BROWSER_MISMATCH` (the right state, but not from the browser that opened
 * the start link: no sign-in cookie).
 */
export type LoginRefusalCode = CallbackRefusalCode | 'BROWSER_MISMATCH';

export type LoginEvent =
  | { type: 'listening'; redirectUri: string }
  /**
   * The URL to open or print. With the loopback listener it is a one-time start link on the listener
   * (`startLink: true`: it redirects to the authorize URL and binds the sign-in to the browser that opens
   * it); in manual mode it is the authorize URL itself (`startLink: false`). `timeoutMs`: how long the sign-in
   * waits from this event on (the countdown a front end shows): the timeout asked for, or less through a relay
   * whose pairing expires sooner.
   */
  | { type: 'authorize-url'; url: string; startLink: boolean; timeoutMs: number }
  | { type: 'browser-opened' }
  | { type: 'browser-failed'; message: string }
  | { type: 'waiting' }
  /** `message` is fixed text for `code` (never a word of what the request carried). */
  | { type: 'callback-refused'; code: LoginRefusalCode; message: string }
  | { type: 'callback-received' }
  | { type: 'exchanging' }
  | { type: 'stored'; key: string };

/**
 * Event messages may quote what a server or an opener said: no control or format characters reach a
 * terminal, so nothing a web page or a server chooses can inject escape sequences into a front end's output.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD').slice(0, 300);
}

/** Emits to a front end's listener, which never breaks the login; `end()` drops late news. */
export function createEmitter(onEvent: ((event: LoginEvent) => void) | undefined) {
  let ended = false;
  const emit = (event: LoginEvent): void => {
    try {
      onEvent?.(event);
    } catch {
      // A front end's listener never breaks the login.
    }
  };
  return {
    emit,
    /** For news that may come after the end (a slow browser opener). */
    emitUnlessEnded(event: LoginEvent): void {
      if (!ended) emit(event);
    },
    end(): void {
      ended = true;
    },
  };
}
