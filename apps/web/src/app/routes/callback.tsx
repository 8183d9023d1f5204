import {
  exchangeCode,
  getUserInfo,
  isAuthorizationResponseError,
  parseCallback,
  type Token,
} from '@aps-auth/core';
import type { Context, Hono } from 'hono';
import { coreCode, htmlError } from '../errors.js';
import type { WebDeps } from '../options.js';
import type { Sessions, SessionUser } from '../sessions.js';

async function fetchUser(deps: WebDeps, token: Token): Promise<SessionUser | undefined> {
  try {
    const info = await getUserInfo(deps.config, { accessToken: token.accessToken });
    const name = typeof info.name === 'string' ? info.name : info.preferred_username;
    return { sub: info.sub, name, email: info.email };
  } catch (error) {
    // The sign-in stands without a name (e.g. no user-profile:read scope); the page says "signed in".
    deps.log({ level: 'warn', event: 'userinfo_failed', message: `Userinfo failed (${coreCode(error)}).` });
    return undefined;
  }
}

function callbackError(c: Context, deps: WebDeps, error: unknown): Response | Promise<Response> {
  if (isAuthorizationResponseError(error)) {
    if (error.code === 'STATE_MISMATCH') {
      return htmlError(c, deps, 400, 'state_mismatch', 'Sign-in failed', error.message);
    }
    if (error.code === 'AUTHORIZATION_RESPONSE_ERROR') {
      const denied = error.error === 'access_denied';
      return htmlError(
        c,
        deps,
        denied ? 403 : 400,
        denied ? 'access_denied' : 'authorization_error',
        denied ? 'Sign-in cancelled' : 'Sign-in failed',
        denied
          ? 'You did not allow access, so you are not signed in. Sign in again whenever you like.'
          : error.message,
      );
    }
    return htmlError(c, deps, 400, 'invalid_callback', 'Sign-in failed', error.message);
  }
  deps.log({
    level: 'error',
    event: 'exchange_failed',
    message: `Code exchange failed (${coreCode(error)}).`,
  });
  return htmlError(
    c,
    deps,
    502,
    'exchange_failed',
    'Sign-in failed',
    `The authentication server did not complete the sign-in (${coreCode(error)}). Sign in again.`,
  );
}

/**
 * `GET /api/auth/callback`: the sign-in cookie names the state (this browser started it), the record is
 * taken once (a replay finds nothing), core checks the answer and exchanges the code, and a new session id
 * replaces any the browser had. No Referer leaves this page (the code is in its URL).
 */
export function registerCallbackRoute(app: Hono, deps: WebDeps, sessions: Sessions): void {
  app.get('/api/auth/callback', async (c) => {
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    const { state, record } = await sessions.takeSignIn(c);
    if (state === undefined) {
      return htmlError(
        c,
        deps,
        400,
        'sign_in_not_started',
        'Sign-in failed',
        'This browser has no sign-in in progress (it expired, or was started elsewhere). Sign in again.',
      );
    }
    if (record === undefined) {
      return htmlError(
        c,
        deps,
        400,
        'sign_in_expired',
        'Sign-in failed',
        'This sign-in expired or was already completed. Sign in again.',
      );
    }
    let token: Token;
    try {
      const { code } = parseCallback(deps.config, c.req.url, { state });
      token = await exchangeCode(deps.config, {
        code,
        codeVerifier: record.codeVerifier,
        redirectUri: record.redirectUri,
        scopes: record.scopes,
      });
    } catch (error) {
      return callbackError(c, deps, error);
    }
    const previous = await sessions.current(c);
    if (previous !== undefined) await sessions.end(c, previous.id);
    const user = await fetchUser(deps, token);
    await sessions.start(c, token, user);
    deps.log({ level: 'info', event: 'sign_in_completed', message: 'A user signed in.' });
    return c.redirect(record.returnTo, 303);
  });
}
