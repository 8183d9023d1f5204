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

function isAbsoluteUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
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
  if (!Array.isArray(r.redirectUris) || !r.redirectUris.every(isAbsoluteUrl)) {
    throw new RegistrationError('redirectUris must be an array of absolute URLs');
  }
  const logout = r.postLogoutRedirectUris ?? [];
  if (!Array.isArray(logout) || !logout.every(isAbsoluteUrl)) {
    throw new RegistrationError('postLogoutRedirectUris must be an array of absolute URLs');
  }
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
    redirectUris: [...r.redirectUris],
    postLogoutRedirectUris: [...logout],
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
