import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from '@aps-auth/emulator/node';
import { afterEach } from 'vitest';
import {
  type ApsAuthConfig,
  createAuthorizationRequest,
  exchangeCode,
  type FetchLike,
  parseCallback,
  type Token,
} from '../src/index.js';

// Known values: the secret scan looks for these everywhere.
export const SECRET = 'cs-SECRET-0123456789abcdefghijklmnopqrstuvwxyz';
export const CALLBACK = 'http://localhost:8080/api/auth/callback';
export const CONFIDENTIAL = {
  clientId: 'web-app-id',
  clientSecret: SECRET,
  redirectUris: [CALLBACK],
  postLogoutRedirectUris: ['http://localhost:8080/bye'],
};
export const PUBLIC = { clientId: 'desktop-app-id', redirectUris: [CALLBACK] };

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A real emulator on 127.0.0.1 with a free port, closed after the test. Rate limits off unless asked. */
export async function start(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const server = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: true,
    rateLimits: false,
    clients: [CONFIDENTIAL, PUBLIC],
    ...options,
  });
  running.push(server);
  return server;
}

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Wraps the platform fetch and records what core sent (the injected `fetch` seam). */
export function recorder(): { fetch: FetchLike; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    calls.push({ method: request.method, url: request.url, headers, body: await request.clone().text() });
    return fetch(request);
  };
  return { fetch: fetchImpl, calls };
}

export function confidentialConfig(
  server: RunningEmulator,
  extra: Partial<ApsAuthConfig> = {},
): ApsAuthConfig {
  return {
    clientId: CONFIDENTIAL.clientId,
    clientSecret: SECRET,
    redirectUri: CALLBACK,
    scopes: ['data:read', 'data:write', 'viewables:read'],
    baseUrl: server.url,
    ...extra,
  };
}

export function publicConfig(server: RunningEmulator, extra: Partial<ApsAuthConfig> = {}): ApsAuthConfig {
  return {
    clientId: PUBLIC.clientId,
    redirectUri: CALLBACK,
    scopes: ['data:read', 'viewables:read'],
    baseUrl: server.url,
    ...extra,
  };
}

/** Follows the authorize URL with the emulator's auto-approve and returns the redirect Location. */
export async function authorize(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`authorize answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return location;
}

/** A whole login through core: authorize, callback, code exchange. */
export async function login(
  config: ApsAuthConfig,
  options: { scopes?: string[] } = {},
): Promise<{ token: Token; nonce?: string | undefined; code: string; codeVerifier: string }> {
  const request = await createAuthorizationRequest(config, options);
  const location = await authorize(request.url);
  const { code } = parseCallback(config, location, { state: request.state });
  const token = await exchangeCode(config, { code, codeVerifier: request.codeVerifier });
  return { token, nonce: request.nonce, code, codeVerifier: request.codeVerifier };
}

/**
 * A `fetch` that holds refresh answers once `hold()` was called: the server has answered (and rotated the
 * refresh token) but core has not seen the answer until `release()`.
 */
export function holdingFetch(revokeAfter: Promise<unknown> = Promise.resolve()) {
  let gate: Promise<void> | undefined;
  let open!: () => void;
  let held = 0;
  const revoked: URLSearchParams[] = [];
  const fetchImpl = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = await request.clone().text();
    if (request.url.endsWith('/revoke')) {
      await revokeAfter;
      revoked.push(new URLSearchParams(body));
    }
    const response = await fetch(request);
    if (gate !== undefined && body.includes('grant_type=refresh_token')) {
      held++;
      await gate;
    }
    return response;
  };
  return {
    fetch: fetchImpl,
    held: () => held,
    revoked,
    hold: () => {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
  };
}
