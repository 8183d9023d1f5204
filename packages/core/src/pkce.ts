import { base64url, randomString } from './random.js';

/** RFC 7636 section 4.1: 43 to 128 characters of the unreserved set. */
export const CODE_VERIFIER_PATTERN: RegExp = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A new PKCE code verifier: 256 random bits, base64url (43 characters). */
export function createCodeVerifier(): string {
  return randomString(32);
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). APS supports no other method. */
export async function computeCodeChallenge(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}
