import type { Endpoint, RequestLogEntry } from './types.js';

const MAX_ENTRIES = 10_000;

/** The request log that tests read: derived fields only, never bodies or secrets. */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #nextId = 1;

  add(entry: Omit<RequestLogEntry, 'id'>): void {
    this.#entries.push({ id: this.#nextId++, ...entry });
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
  }

  list(): RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.#entries = [];
  }
}

const PATHS: Record<string, Endpoint> = {
  '/authentication/v2/authorize': 'authorize',
  '/authentication/v2/authorize/decision': 'consent',
  '/authentication/v2/token': 'token',
  '/authentication/v2/revoke': 'revoke',
  '/authentication/v2/introspect': 'introspect',
  '/authentication/v2/keys': 'keys',
  '/authentication/v2/logout': 'logout',
  '/.well-known/openid-configuration': 'discovery',
  '/userinfo': 'userinfo',
};

export function endpointOf(path: string): Endpoint {
  return PATHS[path] ?? 'other';
}
