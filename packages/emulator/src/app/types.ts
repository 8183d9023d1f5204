/** Grants a client may use at the token endpoint. */
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** A client (an "APS app") known to the emulator. No secret = public client. */
export interface ClientRegistration {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  grants?: GrantType[];
  name?: string;
}

/** A registered client as listed by the control API: never includes the secret. */
export interface ClientInfo {
  clientId: string;
  name: string;
  type: 'confidential' | 'public';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grants: GrantType[];
}

/** The signed-in test user. */
export interface EmulatorUser {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  userName: string;
}

export type RateLimitedEndpoint = 'token' | 'authorize' | 'introspect' | 'revoke';
export type RateLimits = Record<RateLimitedEndpoint, number>;

export type Endpoint =
  | 'authorize'
  | 'token'
  | 'revoke'
  | 'introspect'
  | 'userinfo'
  | 'keys'
  | 'logout'
  | 'discovery'
  | 'consent'
  | 'other';

export type ClientAuthMethod = 'basic' | 'body' | 'none' | 'both';

export interface RequestLogEntry {
  id: number;
  /** ISO time on the emulator clock. */
  time: string;
  method: string;
  path: string;
  endpoint: Endpoint;
  /** HTTP status; 0 when a fault dropped the connection. */
  status: number;
  clientId?: string;
  grantType?: string;
  clientAuth?: ClientAuthMethod;
  /** The OAuth `error`, gateway `errorCode`, `invalid_redirect_uri`, `fault` or `connection_dropped`. */
  error?: string;
  /** Present (true) while the request has arrived but not been answered yet; status is 0 until then. */
  pending?: true;
}

/** An injected failure for the next `times` calls of an endpoint. */
export interface Fault {
  endpoint: Endpoint;
  times?: number;
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  drop?: boolean;
}

export interface EmulatorOptions {
  clients?: ClientRegistration[];
  autoApprove?: boolean;
  user?: EmulatorUser;
  /** Seconds; `expires_in` is this minus 1 (APS: 3600 -> 3599). */
  accessTokenLifetime?: number;
  refreshTokenLifetime?: number;
  codeLifetime?: number;
  /** Requests per client per minute; `false` disables rate limiting. */
  rateLimits?: Partial<RateLimits> | false;
  /** Serve the control API under `/__emulator/`. */
  control?: boolean;
  /**
   * `iss` of tokens and discovery; defaults to `baseUrl` when known, else the origin the request was made to
   * (which follows the request's `Host` header).
   */
  issuer?: string;
  /**
   * The emulator's own base URL, or a function that returns it (`undefined` while unknown). When known, it is
   * the default `issuer`, the base of discovery's endpoint URLs and the only `Origin` the control API accepts,
   * whatever `Host` a request carries. `startEmulator` sets it to the bound URL (unless it listens on a
   * wildcard address such as `0.0.0.0`). Default: the origin each request was made to.
   * When known, a request whose `Host` header names anything else (another loopback name for a loopback base
   * excepted) is answered 421: that is how DNS rebinding shows.
   */
  baseUrl?: string | (() => string | undefined);
  /**
   * Host names (without port) accepted in the `Host` header besides the own origin's, e.g. a container's
   * service name. While `baseUrl` is unknown, giving this list (even empty) turns the `Host` check on: then
   * only an IP address, `localhost` or a listed name is answered, and the own origin is that request's origin.
   * `startEmulator` on a wildcard address passes `[]` when none is given. Default: none, no check while
   * `baseUrl` is unknown.
   */
  allowedHosts?: string[];
  /** Base clock in ms; the control clock offsets it. */
  now?: () => number;
  /**
   * Called by a `drop` fault with the runtime's per-request env (the Node server passes its bindings)
   * to destroy the connection. Without it, a `drop` fault makes `fetch()` reject.
   */
  dropConnection?: (env: unknown) => void;
  /** Called as each request arrives (before faults and delays), with its pending log entry. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface Settings {
  autoApprove?: boolean;
  accessTokenLifetime?: number;
}

export interface KeyRotation {
  /** The `kid` that signs from now on. */
  kid: string;
  /** Every published `kid`, current first. */
  kids: string[];
}

export interface ClockState {
  now: string;
  offsetSeconds: number;
}

export interface EmulatorControl {
  registerClient(reg: ClientRegistration): ClientInfo;
  removeClient(clientId: string): boolean;
  listClients(): ClientInfo[];
  requests(): RequestLogEntry[];
  clearRequests(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Emulator time in ms. */
  now(): number;
  advanceClock(seconds: number): ClockState;
  clock(): ClockState;
  setAutoApprove(on: boolean): void;
  setAccessTokenLifetime(seconds: number): void;
  /** A new signing key; the previous ones stay published (and verify old tokens) unless `keepPrevious: false`. */
  rotateKeys(options?: { keepPrevious?: boolean }): Promise<KeyRotation>;
  reset(): void;
}
