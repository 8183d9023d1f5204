import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { WebDeps } from './options.js';

/** The two cookies: the session id, and the state of a sign-in in progress (binds it to this browser). */
export type CookieKind = 'session' | 'signin';

/** `__Host-` over https (no Domain, Path=/, Secure): no other site or subdomain can set or read it. */
export function cookieName(deps: WebDeps, kind: CookieKind): string {
  return `${deps.secure ? '__Host-' : ''}aps-auth-${kind}`;
}

/** One key per cookie kind: a value signed for one cookie is never accepted as the other. */
function keyFor(deps: WebDeps, kind: CookieKind): string {
  return `${deps.sessionSecret}\u0000${kind}`;
}

/** The verified value, or `undefined` when absent or forged. */
export async function readCookie(c: Context, deps: WebDeps, kind: CookieKind): Promise<string | undefined> {
  const value = await getSignedCookie(c, keyFor(deps, kind), cookieName(deps, kind));
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function writeCookie(
  c: Context,
  deps: WebDeps,
  kind: CookieKind,
  value: string,
  maxAgeMs: number,
): Promise<void> {
  await setSignedCookie(c, cookieName(deps, kind), value, keyFor(deps, kind), {
    path: '/',
    httpOnly: true,
    secure: deps.secure,
    sameSite: 'Lax',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearCookie(c: Context, deps: WebDeps, kind: CookieKind): void {
  deleteCookie(c, cookieName(deps, kind), {
    path: '/',
    httpOnly: true,
    secure: deps.secure,
    sameSite: 'Lax',
  });
}
