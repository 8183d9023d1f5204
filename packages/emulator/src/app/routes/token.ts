import type { Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { Client } from '../clients.js';
import type { AppContext, AppEnv, EmulatorDeps } from '../context.js';
import { s256 } from '../crypto-utils.js';
import { DESCRIPTIONS, oauthError } from '../errors.js';
import { parseScopes, readForm } from '../form.js';
import type { Grant } from '../grants.js';
import type { GrantType } from '../types.js';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token', 'client_credentials'];

interface IssueInput {
  client: Client;
  scopes: string[];
  grant?: Grant;
  /** Present only for a code exchange that asked for `openid`. */
  idTokenNonce?: { nonce: string | undefined };
}

async function issueTokens(c: AppContext, deps: EmulatorDeps, input: IssueInput): Promise<Response> {
  const now = deps.clock.now();
  const lifetime = deps.settings.accessTokenLifetime;
  const issuer = deps.issuer(c);
  const { token, claims } = await deps.signer.mintAccessToken({
    issuer,
    clientId: input.client.clientId,
    scopes: input.scopes,
    ...(input.grant ? { userId: input.grant.userId } : {}),
    nowMs: now,
    lifetimeSeconds: lifetime,
  });
  deps.grants.addAccessToken(claims.jti, {
    clientId: input.client.clientId,
    grantId: input.grant?.id,
    expiresAt: claims.exp * 1000,
    revoked: false,
  });
  const body: Record<string, string | number> = {
    access_token: token,
    token_type: 'Bearer',
    expires_in: lifetime - 1,
  };
  if (input.grant && input.client.grants.includes('refresh_token')) {
    body.refresh_token = deps.grants.addRefreshToken(
      input.grant.id,
      now + deps.settings.refreshTokenLifetime * 1000,
    );
  }
  if (input.idTokenNonce) {
    body.id_token = await deps.signer.mintIdToken({
      issuer,
      clientId: input.client.clientId,
      user: deps.user,
      nonce: input.idTokenNonce.nonce,
      nowMs: now,
      lifetimeSeconds: lifetime,
    });
  }
  return c.json(body, 200, NO_STORE);
}

/**
 * The PKCE check of a code exchange. A code issued with a challenge needs its verifier (missing: APS's
 * `invalid_request`); a public client's code always needs PKCE, which APS checks here, not at authorize.
 */
async function checkPkce(
  c: AppContext,
  client: Client,
  code: { codeChallenge: string | undefined },
  verifier: string | null,
): Promise<Response | undefined> {
  if (code.codeChallenge === undefined) {
    if (verifier !== null) return oauthError(c, 400, 'invalid_grant', DESCRIPTIONS.pkce);
    if (client.clientSecret === undefined) {
      return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('code_verifier'));
    }
    return undefined;
  }
  if (verifier === null) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('code_verifier'));
  if (!VERIFIER.test(verifier) || (await s256(verifier)) !== code.codeChallenge) {
    return oauthError(c, 400, 'invalid_grant', DESCRIPTIONS.pkce);
  }
  return undefined;
}

async function authorizationCode(c: AppContext, deps: EmulatorDeps, client: Client, form: URLSearchParams) {
  const codeValue = form.get('code');
  if (!codeValue) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('code'));
  const redirectUri = form.get('redirect_uri');
  // A missing parameter is answered before the code is looked up, so it does not spend the code.
  if (!redirectUri) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('redirect_uri'));
  const code = deps.grants.takeCode(codeValue, deps.clock.now());
  if (!code || code.clientId !== client.clientId) {
    return oauthError(c, 400, 'invalid_grant', DESCRIPTIONS.badCode);
  }
  if (redirectUri !== code.redirectUri) {
    return oauthError(c, 400, 'invalid_grant', DESCRIPTIONS.redirectUri);
  }
  const refused = await checkPkce(c, client, code, form.get('code_verifier'));
  if (refused) return refused;
  const grant = deps.grants.addGrant(client.clientId, code.userId, code.scopes);
  return issueTokens(c, deps, {
    client,
    scopes: code.scopes,
    grant,
    ...(code.scopes.includes('openid') ? { idTokenNonce: { nonce: code.nonce } } : {}),
  });
}

async function refreshToken(c: AppContext, deps: EmulatorDeps, client: Client, form: URLSearchParams) {
  const value = form.get('refresh_token');
  if (!value) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('refresh_token'));
  const record = deps.grants.peekRefreshToken(value, deps.clock.now());
  const grant = deps.grants.getGrant(record?.grantId);
  if (!record || !grant || grant.clientId !== client.clientId) {
    return oauthError(c, 400, 'invalid_grant', DESCRIPTIONS.badRefresh);
  }
  const asked = form.get('scope');
  const scopes = asked === null ? grant.scopes : parseScopes(asked);
  if (scopes.length === 0 || scopes.some((s) => !grant.scopes.includes(s))) {
    // A wider scope fails without spending the refresh token.
    return oauthError(c, 400, 'invalid_scope', DESCRIPTIONS.wideScope);
  }
  deps.grants.spendRefreshToken(value);
  return issueTokens(c, deps, { client, scopes, grant });
}

async function clientCredentials(c: AppContext, deps: EmulatorDeps, client: Client, form: URLSearchParams) {
  const scopes = parseScopes(form.get('scope'));
  if (scopes.length === 0) return oauthError(c, 400, 'invalid_scope', DESCRIPTIONS.noScope);
  if (scopes.length > 50) return oauthError(c, 400, 'invalid_scope', DESCRIPTIONS.wideScope);
  return issueTokens(c, deps, { client, scopes });
}

/** `POST /authentication/v2/token`: form-encoded only. */
export function registerTokenRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.post('/authentication/v2/token', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const grantType = form.get('grant_type');
    if (grantType) c.get('log').grantType = grantType;
    const auth = await authenticateClient(c, deps, form, 'token');
    if (!auth.ok) return auth.response;
    const { client } = auth;
    if (!grantType) return oauthError(c, 400, 'invalid_request', DESCRIPTIONS.missing('grant_type'));
    if (!GRANT_TYPES.includes(grantType)) {
      return oauthError(c, 400, 'unsupported_grant_type', DESCRIPTIONS.badGrantType);
    }
    if (!client.grants.includes(grantType as GrantType)) {
      return oauthError(c, 400, 'unauthorized_client', DESCRIPTIONS.unauthorizedClient);
    }
    if (grantType === 'authorization_code') return authorizationCode(c, deps, client, form);
    if (grantType === 'refresh_token') return refreshToken(c, deps, client, form);
    return clientCredentials(c, deps, client, form);
  });
}
