import type { AppContext } from './context.js';
import { oauthError } from './errors.js';

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** Reads an RFC 6749 form body; answers 400 `invalid_request` for another content type or a repeated field. */
export async function readForm(c: AppContext): Promise<URLSearchParams | Response> {
  if (!FORM_TYPE.test(c.req.header('content-type') ?? '')) {
    return oauthError(
      c,
      400,
      'invalid_request',
      "The request body must be 'application/x-www-form-urlencoded'",
    );
  }
  const form = new URLSearchParams(await c.req.text());
  const seen = new Set<string>();
  for (const key of form.keys()) {
    if (seen.has(key))
      return oauthError(c, 400, 'invalid_request', `The '${key}' parameter must not be repeated`);
    seen.add(key);
  }
  return form;
}

/** Splits a space-separated scope string, dropping empties and duplicates. */
export function parseScopes(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter((s) => s !== ''))];
}
