import type { ResolvedConfig } from './config.js';

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Adds client authentication to a token, revoke or introspect request, and returns the values to keep out
 * of errors. A configured secret means a confidential app: `Authorization: Basic base64(id:secret)` and no
 * `client_id` in the body. No secret means a public app: `client_id` in the body. Never both (APS answers 400).
 */
export function applyClientAuth(
  config: ResolvedConfig,
  headers: Record<string, string>,
  body: URLSearchParams,
): string[] {
  if (config.clientSecret !== undefined) {
    const credentials = base64Utf8(`${config.clientId}:${config.clientSecret}`);
    headers.authorization = `Basic ${credentials}`;
    body.delete('client_id');
    body.delete('client_secret');
    return [config.clientSecret, credentials];
  }
  body.set('client_id', config.clientId);
  return [];
}
