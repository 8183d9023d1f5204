import { RelayError } from './relay-error.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks a relay URL (the web app's origin, e.g. `https://auth.example.com`) and returns its origin. https is
 * required; plain http only for a loopback host (tests, a relay on this machine). Throws `RelayError`
 * `RELAY_URL_INVALID`.
 */
export function parseRelayUrl(relayUrl: string): string {
  let url: URL;
  try {
    url = new URL(relayUrl);
  } catch {
    throw new RelayError(
      'RELAY_URL_INVALID',
      'The relay URL is not a URL: give the web app\'s origin, e.g. "https://auth.example.com".',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new RelayError('RELAY_URL_INVALID', 'The relay URL may not carry a user name or password.');
  }
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url.origin;
  throw new RelayError(
    'RELAY_URL_INVALID',
    `The relay URL must use https (plain http only for 127.0.0.1, localhost or [::1]): ${url.origin}.`,
  );
}
