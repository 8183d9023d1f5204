import type { ResolvedConfig } from './config.js';

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// RFC 6749 section 2.3.1: id and secret are form-urlencoded before base64. APS ids and secrets are
// alphanumeric, so for them this is the plain `base64(id:secret)` the APS documentation shows.
// application/x-www-form-urlencoded, as URLSearchParams writes it (`encodeURIComponent` would leave
// `!'()~` unescaped and write a space as `%20`).
function formEncode(value: string): string {
  return new URLSearchParams({ x: value }).toString().slice(2);
}

/**
 * Adds client authentication to a token, revoke or introspect request, and returns the values to keep out
 * of errors. A configured secret means a confidential app: `Authorization: Basic base64(id:secret)` (form-urlencoded halves) and no
 * `client_id` in the body. No secret means a public app: `client_id` in the body. Never both (APS answers 400).
 */
export function applyClientAuth(
  config: ResolvedConfig,
  headers: Record<string, string>,
  body: URLSearchParams,
): string[] {
  if (config.clientSecret !== undefined) {
    const credentials = base64Utf8(`${formEncode(config.clientId)}:${formEncode(config.clientSecret)}`);
    headers.authorization = `Basic ${credentials}`;
    body.delete('client_id');
    body.delete('client_secret');
    return [config.clientSecret, credentials];
  }
  body.set('client_id', config.clientId);
  return [];
}
