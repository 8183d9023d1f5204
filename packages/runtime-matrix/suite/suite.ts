/**
 * The runtime matrix's suite: core's "." entry against a real emulator, with assertions that run inside the
 * runtime under test. It is bundled once (esbuild) and loaded as is by Node 22 and 24, Deno, Bun, workerd and
 * Chromium. It uses Web APIs only: no test framework, no `node:` module, no Node global.
 */
import {
  checkCallback,
  computeCodeChallenge,
  createAuthorizationRequest,
  exchangeCode,
  getTwoLeggedToken,
  parseCallback,
  refreshToken,
  type Token,
} from '@aps-auth/core';
import { check, checkEqual, checkRejects } from './check.js';
import { relayEnvelope } from './relay.js';

/** What the harness hands to the runtime: where the emulator is and the apps it registered. */
export interface SuiteInput {
  /** The emulator's base URL, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** A public app (PKCE, no secret) and its registered callback URL. */
  publicClient: { clientId: string; redirectUri: string };
  /** A confidential app, for the two-legged token. */
  confidentialClient: { clientId: string; clientSecret: string };
}

/** How the runtime follows the authorize URL to the redirect back; a browser page asks its harness. */
export type FollowAuthorize = (url: string) => Promise<string>;

export interface CaseResult {
  name: string;
  ok: boolean;
  /** The failed check's message (or the thrown error's name, code and message). */
  error?: string;
}

interface Context {
  input: SuiteInput;
  followAuthorize: FollowAuthorize;
  request?: { url: string; state: string; codeVerifier: string };
  code?: string;
  token?: Token;
}

export const SCOPES = ['data:read', 'viewables:read'];

function config(input: SuiteInput) {
  return {
    clientId: input.publicClient.clientId,
    redirectUri: input.publicClient.redirectUri,
    scopes: SCOPES,
    baseUrl: input.baseUrl,
  };
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing: an earlier case failed`);
  return value;
}

/** The redirect back, without following it: servers answer 302 with the callback URL in `Location`. */
export async function followWithFetch(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`authorize answered ${response.status}, not a redirect back`);
  }
  return location;
}

async function authorizationRequest(ctx: Context): Promise<void> {
  const request = await createAuthorizationRequest(config(ctx.input));
  const params = new URL(request.url).searchParams;
  checkEqual(new URL(request.url).origin, ctx.input.baseUrl, 'authorize origin');
  checkEqual(params.get('response_type'), 'code', 'response_type');
  checkEqual(params.get('client_id'), ctx.input.publicClient.clientId, 'client_id');
  checkEqual(params.get('redirect_uri'), ctx.input.publicClient.redirectUri, 'redirect_uri');
  checkEqual(params.get('scope'), SCOPES.join(' '), 'scope');
  checkEqual(params.get('state'), request.state, 'state');
  check(/^[A-Za-z0-9_-]{43}$/.test(request.state), 'state is 256 random bits, base64url');
  check(/^[A-Za-z0-9._~-]{43,128}$/.test(request.codeVerifier), 'the verifier has the RFC 7636 form');
  checkEqual(params.get('code_challenge_method'), 'S256', 'code_challenge_method');
  checkEqual(
    params.get('code_challenge'),
    await computeCodeChallenge(request.codeVerifier),
    'code_challenge',
  );
  const again = await createAuthorizationRequest(config(ctx.input));
  check(
    again.state !== request.state && again.codeVerifier !== request.codeVerifier,
    'fresh state and verifier',
  );
  ctx.request = request;
}

async function callbackParsing(ctx: Context): Promise<void> {
  const request = need(ctx.request, 'the authorization request');
  const location = await ctx.followAuthorize(request.url);
  checkEqual(location.split('?')[0], ctx.input.publicClient.redirectUri, 'the redirect goes to the callback');
  const forged = checkCallback(config(ctx.input), location, { state: `${request.state.slice(1)}x` });
  checkEqual(forged.kind === 'refused' ? forged.reason : forged.kind, 'STATE_MISMATCH', 'a wrong state');
  const denied = checkCallback(config(ctx.input), `?error=access_denied&state=${request.state}`, {
    state: request.state,
  });
  checkEqual(
    denied.kind === 'error' ? denied.error.code : denied.kind,
    'AUTHORIZATION_RESPONSE_ERROR',
    'denied',
  );
  const checked = checkCallback(config(ctx.input), location, { state: request.state });
  checkEqual(checked.kind, 'code', 'checkCallback on the real redirect');
  const { code } = parseCallback(config(ctx.input), location, { state: request.state });
  check(code.length > 0 && checked.kind === 'code' && checked.result.code === code, 'the same code');
  ctx.code = code;
}

async function codeExchange(ctx: Context): Promise<void> {
  const request = need(ctx.request, 'the authorization request');
  const code = need(ctx.code, 'the code');
  const token = await exchangeCode(config(ctx.input), { code, codeVerifier: request.codeVerifier });
  check(token.accessToken.length > 0, 'an access token');
  checkEqual(token.tokenType, 'Bearer', 'token type');
  check(typeof token.refreshToken === 'string' && token.refreshToken.length > 0, 'a refresh token');
  checkEqual(token.scopes.join(' '), SCOPES.join(' '), 'scopes');
  check(token.expiresAt > token.issuedAt, 'expiresAt after issuedAt');
  // The code is single-use: a second exchange is refused with the OAuth error of the token endpoint.
  await checkRejects(exchangeCode(config(ctx.input), { code, codeVerifier: request.codeVerifier }), {
    code: 'OAUTH_ERROR',
    error: 'invalid_grant',
  });
  ctx.token = token;
}

async function refresh(ctx: Context): Promise<void> {
  const first = need(ctx.token, 'the token');
  const oldRefreshToken = need(first.refreshToken, 'the refresh token');
  const second = await refreshToken(config(ctx.input), { refreshToken: oldRefreshToken });
  check(second.accessToken !== first.accessToken, 'a new access token');
  check(typeof second.refreshToken === 'string' && second.refreshToken !== oldRefreshToken, 'rotated');
  checkEqual(second.scopes.join(' '), SCOPES.join(' '), 'scopes');
  await checkRejects(refreshToken(config(ctx.input), { refreshToken: oldRefreshToken }), {
    code: 'SIGN_IN_REQUIRED',
    reason: 'refresh_rejected',
  });
}

async function twoLegged(ctx: Context): Promise<void> {
  const { clientId, clientSecret } = ctx.input.confidentialClient;
  const base = { clientId, scopes: ['data:read'], baseUrl: ctx.input.baseUrl };
  const token = await getTwoLeggedToken({ ...base, clientSecret });
  check(token.accessToken.length > 0, 'an access token');
  checkEqual(token.refreshToken, undefined, 'no refresh token');
  checkEqual(token.scopes.join(' '), 'data:read', 'scopes');
  await checkRejects(getTwoLeggedToken({ ...base, clientSecret: 'wrong' }), {
    code: 'OAUTH_ERROR',
    error: 'invalid_client',
  });
}

/** The cases, in order (each builds on the one before). Their names are what the harness expects back. */
export const CASES: ReadonlyArray<{ name: string; run: (ctx: Context) => Promise<void> }> = [
  { name: 'authorization request with PKCE S256 and state', run: authorizationRequest },
  { name: 'callback parsing (parseCallback, checkCallback)', run: callbackParsing },
  { name: 'code exchange (the code is single-use)', run: codeExchange },
  { name: 'refresh rotates and the old refresh token is dead', run: refresh },
  { name: 'two-legged token', run: twoLegged },
  { name: 'relay envelope (createRelayPairing opens what the web app seals)', run: relayEnvelope },
];

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
}

/** Runs every case in order and reports each one; never throws. */
export async function runSuite(
  input: SuiteInput,
  followAuthorize: FollowAuthorize = followWithFetch,
): Promise<CaseResult[]> {
  const ctx: Context = { input, followAuthorize };
  const results: CaseResult[] = [];
  for (const testCase of CASES) {
    try {
      await testCase.run(ctx);
      results.push({ name: testCase.name, ok: true });
    } catch (error) {
      results.push({ name: testCase.name, ok: false, error: describeError(error) });
    }
  }
  return results;
}
