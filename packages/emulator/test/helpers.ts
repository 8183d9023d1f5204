import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach } from 'vitest';
import type { ClientRegistration } from '../src/index.js';
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from '../src/node/index.js';

export const CALLBACK = 'http://localhost:8080/api/auth/callback';
export const CONFIDENTIAL: ClientRegistration = {
  clientId: 'web-app',
  clientSecret: 'web-secret',
  redirectUris: [CALLBACK, 'http://localhost:8080/other/'],
  postLogoutRedirectUris: ['http://localhost:8080/bye'],
  name: 'Test Web App',
};
export const PUBLIC: ClientRegistration = {
  clientId: 'desktop-app',
  redirectUris: ['http://localhost:3000/callback'],
  name: 'Test Desktop App',
};

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** Starts an emulator on 127.0.0.1 with a free port; closed after the test. */
export async function start(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const s = await startEmulator({ port: 0, clients: [CONFIDENTIAL, PUBLIC], ...options });
  running.push(s);
  return s;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function authorizeUrl(base: string, params: Record<string, string>): string {
  const url = new URL('/authentication/v2/authorize', base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
}

export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, redirect: 'manual' });
}

/** The query of a 302's Location. */
export function locationParams(res: Response): URLSearchParams {
  const location = res.headers.get('location');
  if (!location) throw new Error(`no Location (status ${res.status})`);
  return new URL(location).searchParams;
}

export function requestIdOf(html: string): string {
  const m = /name="request" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no request id in the consent page');
  return m[1];
}

/** Walks the consent page like a browser: GET authorize, then POST the decision. */
export async function consent(
  s: RunningEmulator,
  params: Record<string, string>,
  decision: 'allow' | 'deny' = 'allow',
): Promise<Response> {
  const page = await get(authorizeUrl(s.url, params));
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  return postForm(`${s.url}/authentication/v2/authorize/decision`, {
    request: requestIdOf(await page.text()),
    decision,
  });
}

export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
}

/** A full code flow for the confidential client (consent by form); returns the token response. */
export async function loginConfidential(s: RunningEmulator, scope = 'data:read data:write'): Promise<Tokens> {
  const res = await consent(s, {
    client_id: CONFIDENTIAL.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope,
    state: 'st',
    nonce: 'n0nce',
  });
  const code = locationParams(res).get('code') ?? '';
  const token = await postForm(
    `${s.url}/authentication/v2/token`,
    { grant_type: 'authorization_code', code, redirect_uri: CALLBACK },
    { authorization: basic('web-app', 'web-secret') },
  );
  if (token.status !== 200) throw new Error(`token answered ${token.status}: ${await token.text()}`);
  return (await token.json()) as Tokens;
}

/** A full code + PKCE flow for the public client; returns the token response. */
export async function loginPublic(s: RunningEmulator, scope = 'data:read'): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const redirectUri = PUBLIC.redirectUris[0] ?? '';
  const res = await consent(s, {
    client_id: PUBLIC.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const code = locationParams(res).get('code') ?? '';
  const token = await postForm(`${s.url}/authentication/v2/token`, {
    grant_type: 'authorization_code',
    client_id: PUBLIC.clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  if (token.status !== 200) throw new Error(`token answered ${token.status}: ${await token.text()}`);
  return (await token.json()) as Tokens;
}

export function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function decodeJwtHeader(token: string): Record<string, unknown> {
  const part = token.split('.')[0] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A raw HTTP request, so that any Host and Origin header can be sent. */
export function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string; headers: import('node:http').IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
