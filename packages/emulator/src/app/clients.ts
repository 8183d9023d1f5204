import type { ClientInfo, GrantType } from './types.js';

const GRANTS: readonly GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];

export interface Client {
  clientId: string;
  clientSecret: string | undefined;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grants: GrantType[];
}

export class RegistrationError extends Error {}

/**
 * Whether a callback (or post-logout) URL is acceptable: an absolute `http:` or `https:` URL without a
 * fragment. Any other scheme (`javascript:`, `data:`, …) would run in the emulator's own origin through the
 * `form_post` page, and RFC 6749 §3.1.2 forbids a fragment in a redirection endpoint.
 */
export function callbackUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http: or https:';
  if (value.includes('#')) return 'must not have a fragment (#)';
  return undefined;
}

function checkUrls(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new RegistrationError(`${field} must be an array of absolute URLs`);
  for (const uri of value) {
    const problem = callbackUrlProblem(uri);
    if (problem !== undefined) {
      throw new RegistrationError(
        `${field} must be absolute http: or https: URLs without a fragment: ${JSON.stringify(uri)} ${problem}`,
      );
    }
  }
  return [...(value as string[])];
}

/** Validates a registration coming from options, a bin flag or the control API. */
export function normalizeClient(reg: unknown): Client {
  if (typeof reg !== 'object' || reg === null) throw new RegistrationError('a client must be an object');
  const r = reg as Record<string, unknown>;
  if (
    typeof r.clientId !== 'string' ||
    !/^[\x21-\x7e]{1,200}$/.test(r.clientId) ||
    r.clientId.includes(':')
  ) {
    throw new RegistrationError('clientId must be 1-200 visible ASCII characters without ":"');
  }
  if (r.clientSecret !== undefined && (typeof r.clientSecret !== 'string' || r.clientSecret === '')) {
    throw new RegistrationError('clientSecret must be a non-empty string when given');
  }
  const redirectUris = checkUrls('redirectUris', r.redirectUris);
  const logout = checkUrls('postLogoutRedirectUris', r.postLogoutRedirectUris ?? []);
  const confidential = typeof r.clientSecret === 'string';
  const grants = (r.grants ?? (confidential ? GRANTS : ['authorization_code', 'refresh_token'])) as unknown;
  if (!Array.isArray(grants) || !grants.every((g) => GRANTS.includes(g))) {
    throw new RegistrationError(`grants must be a subset of ${GRANTS.join(', ')}`);
  }
  if (!confidential && grants.includes('client_credentials')) {
    throw new RegistrationError('client_credentials needs a confidential client (with a clientSecret)');
  }
  if (r.name !== undefined && typeof r.name !== 'string')
    throw new RegistrationError('name must be a string');
  return {
    clientId: r.clientId,
    clientSecret: r.clientSecret as string | undefined,
    name: (r.name as string | undefined) ?? r.clientId,
    redirectUris,
    postLogoutRedirectUris: logout,
    grants: [...grants],
  };
}

export function describeClient(c: Client): ClientInfo {
  return {
    clientId: c.clientId,
    name: c.name,
    type: c.clientSecret === undefined ? 'public' : 'confidential',
    redirectUris: [...c.redirectUris],
    postLogoutRedirectUris: [...c.postLogoutRedirectUris],
    grants: [...c.grants],
  };
}

/** The registered clients, in memory. */
export class ClientStore {
  readonly #clients = new Map<string, Client>();

  register(reg: unknown): Client {
    const client = normalizeClient(reg);
    this.#clients.set(client.clientId, client);
    return client;
  }

  get(clientId: string): Client | undefined {
    return this.#clients.get(clientId);
  }

  remove(clientId: string): boolean {
    return this.#clients.delete(clientId);
  }

  list(): Client[] {
    return [...this.#clients.values()];
  }

  clear(): void {
    this.#clients.clear();
  }

  /** Whether any client registered this post-logout redirect URI (exact match). */
  hasPostLogoutUri(uri: string): boolean {
    return this.list().some((c) => c.postLogoutRedirectUris.includes(uri));
  }
}
