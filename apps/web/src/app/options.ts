import { type ApsAuthConfig, ConfigurationError, type ResolvedConfig, resolveConfig } from '@aps-auth/core';
import { createSecurityHeaders, type SecurityHeaders } from './security-headers.js';
import { MemorySessionStore, type SessionStore } from './session-store.js';

/** One line for the operator's log. Never carries a token, a code, a verifier or a secret. */
export interface WebLogEvent {
  level: 'info' | 'warn' | 'error';
  /** A stable code for the event (`sign_in_completed`, `exchange_failed`, `revocation_failed`, ...). */
  event: string;
  message: string;
}

export interface WebAppOptions {
  /**
   * The APS app. `redirectUri` is required: its path must end with `/api/auth/callback`. `scopes` default to
   * `data:read viewables:read user-profile:read`.
   */
  config: ApsAuthConfig;
  /** The key that signs the cookies (HMAC-SHA256): at least 32 characters, random, kept secret. */
  sessionSecret: string;
  /** Server-side state. Default: in memory (one instance). */
  store?: SessionStore | undefined;
  /** How long a session lasts after sign-in, in seconds. Default 14 days (APS refresh tokens live 15). */
  sessionTtlSeconds?: number | undefined;
  /** How long a started sign-in may take, in seconds. Default 600. */
  signInTtlSeconds?: number | undefined;
  /** The scopes of the token `GET /api/auth/token` hands to the Viewer. Default `viewables:read`. */
  viewerScopes?: string | undefined;
  /** Sign out of Autodesk too on every logout (else only when the form asks, `aps=1`). Default false. */
  logoutThroughAps?: boolean | undefined;
  /** How long a terminal's relay pairing lives, in seconds. Default 600. */
  relayTtlSeconds?: number | undefined;
  /** Relay pairings created per minute, at most: counted in the session store, so shared by every instance. Default 30. */
  relayRateLimit?: number | undefined;
  /** A label shown on every page (the bin sets it when it runs against the embedded emulator). */
  banner?: string | undefined;
  /** Where operator events go. Default: nowhere. */
  log?: ((event: WebLogEvent) => void) | undefined;
}

/** Everything the routes need, validated once. */
export interface WebDeps {
  config: ResolvedConfig;
  redirectUri: string;
  /** The app's own origin (from the callback URL): the only `Origin` a logout is accepted from. */
  origin: string;
  secure: boolean;
  /** The security headers of every answer (see `security-headers.ts`). */
  headers: SecurityHeaders;
  sessionSecret: string;
  store: SessionStore;
  sessionTtlMs: number;
  signInTtlMs: number;
  relayTtlMs: number;
  relayRateLimit: number;
  viewerScopes: string;
  logoutThroughAps: boolean;
  banner: string | undefined;
  log: (event: WebLogEvent) => void;
  now: () => number;
}

export const CALLBACK_PATH = '/api/auth/callback';
/** Scopes asked at sign-in when the configuration names none: the Viewer's, data, and the profile. */
export const DEFAULT_SCOPES = 'data:read viewables:read user-profile:read';
export const MIN_SECRET_LENGTH = 32;

function seconds(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > 400 * 86_400) {
    throw new ConfigurationError(field, `${field} must be a whole number of seconds between 1 and 400 days.`);
  }
  return value;
}

/** Validates the options; throws core's `ConfigurationError` (code `CONFIGURATION_ERROR`, with `field`). */
export function resolveWebOptions(options: WebAppOptions): WebDeps {
  const config = resolveConfig({ ...options.config, scopes: options.config.scopes ?? DEFAULT_SCOPES });
  const redirectUri = config.redirectUri;
  if (redirectUri === undefined) {
    throw new ConfigurationError(
      'redirectUri',
      'The callback URL is required (APS_CALLBACK_URL), e.g. https://auth.example.com/api/auth/callback.',
    );
  }
  const callback = new URL(redirectUri);
  if (!callback.pathname.endsWith(CALLBACK_PATH)) {
    throw new ConfigurationError(
      'redirectUri',
      `The callback URL's path must end with ${CALLBACK_PATH} (the route this app answers); register that URL for your APS app.`,
    );
  }
  if (typeof options.sessionSecret !== 'string' || options.sessionSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(
      'sessionSecret',
      `The session secret (SESSION_SECRET) must be at least ${MIN_SECRET_LENGTH} characters; generate one with \`openssl rand -base64 48\`.`,
    );
  }
  const viewerScopes = options.viewerScopes ?? 'viewables:read';
  const secure = callback.protocol === 'https:';
  return {
    config,
    redirectUri,
    origin: callback.origin,
    secure,
    headers: createSecurityHeaders({ logoutUrl: config.endpoints.logout, secure }),
    sessionSecret: options.sessionSecret,
    store: options.store ?? new MemorySessionStore({ now: config.now }),
    sessionTtlMs: seconds(options.sessionTtlSeconds, 'sessionTtlSeconds', 14 * 86_400) * 1000,
    signInTtlMs: seconds(options.signInTtlSeconds, 'signInTtlSeconds', 600) * 1000,
    relayTtlMs: seconds(options.relayTtlSeconds, 'relayTtlSeconds', 600) * 1000,
    relayRateLimit: seconds(options.relayRateLimit, 'relayRateLimit', 30),
    viewerScopes,
    logoutThroughAps: options.logoutThroughAps === true,
    banner: options.banner,
    log: options.log ?? (() => undefined),
    now: config.now,
  };
}
