import type { Context } from 'hono';
import type { ClientStore } from './clients.js';
import type { Clock } from './clock.js';
import type { FaultQueue } from './faults.js';
import type { GrantStore } from './grants.js';
import type { KeyRing } from './keys.js';
import type { RateLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import type { TokenSigner } from './tokens.js';
import type { ClientAuthMethod, EmulatorUser } from './types.js';

/** What a handler tells the request log about a request (never secrets, never form bodies). */
export interface LogInfo {
  clientId?: string;
  grantType?: string;
  clientAuth?: ClientAuthMethod;
  error?: string;
}

export type AppEnv = { Variables: { log: LogInfo } };
export type AppContext = Context<AppEnv>;

/** Mutable settings (options, changed by the control API, restored by reset). */
export interface LiveSettings {
  autoApprove: boolean;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  codeLifetime: number;
}

/** Everything the routes share. */
export interface EmulatorDeps {
  clients: ClientStore;
  clock: Clock;
  grants: GrantStore;
  keys: KeyRing;
  signer: TokenSigner;
  log: RequestLog;
  faults: FaultQueue;
  rateLimiter: RateLimiter;
  settings: LiveSettings;
  user: EmulatorUser;
  issuer(c: AppContext): string;
  /** The emulator's own origin: the configured/bound base URL when known, else the request's origin. */
  ownOrigin(c: AppContext): string;
  dropConnection: ((env: unknown) => void) | undefined;
}
