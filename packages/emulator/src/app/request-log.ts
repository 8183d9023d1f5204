import type { Endpoint, RequestLogEntry } from './types.js';

const MAX_ENTRIES = 10_000;

/** The request log that tests read: derived fields only, never bodies or secrets. */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #nextId = 1;

  /** Logs a request as it arrives: `pending: true` and status 0 until `finish`. */
  start(entry: Pick<RequestLogEntry, 'time' | 'method' | 'path' | 'endpoint'>): RequestLogEntry {
    const logged: RequestLogEntry = { id: this.#nextId++, ...entry, status: 0, pending: true };
    this.#entries.push(logged);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
    return { ...logged };
  }

  /** Completes an entry with what the answer revealed; `pending` goes away. */
  finish(id: number, fields: Partial<Omit<RequestLogEntry, 'id'>>): void {
    const entry = this.#entries.find((e) => e.id === id);
    if (!entry) return;
    delete entry.pending;
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) Object.assign(entry, { [k]: v });
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
