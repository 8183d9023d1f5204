import type { AppContext } from './context.js';
import type { ResponseMode } from './grants.js';
import { formPostPage } from './pages.js';

/** Sends the authorization response back to the (already validated) redirect URI. */
export function redirectBack(
  c: AppContext,
  redirectUri: string,
  mode: ResponseMode,
  params: Record<string, string | undefined>,
): Response {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) fields[k] = v;
  const headers = { 'Cache-Control': 'no-store' };
  if (mode === 'form_post') return c.html(formPostPage(redirectUri, fields), 200, headers);
  const url = new URL(redirectUri);
  if (mode === 'fragment') {
    url.hash = new URLSearchParams(fields).toString();
  } else {
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  }
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.toString(), 302);
}
