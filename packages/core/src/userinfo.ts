import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { expectJsonObject, invalidField } from './response.js';
import { type HttpRequest, type HttpResponse, send } from './transport.js';

/** The userinfo claims on the wire (OpenID Connect names). */
export interface UserInfo {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
  locale?: string;
  [claim: string]: unknown;
}

export interface GetUserInfoOptions {
  /** A three-legged access token. */
  accessToken: string;
  signal?: AbortSignal | undefined;
}

/** The userinfo request: `GET` with `Authorization: Bearer`. */
export function buildUserInfoRequest(config: ResolvedConfig, options: GetUserInfoOptions): HttpRequest {
  if (typeof options.accessToken !== 'string' || options.accessToken === '') {
    throw new ConfigurationError('accessToken', 'accessToken is required: a three-legged access token.');
  }
  return {
    step: 'userinfo',
    endpoint: 'userinfo',
    method: 'GET',
    url: config.endpoints.userinfo,
    headers: { authorization: `Bearer ${options.accessToken}` },
    secrets: [options.accessToken],
  };
}

/** Processes a userinfo answer (a JSON object with a string `sub`). */
export function processUserInfoResponse(response: HttpResponse, now: number): UserInfo {
  const json = expectJsonObject(response, now);
  if (typeof json.sub !== 'string' || json.sub === '') throw invalidField(response, 'sub');
  return json as UserInfo;
}

/** The signed-in user's profile. Retried on 429 and 5xx, honouring `Retry-After`. */
export async function getUserInfo(
  config: ApsAuthConfig | ResolvedConfig,
  options: GetUserInfoOptions,
): Promise<UserInfo> {
  const resolved = resolveConfig(config);
  const response = await send(resolved, buildUserInfoRequest(resolved, options), options.signal);
  return processUserInfoResponse(response, resolved.now());
}
