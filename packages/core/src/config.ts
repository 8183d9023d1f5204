import { ConfigurationError } from './errors/configuration-error.js';
import { normalizeBaseUrl, validateBaseUrl } from './inputs/base-url.js';
import { validateCallbackUrl } from './inputs/callback-url.js';
import { unwrap } from './inputs/input-label.js';
import { normalizeScopes } from './scopes.js';

/** The APS authentication host. */
export const APS_BASE_URL = 'https://developer.api.autodesk.com';
/** APS serves userinfo from another host. */
export const APS_USERINFO_URL = 'https://api.userprofile.autodesk.com/userinfo';

/** Every server URL core talks to or sends a browser to. */
export interface Endpoints {
  authorize: string;
  token: string;
  revoke: string;
  introspect: string;
  logout: string;
  keys: string;
  userinfo: string;
}

/** A `fetch`-compatible function (the platform's `fetch` by default). */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Starts a timer: calls `onExpire` once, `ms` milliseconds from now, unless the returned function cancels it
 * first. Every timeout core keeps (each HTTP request's, a login's) is started through one, so that a test or a
 * host with its own scheduler decides when time is up. Default: the platform's `setTimeout`.
 */
export type SetTimer = (ms: number, onExpire: () => void) => () => void;

/** The platform's `setTimeout` as a `SetTimer`. */
export const platformTimer: SetTimer = (ms, onExpire) => {
  const timer = setTimeout(onExpire, ms);
  return () => clearTimeout(timer);
};

/** What an application configures once. Only `clientId` is required. */
export interface ApsAuthConfig {
  /** The APS app's client id. */
  clientId: string;
  /** The secret of a confidential app; absent means a public app (PKCE only, `client_id` in the body). */
  clientSecret?: string | undefined;
  /** The registered callback URL (needed to authorize and to exchange a code). */
  redirectUri?: string | undefined;
  /** Default scopes: a space-separated string or an array (1 to 50). */
  scopes?: string | readonly string[] | undefined;
  /**
   * Moves every endpoint to another server (the emulator, a staging host). Default APS.
   * Anything but APS serves userinfo at `{baseUrl}/userinfo`.
   */
  baseUrl?: string | undefined;
  /** Override single endpoints (after `baseUrl` is applied). */
  endpoints?: Partial<Endpoints> | undefined;
  /** Expected issuer (`iss` of the callback and of id tokens). Default: APS's, or `baseUrl` for another server. */
  issuer?: string | undefined;
  /** Per-attempt timeout of each HTTP request in milliseconds. Default 30000. */
  timeoutMs?: number | undefined;
  /** Retries of userinfo, keys and client credentials on 429/5xx. Code exchange and refresh are never retried. */
  retry?: { limit?: number | undefined; maxRetryAfterMs?: number | undefined } | undefined;
  /** Injected `fetch` (tests, instrumentation, runtimes without a global). */
  fetch?: FetchLike | undefined;
  /** Injected clock in milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Injected timer for the request timeouts (and a login's deadline). Default `setTimeout`. */
  setTimer?: SetTimer | undefined;
  /** `User-Agent` header; `false` sends none. Default `aps-auth-core` outside browsers, none inside. */
  userAgent?: string | false | undefined;
}

/** A validated configuration with every default applied. The secret is a non-enumerable property. */
export interface ResolvedConfig {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly redirectUri: string | undefined;
  readonly scopes: readonly string[] | undefined;
  readonly endpoints: Readonly<Endpoints>;
  readonly issuer: string;
  readonly timeoutMs: number;
  readonly retryLimit: number;
  readonly maxRetryAfterMs: number;
  readonly fetch: FetchLike | undefined;
  readonly now: () => number;
  readonly setTimer: SetTimer;
  readonly userAgent: string | undefined;
}

const RESOLVED = Symbol.for('aps-auth.resolved-config');

function absoluteUrl(value: unknown, field: string): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(field, `${field} must be an absolute http(s) URL.`);
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    // The value is not echoed: a swapped setting (a secret where a URL belongs) would be printed.
    throw new ConfigurationError(field, `${field} is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(field, `${field} must use http or https.`);
  }
  return url;
}

// Timers cannot wait longer than 2^31 - 1 ms.
const MAX_MS = 2_147_483_647;

function positive(value: unknown, field: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_MS;
  if (!ok || (!allowZero && value === 0)) {
    throw new ConfigurationError(
      field,
      `${field} must be a ${allowZero ? 'non-negative' : 'positive'} number no greater than ${MAX_MS}.`,
    );
  }
  return value;
}

/**
 * Node, Deno and Bun (or a runtime without `navigator`): a `User-Agent` is sent there. Browsers and their
 * workers send none: it is not a CORS-safelisted header and would force a preflight.
 */
function isServerRuntime(): boolean {
  const nav = (globalThis as { navigator?: { userAgent?: unknown } }).navigator;
  if (nav === undefined) return true;
  return typeof nav.userAgent === 'string' && /^(Node\.js|Deno|Bun)\//.test(nav.userAgent);
}

/** Validates a configuration and applies every default. Idempotent; the other functions call it. */
export function resolveConfig(config: ApsAuthConfig | ResolvedConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigurationError('config', 'A configuration object is required.');
  }
  if ((config as unknown as Record<symbol, unknown>)[RESOLVED] === true) return config as ResolvedConfig;
  const c = config as ApsAuthConfig;
  if (typeof c.clientId !== 'string' || c.clientId.trim() === '') {
    throw new ConfigurationError(
      'clientId',
      'clientId is required: the client id of your APS app (APS_CLIENT_ID).',
    );
  }
  if (c.clientSecret !== undefined && (typeof c.clientSecret !== 'string' || c.clientSecret === '')) {
    throw new ConfigurationError(
      'clientSecret',
      'clientSecret must be a non-empty string or absent (public app).',
    );
  }
  // Kept exactly as given (trimmed): APS compares the callback URL as a string.
  const redirectUri = c.redirectUri === undefined ? undefined : unwrap(validateCallbackUrl(c.redirectUri));
  // The library takes any http(s) server it is given; the Node front ends require https (`loadConfig`).
  const base =
    c.baseUrl === undefined
      ? APS_BASE_URL
      : normalizeBaseUrl(new URL(unwrap(validateBaseUrl(c.baseUrl, undefined, { allowHttp: true }))).href);
  const isAps = base === APS_BASE_URL;
  const endpoints: Endpoints = {
    authorize: `${base}/authentication/v2/authorize`,
    token: `${base}/authentication/v2/token`,
    revoke: `${base}/authentication/v2/revoke`,
    introspect: `${base}/authentication/v2/introspect`,
    logout: `${base}/authentication/v2/logout`,
    keys: `${base}/authentication/v2/keys`,
    userinfo: isAps ? APS_USERINFO_URL : `${base}/userinfo`,
  };
  for (const [name, value] of Object.entries(c.endpoints ?? {})) {
    if (!(name in endpoints))
      throw new ConfigurationError(`endpoints.${name}`, `Unknown endpoint "${name}".`);
    if (value !== undefined)
      endpoints[name as keyof Endpoints] = absoluteUrl(value, `endpoints.${name}`).href;
  }
  if (c.fetch !== undefined && typeof c.fetch !== 'function') {
    throw new ConfigurationError('fetch', 'fetch must be a function.');
  }
  if (c.now !== undefined && typeof c.now !== 'function') {
    throw new ConfigurationError('now', 'now must be a function returning milliseconds.');
  }
  if (c.setTimer !== undefined && typeof c.setTimer !== 'function') {
    throw new ConfigurationError(
      'setTimer',
      'setTimer must be a function (ms, onExpire) returning a cancel function.',
    );
  }
  const resolved: ResolvedConfig = {
    clientId: c.clientId.trim(),
    clientSecret: undefined,
    redirectUri,
    scopes: c.scopes === undefined ? undefined : Object.freeze(normalizeScopes(c.scopes)),
    endpoints: Object.freeze(endpoints),
    issuer: c.issuer ?? base,
    timeoutMs: positive(c.timeoutMs, 'timeoutMs', 30_000),
    retryLimit: Math.floor(positive(c.retry?.limit, 'retry.limit', 2, true)),
    maxRetryAfterMs: positive(c.retry?.maxRetryAfterMs, 'retry.maxRetryAfterMs', 20_000, true),
    fetch: c.fetch,
    now: c.now ?? Date.now,
    setTimer: c.setTimer ?? platformTimer,
    userAgent:
      c.userAgent === false ? undefined : (c.userAgent ?? (isServerRuntime() ? 'aps-auth-core' : undefined)),
  };
  // Non-enumerable so that logging or serialising a resolved configuration never prints the secret.
  Object.defineProperty(resolved, 'clientSecret', { value: c.clientSecret, enumerable: false });
  Object.defineProperty(resolved, RESOLVED, { value: true, enumerable: false });
  return Object.freeze(resolved);
}

/** The redirect URI, or a configuration error naming it. */
export function requireRedirectUri(config: ResolvedConfig, override?: string): string {
  if (override !== undefined)
    return resolveConfig({ clientId: config.clientId, redirectUri: override }).redirectUri!;
  if (config.redirectUri === undefined) {
    throw new ConfigurationError(
      'redirectUri',
      'redirectUri is required: the callback URL registered for your APS app.',
    );
  }
  return config.redirectUri;
}
