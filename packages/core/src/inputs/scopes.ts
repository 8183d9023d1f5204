import { describeInput, type InputCheck, type InputLabel, refuse } from './input-label.js';

/** APS accepts at most 50 scopes in one request. */
export const MAX_SCOPES = 50;

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), less the comma (see `splitScopes`).
const SCOPE_TOKEN = /^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+$/;

const DEFAULT_LABEL: InputLabel = { name: 'scopes' };

/**
 * The one rule for a list of scopes typed by a person: separated by white space or commas, so
 * `"data:read data:write"`, `"data:read,data:write"` and `"data:read, data:write"` are the same two scopes. No
 * APS scope contains a comma. Empty items are dropped; nothing is validated (see `validateScopes`).
 */
export function splitScopes(value: string): string[] {
  return value.split(/[\s,]+/).filter((scope) => scope !== '');
}

/**
 * A scope list (a string split by `splitScopes`, or an array whose items are split the same way): non-empty,
 * at most 50, each printable ASCII without spaces, quotes, backslashes or commas; duplicates dropped. Unknown
 * scopes are allowed (APIs add their own). Errors carry `field` (default `scopes`) and a `problem`.
 */
export function validateScopes(
  value: unknown,
  label: InputLabel = DEFAULT_LABEL,
  field = 'scopes',
): InputCheck<string[]> {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    return refuse(field, label, 'invalid-scope', `Every scope must be a string (${describeInput(label)}).`);
  }
  const out: string[] = [];
  for (const scope of (items as string[]).flatMap(splitScopes)) {
    if (!SCOPE_TOKEN.test(scope)) {
      return refuse(
        field,
        label,
        'invalid-scope',
        `Invalid scope "${scope.slice(0, 64)}" (${describeInput(label)}): a scope is printable ASCII without spaces, commas, quotes or backslashes.`,
      );
    }
    if (!out.includes(scope)) out.push(scope);
  }
  if (out.length === 0) {
    return refuse(
      field,
      label,
      'missing',
      `At least one scope is required, e.g. "data:read" (${describeInput(label)}).`,
    );
  }
  if (out.length > MAX_SCOPES) {
    return refuse(
      field,
      label,
      'too-many-scopes',
      `APS accepts at most ${MAX_SCOPES} scopes; ${out.length} were given (${describeInput(label)}).`,
    );
  }
  return { ok: true, value: out };
}
