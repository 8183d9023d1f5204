import { applyClientAuth } from './client-auth.js';
import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { expectJsonObject, invalidField } from './response.js';
import { parseScopeValue } from './scopes.js';
import { type HttpRequest, type HttpResponse, send } from './transport.js';

/** The introspect endpoint's answer on the wire. */
export interface IntrospectionResponse {
  active: boolean;
  scope?: string | string[];
  client_id?: string;
  exp?: number;
  userid?: string;
  [claim: string]: unknown;
}

/** What `introspectToken` returns. */
export interface Introspection {
  active: boolean;
  scopes?: string[] | undefined;
  clientId?: string | undefined;
  /** Absolute expiry in milliseconds (from `exp`). */
  expiresAt?: number | undefined;
  userId?: string | undefined;
  /** The answer as received. */
  response: IntrospectionResponse;
}

export interface IntrospectTokenOptions {
  token: string;
  signal?: AbortSignal | undefined;
}

/** The introspect request (form `token`, client authentication). */
export function buildIntrospectRequest(config: ResolvedConfig, options: IntrospectTokenOptions): HttpRequest {
  if (typeof options.token !== 'string' || options.token === '') {
    throw new ConfigurationError('token', 'token is required: the token to introspect.');
  }
  const body = new URLSearchParams({ token: options.token });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const secrets = applyClientAuth(config, headers, body);
  return {
    step: 'introspect',
    endpoint: 'introspect',
    method: 'POST',
    url: config.endpoints.introspect,
    headers,
    body,
    secrets: [options.token, ...secrets],
  };
}

/** Processes an introspect answer (`{active:false}` is a normal answer, not an error). */
export function processIntrospectResponse(response: HttpResponse, now: number): Introspection {
  const json = expectJsonObject(response, now);
  if (typeof json.active !== 'boolean') throw invalidField(response, 'active');
  const wire = json as IntrospectionResponse;
  return {
    active: wire.active,
    scopes: parseScopeValue(wire.scope),
    clientId: typeof wire.client_id === 'string' ? wire.client_id : undefined,
    expiresAt: typeof wire.exp === 'number' ? wire.exp * 1000 : undefined,
    userId: typeof wire.userid === 'string' ? wire.userid : undefined,
    response: wire,
  };
}

/** Asks the server whether a token is active, and about what. Not retried. */
export async function introspectToken(
  config: ApsAuthConfig | ResolvedConfig,
  options: IntrospectTokenOptions,
): Promise<Introspection> {
  const resolved = resolveConfig(config);
  const response = await send(resolved, buildIntrospectRequest(resolved, options), options.signal);
  return processIntrospectResponse(response, resolved.now());
}
