import { unwrap } from './inputs/input-label.js';
import { validateScopes } from './inputs/scopes.js';

export { MAX_SCOPES } from './inputs/scopes.js';

/**
 * Normalises and checks a scope list: a string or an array, split on white space and commas (`splitScopes`);
 * non-empty, at most 50, each a valid scope token; duplicates dropped. Throws `ConfigurationError` (`field`).
 */
export function normalizeScopes(scopes: string | readonly string[] | undefined, field = 'scopes'): string[] {
  return unwrap(validateScopes(scopes ?? [], { name: field }, field));
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
