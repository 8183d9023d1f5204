import { ConfigurationError } from './errors/configuration-error.js';

/** APS accepts at most 50 scopes in one request. */
export const MAX_SCOPES = 50;

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Normalises and checks a scope list: a space-separated string or an array; non-empty, at most 50, each
 * a valid RFC 6749 scope token; duplicates dropped. Unknown scopes are allowed (APIs add their own).
 */
export function normalizeScopes(scopes: string | readonly string[] | undefined, field = 'scopes'): string[] {
  const list = typeof scopes === 'string' ? scopes.split(/\s+/) : [...(scopes ?? [])];
  const out: string[] = [];
  for (const raw of list) {
    if (typeof raw !== 'string') throw new ConfigurationError(field, `Every scope must be a string.`);
    const scope = raw.trim();
    if (scope === '') continue;
    if (!SCOPE_TOKEN.test(scope)) {
      throw new ConfigurationError(
        field,
        `Invalid scope "${scope.slice(0, 64)}": a scope is printable ASCII without spaces, quotes or backslashes.`,
      );
    }
    if (!out.includes(scope)) out.push(scope);
  }
  if (out.length === 0) {
    throw new ConfigurationError(field, 'At least one scope is required, e.g. "data:read".');
  }
  if (out.length > MAX_SCOPES) {
    throw new ConfigurationError(
      field,
      `APS accepts at most ${MAX_SCOPES} scopes; ${out.length} were given.`,
    );
  }
  return out;
}

/** Parses a `scope` value from a server answer (space-separated string or array) without validation. */
export function parseScopeValue(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '');
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return [...value];
  return undefined;
}

/** True when both lists hold the same scopes, in any order. */
export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((s) => right.has(s));
}
