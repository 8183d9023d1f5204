import { CallbackServerError } from '../../errors/callback-server-error.js';

/** A callback URL that a loopback listener can receive: where to bind and what to answer. */
export interface LoopbackTarget {
  readonly url: URL;
  /** The loopback addresses to bind (`localhost` is 127.0.0.1 and ::1), never every interface. */
  readonly addresses: readonly string[];
  readonly port: number;
}

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/;
export const MIN_CALLBACK_PORT = 1024;
export const MAX_CALLBACK_PORT = 65_535;
const EXAMPLE = 'http://localhost:8080/api/auth/callback';

/** Which addresses to bind for a callback host: the loopback ones only (none for any other host). */
export function loopbackAddressesFor(hostname: string): string[] {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  if (LOOPBACK_V4.test(host)) return [host];
  if (host === '[::1]') return ['::1'];
  return [];
}

function refuse(shown: string, why: string, host?: string): CallbackServerError {
  return new CallbackServerError(
    'CALLBACK_URL_UNSUPPORTED',
    `The callback URL ${shown} ${why}. Register a callback URL like ${EXAMPLE} for the app and set ` +
      'APS_CALLBACK_URL to it, or sign in with the manual mode (--manual) when no local listener can receive it.',
    host === undefined ? {} : { host },
  );
}

/** The port written in an http(s) URL's authority, even one `URL` refuses (e.g. 99999). */
function writtenPort(text: string): number | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d{1,10})(?:[/?#]|$)/i.exec(
    text,
  );
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The one rulebook for a loopback callback URL, shared by the listener, `login` and `doctor`: http, a
 * loopback host (localhost, 127.x.x.x, [::1]), an explicit port from 1024 to 65535, no fragment.
 * Throws `CallbackServerError` (`CALLBACK_URL_UNSUPPORTED`) saying which rule failed and what to do.
 */
export function parseLoopbackUrl(redirectUri: string): LoopbackTarget {
  const shown = JSON.stringify(String(redirectUri).slice(0, 200));
  const port = writtenPort(String(redirectUri).trim());
  if (port !== undefined && (port < MIN_CALLBACK_PORT || port > MAX_CALLBACK_PORT)) {
    throw refuse(shown, portRule(port));
  }
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw refuse(shown, 'is not a valid URL');
  }
  const addresses = loopbackAddressesFor(url.hostname);
  if (url.protocol !== 'http:') {
    throw refuse(shown, 'must use http (a local listener has no certificate)', url.hostname);
  }
  if (addresses.length === 0) {
    throw refuse(shown, 'must point at this machine (localhost, 127.0.0.1 or [::1])', url.hostname);
  }
  // URL drops a default port (80): an empty port is 80 or none written at all.
  if (url.port === '') throw refuse(shown, portRule(80), url.hostname);
  if (String(redirectUri).includes('#')) throw refuse(shown, 'must not contain a fragment (#)', url.hostname);
  if (url.username !== '' || url.password !== '') {
    throw refuse(shown, 'must not contain a user name or password', url.hostname);
  }
  return { url, addresses, port: Number(url.port) };
}

function portRule(port: number): string {
  return port === 80
    ? `needs an explicit port from ${MIN_CALLBACK_PORT} to ${MAX_CALLBACK_PORT} (without one it is port 80, which needs privileges)`
    : `needs an explicit port from ${MIN_CALLBACK_PORT} to ${MAX_CALLBACK_PORT}, not ${port}`;
}
