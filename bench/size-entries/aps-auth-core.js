// The job: build an authorize URL with PKCE, exchange the code, refresh. With @aps-auth/core.
import { createAuthorizationRequest, exchangeCode, parseCallback, refreshToken } from '@aps-auth/core';

const config = {
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  redirectUri: 'http://localhost:8080/api/auth/callback',
  scopes: ['data:read'],
};

export async function start() {
  return createAuthorizationRequest(config);
}

export async function finish(request, callbackUrl) {
  const { code } = parseCallback(config, callbackUrl, { state: request.state });
  const token = await exchangeCode(config, { code, codeVerifier: request.codeVerifier });
  return refreshToken(config, { refreshToken: token.refreshToken });
}
