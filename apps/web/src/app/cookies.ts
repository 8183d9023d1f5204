import type { Context } from 'hono';
import { deleteCookie, getCookie, setSignedCookie } from 'hono/cookie';
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

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
/** Imported once per app and cookie kind (importing a key per request costs more than verifying). */
const keys = new WeakMap<WebDeps, Map<CookieKind, Promise<HmacKey>>>();

function verifyKey(deps: WebDeps, kind: CookieKind): Promise<HmacKey> {
  let byKind = keys.get(deps);
  if (byKind === undefined) {
    byKind = new Map();
    keys.set(deps, byKind);
  }
  let key = byKind.get(kind);
  if (key === undefined) {
    const raw = new TextEncoder().encode(keyFor(deps, kind));
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    byKind.set(kind, key);
  }
  return key;
}

/**
 * Cookies already verified, by the whole signed string and by the whole `Cookie` header it came in (a hit proves
 * the signature; the header key spares parsing it again on every request of a session): bounded, oldest out.
 */
const verified = new WeakMap<WebDeps, Map<string, string>>();
const MAX_VERIFIED = 10_000;
/**
 * Only `Cookie` headers up to this length are remembered whole: a signed-in client could otherwise add cookies of
 * its own to fill the cache with long keys (the signed values themselves are short).
 */
const MAX_REMEMBERED_HEADER = 1024;

function remember(deps: WebDeps, key: string, value: string): void {
  let cache = verified.get(deps);
  if (cache === undefined) {
    cache = new Map();
    verified.set(deps, cache);
  }
  cache.set(key, value);
  if (cache.size > MAX_VERIFIED) cache.delete(cache.keys().next().value!);
}

/**
 * The verified value, or `undefined` when absent or forged. The cookie is `value.base64(HMAC-SHA256(value))`, as
 * Hono's `setSignedCookie` writes it; `crypto.subtle.verify` compares in constant time.
 */
export async function readCookie(c: Context, deps: WebDeps, kind: CookieKind): Promise<string | undefined> {
  const header = c.req.header('cookie');
  if (header === undefined) return undefined;
  const headerKey = header.length <= MAX_REMEMBERED_HEADER ? `${kind}|${header}` : undefined;
  const cache = verified.get(deps);
  const seen = headerKey === undefined ? undefined : cache?.get(headerKey);
  if (seen !== undefined) return seen;
  const cookie = getCookie(c, cookieName(deps, kind));
  if (cookie === undefined) return undefined;
  const known = cache?.get(`${kind}:${cookie}`);
  if (known !== undefined) {
    if (headerKey !== undefined) remember(deps, headerKey, known);
    return known;
  }
  const dot = cookie.lastIndexOf('.');
  const value = cookie.slice(0, dot);
  const signature = cookie.slice(dot + 1);
  if (dot <= 0 || signature.length !== 44 || !/^[A-Za-z0-9+/]{43}=$/.test(signature)) return undefined;
  const bytes = Uint8Array.from(atob(signature), (char) => char.charCodeAt(0));
  const valid = await crypto.subtle.verify(
    'HMAC',
    await verifyKey(deps, kind),
    bytes,
    new TextEncoder().encode(value),
  );
  if (!valid || value === '') return undefined;
  remember(deps, `${kind}:${cookie}`, value);
  if (headerKey !== undefined) remember(deps, headerKey, value);
  return value;
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
