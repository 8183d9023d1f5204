/**
 * A "browser" for emulators, auto-approve servers and tests only: it follows the sign-in link's redirects with
 * `fetch`, for unattended runs against a server that approves at once (the emulator's auto-approve): demos,
 * tests and benchmarks (the CLI's and the TUI's `APS_AUTH_BROWSER=fetch`). Like a browser it keeps the cookies a
 * host sets (the loopback start link binds the sign-in to the browser with one) and sends them back to that
 * host. It never fills in a consent or sign-in form: against APS it just stops at the sign-in page. Pass it as
 * `login`'s or `signIn`'s `openUrl`.
 */
export async function followSignInLink(url: string, fetchFn: typeof fetch = fetch): Promise<void> {
  await visitSignInLink(url, fetchFn);
}

/** The last answer of a visit (its body read), for a caller that checks what the browser was shown. */
export interface VisitedPage {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Follows the redirects like `followSignInLink` (cookies kept per host) and returns the last answer: the
 * listener's result page when the server approves at once.
 */
export async function visitSignInLink(url: string, fetchFn: typeof fetch = fetch): Promise<VisitedPage> {
  const jar = new Map<string, Map<string, string>>();
  let current = url;
  for (let hop = 0; hop < 6; hop++) {
    const host = new URL(current).host;
    const cookies = [...(jar.get(host) ?? new Map<string, string>())].map(
      ([name, value]) => `${name}=${value}`,
    );
    const response = await fetchFn(current, {
      redirect: 'manual',
      ...(cookies.length === 0 ? {} : { headers: { cookie: cookies.join('; ') } }),
    });
    keepCookies(jar, host, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      if (hop === 0) {
        await response.body?.cancel();
        throw new Error(`the sign-in link answered ${response.status} without a redirect`);
      }
      return {
        url: current,
        status: response.status,
        headers: response.headers,
        body: await response.text(),
      };
    }
    await response.body?.cancel();
    current = new URL(location, current).href;
  }
  throw new Error('the sign-in link redirected too many times');
}

/** Stores `name=value` of each Set-Cookie for its host (attributes are not needed by this browser). */
function keepCookies(jar: Map<string, Map<string, string>>, host: string, setCookies: string[]): void {
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0] ?? '';
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const cookies = jar.get(host) ?? new Map<string, string>();
    cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    jar.set(host, cookies);
  }
}
