/** The APS scopes the picker offers (any other scope can still be typed: APS APIs add their own). */
export const KNOWN_SCOPES: readonly string[] = [
  'data:read',
  'data:write',
  'data:create',
  'data:search',
  'viewables:read',
  'user-profile:read',
  'user:read',
  'user:write',
  'bucket:create',
  'bucket:read',
  'bucket:update',
  'bucket:delete',
  'code:all',
  'account:read',
  'account:write',
  'openid',
];

/** Splits typed scopes given as "a b", "a,b" or "a, b". */
export function splitTyped(text: string): string[] {
  return text.split(/[\s,]+/).filter((scope) => scope !== '');
}

/** The picked known scopes (in the picker's order) followed by the typed ones, without duplicates. */
export function combineScopes(picked: ReadonlySet<string>, typed: string): string[] {
  const known = KNOWN_SCOPES.filter((scope) => picked.has(scope));
  return [...new Set([...known, ...splitTyped(typed)])];
}

/** Splits configured scopes into the picker's part and the free-text part. */
export function separateScopes(scopes: readonly string[]): { picked: Set<string>; typed: string } {
  const picked = new Set(scopes.filter((scope) => KNOWN_SCOPES.includes(scope)));
  return { picked, typed: scopes.filter((scope) => !KNOWN_SCOPES.includes(scope)).join(' ') };
}
