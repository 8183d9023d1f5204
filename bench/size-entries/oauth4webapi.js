// The same job with oauth4webapi.
import * as oauth from 'oauth4webapi';

const as = {
  issuer: 'https://developer.api.autodesk.com',
  authorization_endpoint: 'https://developer.api.autodesk.com/authentication/v2/authorize',
  token_endpoint: 'https://developer.api.autodesk.com/authentication/v2/token',
};
const client = { client_id: 'CLIENT_ID' };
const clientAuth = oauth.ClientSecretBasic('CLIENT_SECRET');
const redirectUri = 'http://localhost:8080/api/auth/callback';

export async function start() {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'data:read');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.href, state, codeVerifier };
}

export async function finish(request, callbackUrl) {
  const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), request.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth,
    params,
    redirectUri,
    request.codeVerifier,
  );
  const token = await oauth.processAuthorizationCodeResponse(as, client, response);
  const refreshed = await oauth.refreshTokenGrantRequest(as, client, clientAuth, token.refresh_token);
  return oauth.processRefreshTokenResponse(as, client, refreshed);
}
