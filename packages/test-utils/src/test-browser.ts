/** The last answer of a visit, its body read. */
export interface Visited {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

/**
 * A test "browser" on fetch: no redirect followed by fetch itself, cookies kept per host and sent back (the
 * loopback start link binds a sign-in to the browser with one). `visited` lists every URL asked for.
 */
export class TestBrowser {
  readonly visited: string[] = [];
  readonly #jar = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    this.visited.push(url);
    const host = new URL(url).host;
    const cookies = [...(this.#jar.get(host) ?? [])].map(([name, value]) => `${name}=${value}`);
    const headers = new Headers(init.headers);
    if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const jar = this.#jar.get(host) ?? new Map<string, string>();
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      this.#jar.set(host, jar);
    }
    return response;
  }

  /** Follows redirects from `url` and returns the last answer. */
  async follow(url: string): Promise<Visited> {
    let current = url;
    for (let hop = 0; hop < 8; hop++) {
      const response = await this.fetch(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
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
    throw new Error('too many redirects');
  }

  /** Asks for `url` and returns where it redirects (not followed). */
  async locationOf(url: string, init: RequestInit = {}): Promise<string> {
    const response = await this.fetch(url, init);
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) throw new Error(`${url} answered ${response.status} without a redirect`);
    return new URL(location, url).href;
  }
}
