import type { IncomingMessage } from 'node:http';
import type { CallbackPage } from '../../callback-page.js';
import { constantTimeEqual } from '../../constant-time.js';
import { randomString } from '../../random.js';

/** What the listener answers to a request for the start link. */
export type StartAnswer =
  | {
      readonly kind: 'redirect';
      readonly location: string;
      readonly setCookie: string;
      readonly first: boolean;
    }
  | { readonly kind: 'refused'; readonly status: number; readonly page: CallbackPage }
  /** Opened a second time by a browser without the first one's cookie: the flow can no longer tell whose it is. */
  | { readonly kind: 'conflict'; readonly status: number; readonly page: CallbackPage };

const UNKNOWN: CallbackPage = {
  ok: false,
  title: 'Unknown sign-in link',
  message:
    'This sign-in link is not the one of the sign-in in progress. Start the sign-in again from your terminal.',
};

const REUSED: CallbackPage = {
  ok: false,
  title: 'Sign-in link already used',
  message:
    'This sign-in link was already opened in another browser, so this sign-in was stopped: it can no longer ' +
    'tell which browser is yours. Start the sign-in again from your terminal and open its link only once.',
};

/**
 * A one-time start link for a sign-in (RFC 9700 section 4.7.1): the browser launcher gets
 * `<callback path>/start?id=<random>` instead of the authorize URL, so that neither the state nor the PKCE
 * challenge is in any process's argv. Opening it redirects to the authorize URL and sets a cookie (HttpOnly,
 * SameSite=Lax, Path of the callback) that the callback must carry: the sign-in is bound to that browser.
 */
export function createStartLink(callback: URL, authorizeUrl: string) {
  const id = randomString(32);
  const cookieName = `aps_auth_${callback.port}`;
  const cookieValue = randomString(32);
  const path = `${callback.pathname.replace(/\/$/, '')}/start`;
  const url = new URL(callback);
  url.pathname = path;
  url.search = `?id=${id}`;
  url.hash = '';
  let visits = 0;
  const setCookie = `${cookieName}=${cookieValue}; HttpOnly; SameSite=Lax; Path=${callback.pathname}`;

  const hasCookie = (request: IncomingMessage): boolean => {
    const header = request.headersDistinct.cookie ?? [];
    let found = false;
    for (const part of header.join(';').split(';')) {
      const at = part.indexOf('=');
      if (at === -1 || part.slice(0, at).trim() !== cookieName) continue;
      if (constantTimeEqual(part.slice(at + 1).trim(), cookieValue)) found = true;
    }
    return found;
  };

  return {
    url: url.href,
    path,
    /** How many times a browser opened the link (with the right id). */
    get visits(): number {
      return visits;
    },
    /** Whether the request carries the cookie of the browser that opened the link. */
    hasCookie,
    answer(request: IncomingMessage, query: URLSearchParams): StartAnswer {
      const given = query.getAll('id');
      if (given.length !== 1 || !constantTimeEqual(given[0] as string, id)) {
        return { kind: 'refused', status: 404, page: UNKNOWN };
      }
      if (visits > 0 && !hasCookie(request)) return { kind: 'conflict', status: 410, page: REUSED };
      visits += 1;
      return { kind: 'redirect', location: authorizeUrl, setCookie, first: visits === 1 };
    },
  };
}

export type StartLink = ReturnType<typeof createStartLink>;
