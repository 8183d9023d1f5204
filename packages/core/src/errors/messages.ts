import type { Step } from '../transport.js';
import type { OAuthErrorFields } from './oauth-error.js';

const GATEWAY_ADVICE: Record<string, string> = {
  'AUTH-001':
    'the app has no access to this API: enable the API for this app in the APS developer portal (this is not a sign-in problem)',
  'AUTH-006': 'the access token is invalid or expired: refresh it or sign in again',
  'AUTH-010': 'the token lacks a scope this API needs: ask for that scope when signing in',
  'ERR-001': 'rate limit reached: wait and try again later',
};

function adviceFor(step: Step, fields: OAuthErrorFields): string | undefined {
  const { error, errorDescription = '' } = fields;
  if (fields.errorCode !== undefined && GATEWAY_ADVICE[fields.errorCode] !== undefined) {
    return GATEWAY_ADVICE[fields.errorCode];
  }
  switch (error) {
    case 'invalid_client':
      return 'check the client id and secret (APS_CLIENT_ID, APS_CLIENT_SECRET); a public app has no secret, a confidential app needs it';
    case 'unauthorized_client':
      return 'this app may not use this grant type: check the app type in the APS developer portal';
    case 'invalid_scope':
      return step === 'refresh_token'
        ? 'a refresh may only ask for scopes granted at sign-in (or fewer)'
        : 'check the requested scopes';
    case 'access_denied':
      return 'the request was refused';
    case 'invalid_grant':
      if (step === 'refresh_token')
        return 'the refresh token is invalid, expired or already used: sign in again';
      if (step === 'authorization_code') {
        if (/pkce|verifier/i.test(errorDescription)) {
          return 'the code verifier does not match this authorization request: use the verifier created with it, once';
        }
        if (/redirect/i.test(errorDescription)) {
          return 'the redirect URI must be exactly the one used to authorize and registered for the app';
        }
        return 'authorization codes are single-use and expire after 5 minutes: start the sign-in again';
      }
      return undefined;
    default:
      break;
  }
  if (fields.status === 429) return 'rate limit reached: wait and try again later';
  return undefined;
}

const STEP_LABEL: Record<Step, string> = {
  authorization_code: 'Code exchange',
  refresh_token: 'Token refresh',
  client_credentials: 'Client-credentials token request',
  revoke: 'Token revocation',
  introspect: 'Token introspection',
  userinfo: 'Userinfo request',
  keys: 'Keys (JWKS) request',
};

/** "Token refresh failed (400 invalid_grant: The refresh token is invalid or expired): sign in again." */
export function oauthErrorMessage(step: Step, fields: OAuthErrorFields): string {
  const what = fields.error ?? fields.errorCode ?? 'error';
  const detail = fields.errorDescription ?? fields.developerMessage ?? fields.userMessage;
  const advice = adviceFor(step, fields);
  return `${STEP_LABEL[step]} failed (${fields.status} ${what}${detail ? `: ${detail}` : ''})${advice ? `: ${advice}` : ''}.`;
}

export { STEP_LABEL };
