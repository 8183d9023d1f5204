const PROBE = 'https://return-to.invalid';

/**
 * The `returnTo` of a sign-in as a path on this site, or `undefined` when it is not one. Only a path that
 * starts with one `/` is accepted: `//evil`, `/\evil`, absolute URLs, schemes and control characters are not
 * (a browser reads `/\evil` as `//evil`, another host), nor a path whose dot segments normalise to `//evil`.
 */
export function parseReturnTo(value: string): string | undefined {
  if (value.length === 0 || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  // Backslashes, whitespace and control characters are never part of a path we send a browser to.
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || /\s/.test(char) || code < 0x20 || code === 0x7f) return undefined;
  }
  let url: URL;
  try {
    url = new URL(value, PROBE);
  } catch {
    return undefined;
  }
  if (url.origin !== PROBE) return undefined;
  // Dot segments can collapse into `//host` (`/.//evil` becomes `//evil`): check the path we would send.
  if (url.pathname.startsWith('//')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
