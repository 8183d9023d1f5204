// The same job with Autodesk's official SDK. It has no PKCE or state helper: those are written here with Web Crypto.
import { AuthenticationClient, ResponseType, Scopes } from '@aps_sdk/authentication';

const clientId = 'CLIENT_ID';
const clientSecret = 'CLIENT_SECRET';
const redirectUri = 'http://localhost:8080/api/auth/callback';
const sdk = new AuthenticationClient();

const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export async function start() {
  const codeVerifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier)),
  );
  const url = sdk.authorize(clientId, ResponseType.Code, redirectUri, [Scopes.DataRead], {
    state,
    codeChallenge: b64url(digest),
    codeChallengeMethod: 'S256',
  });
  return { url, state, codeVerifier };
}

export async function finish(request, callbackUrl) {
  const params = new URL(callbackUrl).searchParams;
  if (params.get('state') !== request.state) throw new Error('state mismatch');
  const token = await sdk.getThreeLeggedToken(clientId, params.get('code'), redirectUri, {
    clientSecret,
    code_verifier: request.codeVerifier,
  });
  return sdk.refreshToken(token.refresh_token, clientId, { clientSecret });
}
