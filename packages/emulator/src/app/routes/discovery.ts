import type { Hono } from 'hono';
import type { AppEnv, EmulatorDeps } from '../context.js';

/** 7 days: the `Cache-Control: max-age` APS serves its JWKS with. */
export const JWKS_MAX_AGE_SECONDS = 604800;

const SCOPES = [
  'user-profile:read',
  'user:read',
  'user:write',
  'viewables:read',
  'data:read',
  'data:write',
  'data:create',
  'data:search',
  'bucket:create',
  'bucket:read',
  'bucket:update',
  'bucket:delete',
  'code:all',
  'account:read',
  'account:write',
  'openid',
];

/** `GET /.well-known/openid-configuration` and the JWKS at `GET /authentication/v2/keys`. */
export function registerDiscoveryRoutes(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.get('/.well-known/openid-configuration', (c) => {
    const issuer = deps.issuer(c);
    const base = deps.ownOrigin(c);
    // Like APS in 2023, no `code_challenge_methods_supported`: clients must not depend on it.
    return c.json({
      issuer,
      authorization_endpoint: `${base}/authentication/v2/authorize`,
      token_endpoint: `${base}/authentication/v2/token`,
      revocation_endpoint: `${base}/authentication/v2/revoke`,
      introspection_endpoint: `${base}/authentication/v2/introspect`,
      end_session_endpoint: `${base}/authentication/v2/logout`,
      jwks_uri: `${base}/authentication/v2/keys`,
      userinfo_endpoint: `${base}/userinfo`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: SCOPES,
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'nonce',
        'userid',
        'user_name',
        'user_email',
        'first_name',
        'last_name',
        'analytics_id',
      ],
    });
  });
  // APS lets clients cache its keys for 7 days, and says so.
  app.get('/authentication/v2/keys', (c) =>
    c.json(deps.keys.jwks(), 200, { 'Cache-Control': `max-age=${JWKS_MAX_AGE_SECONDS}` }),
  );
}
