import type { ResolvedConfig } from '../config.js';
import { expectJsonObject, invalidField } from '../response.js';
import { type HttpRequest, type HttpResponse, send } from '../transport.js';

/** A JSON Web Key Set as published at the keys endpoint. */
export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

interface Entry {
  jwks?: JsonWebKeySet;
  /** When `jwks` was fetched. */
  fetchedAt: number;
  /** When the last fetch was attempted, successful or not: the cooldown counts from here. */
  attemptedAt: number;
  /** The error of the last attempt, if it failed. */
  failure?: unknown;
  pending?: Promise<JsonWebKeySet>;
}

/** APS says keys may be cached up to 7 days; core keeps them a day and refetches on an unknown `kid`. */
export const JWKS_MAX_AGE_MS = 24 * 60 * 60_000;
/** An unknown `kid` refetches at most this often, so that forged tokens cannot hammer the keys endpoint. */
export const JWKS_REFETCH_COOLDOWN_MS = 30_000;

const cache = new Map<string, Entry>();

/** The keys request: `GET {keys}` (retried on 429 and 5xx). */
export function buildKeysRequest(config: ResolvedConfig): HttpRequest {
  return {
    step: 'keys',
    endpoint: 'keys',
    method: 'GET',
    url: config.endpoints.keys,
    headers: {},
    secrets: [],
  };
}

/** Processes a keys answer into a key set (an object with a `keys` array). */
export function processKeysResponse(response: HttpResponse, now: number): JsonWebKeySet {
  const json = expectJsonObject(response, now);
  if (!Array.isArray(json.keys)) throw invalidField(response, 'keys');
  return { keys: json.keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null) };
}

/**
 * The key set for this configuration's keys URL: cached per URL for `JWKS_MAX_AGE_MS`; `refresh` fetches
 * again unless the last attempt is younger than `JWKS_REFETCH_COOLDOWN_MS`. One fetch at a time per URL.
 * The cooldown counts failed attempts too: during an outage of the keys endpoint, the error of the last
 * attempt is thrown again until the cooldown has passed, instead of a new fetch (with retries) per token.
 */
export async function getKeySet(
  config: ResolvedConfig,
  options: { refresh?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<JsonWebKeySet> {
  const url = config.endpoints.keys;
  const now = config.now();
  const entry = cache.get(url);
  if (entry?.pending) return entry.pending;
  if (entry?.jwks && !options.refresh) {
    const age = now - entry.fetchedAt;
    if (age >= 0 && age < JWKS_MAX_AGE_MS) return entry.jwks;
  }
  if (entry !== undefined) {
    const sinceAttempt = now - entry.attemptedAt;
    if (sinceAttempt >= 0 && sinceAttempt < JWKS_REFETCH_COOLDOWN_MS) {
      if (entry.failure !== undefined) throw entry.failure;
      if (entry.jwks) return entry.jwks;
    }
  }
  const next: Entry = {
    fetchedAt: entry?.fetchedAt ?? 0,
    attemptedAt: now,
    ...(entry?.jwks ? { jwks: entry.jwks } : {}),
  };
  next.pending = (async () => {
    try {
      const response = await send(config, buildKeysRequest(config), options.signal);
      const jwks = processKeysResponse(response, config.now());
      const fetchedAt = config.now();
      cache.set(url, { jwks, fetchedAt, attemptedAt: fetchedAt });
      return jwks;
    } catch (error) {
      if (cache.get(url) === next) {
        // The caller's own abort says nothing about the server: it does not start a cooldown.
        if (options.signal?.aborted) {
          if (entry === undefined) cache.delete(url);
          else cache.set(url, entry);
        } else {
          const failed: Entry = { fetchedAt: next.fetchedAt, attemptedAt: next.attemptedAt, failure: error };
          if (next.jwks) failed.jwks = next.jwks;
          cache.set(url, failed);
        }
      }
      throw error;
    }
  })();
  cache.set(url, next);
  return next.pending;
}

/** Forgets every cached key set (tests, key rotation drills). */
export function clearKeySetCache(): void {
  cache.clear();
}
