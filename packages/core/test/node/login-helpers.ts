import type { StartEmulatorOptions } from '@aps-auth/emulator/node';
import { TestBrowser } from '@aps-auth/test-utils';
import type { ApsAuthConfig } from '../../src/index.js';
import type { LoginEvent } from '../../src/node/index.js';
import { SECRET, start } from '../helpers.js';
import { freePort } from './helpers.js';

/** An emulator whose clients are registered for a loopback callback URL on a free port. */
export async function setup(
  options: StartEmulatorOptions & { publicClient?: boolean; register?: boolean } = {},
) {
  const port = await freePort();
  const callback = `http://localhost:${port}/api/auth/callback`;
  const redirectUris = options.register === false ? ['http://localhost:1/elsewhere'] : [callback];
  const server = await start({
    clients: [
      { clientId: 'web-app-id', clientSecret: SECRET, redirectUris },
      { clientId: 'desktop-app-id', redirectUris },
    ],
    ...options,
  });
  const config: ApsAuthConfig = {
    clientId: options.publicClient ? 'desktop-app-id' : 'web-app-id',
    clientSecret: options.publicClient ? undefined : SECRET,
    redirectUri: callback,
    scopes: ['data:read', 'viewables:read'],
    baseUrl: server.url,
  };
  const events: LoginEvent[] = [];
  return { server, config, callback, port, events, onEvent: (e: LoginEvent) => events.push(e) };
}

/**
 * Does the browser's job with fetch: opens the sign-in link (the loopback start link), follows it to the
 * authorize URL and on to the loopback with the link's cookie. Like a real opener, it returns once the browser
 * is launched, not once the page is shown: `seen` fills in as the visit goes on (link, authorize URL, page).
 */
export function browser(seen: string[] = []) {
  const visit = async (url: string): Promise<void> => {
    const visitor = new TestBrowser();
    seen.push(url);
    const authorize = await visitor.locationOf(url);
    seen.push(authorize);
    const page = await visitor.follow(await visitor.locationOf(authorize));
    seen.push(`${page.status} ${page.body}`);
  };
  return async (url: string): Promise<void> => {
    void visit(url).catch((error: unknown) => seen.push(`visit failed: ${String(error)}`));
  };
}

/** The consent page's decision (allow or deny), posted as a person would: where it redirects. */
export async function decide(
  visitor: TestBrowser,
  authorizeUrl: string,
  decision: 'allow' | 'deny',
): Promise<string> {
  const consent = await (await visitor.fetch(authorizeUrl)).text();
  const request = /name="request" value="([^"]+)"/.exec(consent)?.[1] ?? '';
  return visitor.locationOf(new URL('/authentication/v2/authorize/decision', authorizeUrl).href, {
    method: 'POST',
    body: new URLSearchParams({ request, decision }),
  });
}
