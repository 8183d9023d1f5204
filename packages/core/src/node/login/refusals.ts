import type { CallbackPage } from '../../callback-page.js';
import {
  isApsAuthError,
  isNetworkError,
  isOAuthError,
  isTimeoutError,
  isTokenStoreError,
  isUnexpectedResponseError,
} from '../../errors/guards.js';
import type { LoginRefusalCode } from './events.js';

/** Loopback: a request reached the callback URL; manual: a line was pasted. */
export type LoginMode = 'loopback' | 'manual';

const WHY: Record<LoginRefusalCode, string> = {
  NO_PARAMETERS: 'it carries no sign-in answer (no code, state or error)',
  UNPARSABLE: 'it could not be understood',
  STATE_MISSING: 'it has no state, so it does not answer this sign-in',
  STATE_MISMATCH:
    'its state does not match this sign-in (an old browser tab, or a request this sign-in did not start)',
  DUPLICATE_PARAMETER: 'it carries a parameter more than once (RFC 6749 section 3.1)',
  ISSUER_MISMATCH: 'it names another issuer than the configured server (RFC 9207)',
  CODE_MISSING: 'it answers this sign-in but carries neither a code nor an error',
  BROWSER_MISMATCH:
    'it answers this sign-in but comes from a browser that did not open its sign-in link (no sign-in cookie)',
};

/** The refusal message for an event: fixed text per code and mode, never a word of the request. */
export function refusalMessage(code: LoginRefusalCode, mode: LoginMode): string {
  if (mode === 'manual') {
    if (code === 'NO_PARAMETERS' || code === 'UNPARSABLE') {
      return 'The pasted line is not the redirected URL: paste the whole URL from the address bar (it holds code= and state=). Still waiting.';
    }
    const next =
      code === 'STATE_MISMATCH' || code === 'STATE_MISSING'
        ? ': paste the URL of the tab this sign-in opened'
        : code === 'CODE_MISSING'
          ? ': paste the whole URL the browser was redirected to'
          : '';
    return `The pasted URL was refused: ${WHY[code]}. Still waiting${next}.`;
  }
  const next =
    code === 'BROWSER_MISMATCH'
      ? ': finish the sign-in in the browser the terminal opened'
      : code === 'CODE_MISSING'
        ? ': finish the sign-in in the browser tab it opened'
        : '';
  return `A request to the callback URL was refused: ${WHY[code]}. Still waiting${next}.`;
}

/** The page for a refused callback (the sign-in in progress goes on). */
export function refusalPage(code: LoginRefusalCode): CallbackPage {
  return {
    ok: false,
    title: 'Not the sign-in in progress',
    message:
      `${refusalMessage(code, 'loopback')}\n` +
      (code === 'BROWSER_MISMATCH'
        ? 'Open the sign-in link the terminal printed in this browser, or finish the sign-in in the browser it opened.'
        : 'Finish the sign-in in the browser tab it opened, or start it again from the terminal.'),
  };
}

export const SUCCESS_PAGE: CallbackPage = {
  ok: true,
  title: 'Signed in',
  message:
    'You are signed in to Autodesk Platform Services. You can close this tab and return to the terminal.',
};

/** The page for a sign-in that came back but could not be finished: what failed and what to do next. */
export function failurePage(error: unknown): CallbackPage {
  const title = 'Sign-in failed';
  const end = '\nYour terminal shows the details. You can close this tab.';
  if (isOAuthError(error) && error.error === 'invalid_grant') {
    return {
      ok: false,
      title,
      message: `The code was refused by the server: start the sign-in again.${end}`,
    };
  }
  if (isOAuthError(error)) {
    return {
      ok: false,
      title,
      message: `The server refused to finish the sign-in (${error.error ?? error.status}): check the app's settings, then start the sign-in again.${end}`,
    };
  }
  if (isUnexpectedResponseError(error)) {
    return {
      ok: false,
      title,
      message: `The server gave an answer that is not a token (status ${error.status}): start the sign-in again; if it keeps failing, the server may be down.${end}`,
    };
  }
  if (isNetworkError(error) || isTimeoutError(error)) {
    return {
      ok: false,
      title,
      message: `The server could not be reached to finish the sign-in: check the network, then start the sign-in again.${end}`,
    };
  }
  if (isTokenStoreError(error)) {
    return {
      ok: false,
      title,
      message: `The sign-in worked, but the token could not be saved: see your terminal for how to fix it, then sign in again.${end}`,
    };
  }
  const code = isApsAuthError(error) ? ` (${error.code})` : '';
  return { ok: false, title, message: `The sign-in could not be finished${code}.${end}` };
}
