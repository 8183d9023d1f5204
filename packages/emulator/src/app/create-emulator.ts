import { Hono, type Next } from 'hono';
import { ClientStore } from './clients.js';
import { createClock } from './clock.js';
import type { AppContext, AppEnv, EmulatorDeps, LiveSettings, LogInfo } from './context.js';
import { createControl, validateLifetime } from './control.js';
import { corsMethodOf, preflightResponse, withCorsHeaders } from './cors.js';
import { FaultQueue } from './faults.js';
import { GrantStore } from './grants.js';
import { isOwnHost, misdirectedBody } from './host-check.js';
import { KeyRing } from './keys.js';
import { RateLimiter, resolveRateLimits } from './rate-limit.js';
import { endpointOf, RequestLog } from './request-log.js';
import { registerAuthorizeRoute } from './routes/authorize.js';
import { registerConsentRoute } from './routes/consent.js';
import { refuseForeignControlRequest, registerControlRoutes } from './routes/control.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerIntrospectRoute } from './routes/introspect.js';
import { registerLogoutRoute } from './routes/logout.js';
import { registerRevokeRoute } from './routes/revoke.js';
import { registerTokenRoute } from './routes/token.js';
import { registerUserinfoRoute } from './routes/userinfo.js';
import { TokenSigner } from './tokens.js';
import type { EmulatorControl, EmulatorOptions, EmulatorUser, Fault } from './types.js';

export const DEFAULT_USER: EmulatorUser = {
  userId: 'EMU7TESTUSER',
  email: 'ada.lovelace@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  userName: 'ada.lovelace',
};

export interface Emulator {
  app: Hono<AppEnv>;
  fetch(request: Request, env?: unknown): Promise<Response>;
  control: EmulatorControl;
}

/** Thrown out of `fetch()` by a `drop` fault when no runtime hook can destroy the connection. */
export class DroppedConnectionError extends Error {
  constructor() {
    super('connection dropped by an emulator fault');
    this.name = 'DroppedConnectionError';
  }
}

const NULL_BODY_STATUS = [101, 204, 205, 304];

function faultResponse(fault: Fault & { status: number }): Response {
  const headers = new Headers(fault.headers);
  const body = NULL_BODY_STATUS.includes(fault.status) ? null : (fault.body ?? null);
  if (body !== null && !headers.has('content-type')) {
    headers.set('content-type', `${fault.contentType ?? 'application/json'}; charset=UTF-8`);
  }
  return new Response(body, { status: fault.status, headers });
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new TypeError(`${name} must be a positive integer number of seconds`);
  return v;
}

/** Builds the emulator: a Hono app on Web APIs only, with its in-memory state and control surface. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = createClock(options.now ?? Date.now);
  const settings: LiveSettings = {
    autoApprove: options.autoApprove ?? false,
    accessTokenLifetime: validateLifetime(options.accessTokenLifetime ?? 3600),
    refreshTokenLifetime: positiveInt('refreshTokenLifetime', options.refreshTokenLifetime, 15 * 86400),
    codeLifetime: positiveInt('codeLifetime', options.codeLifetime, 300),
  };
  const keys = await KeyRing.create();
  const configuredBase = options.baseUrl;
  if (typeof configuredBase === 'string' && !URL.canParse(configuredBase)) {
    throw new TypeError('baseUrl must be an absolute URL');
  }
  const configuredBaseUrl = (): string | undefined =>
    typeof configuredBase === 'function' ? configuredBase() : configuredBase;
  const ownOrigin = (c: AppContext): string => {
    const base = configuredBaseUrl();
    return base === undefined ? new URL(c.req.url).origin : new URL(base).origin;
  };
  const allowedHosts = options.allowedHosts;
  if (allowedHosts !== undefined && !allowedHosts.every((h) => typeof h === 'string' && h !== '')) {
    throw new TypeError('allowedHosts must be a list of host names');
  }
  const deps: EmulatorDeps = {
    clients: new ClientStore(),
    clock,
    grants: new GrantStore(),
    keys,
    signer: new TokenSigner(keys),
    log: new RequestLog(),
    faults: new FaultQueue(),
    rateLimiter: new RateLimiter(resolveRateLimits(options.rateLimits), clock.now),
    settings,
    user: options.user ?? DEFAULT_USER,
    issuer: (c) => options.issuer ?? ownOrigin(c),
    ownOrigin,
    dropConnection: options.dropConnection,
  };
  const initialClients = options.clients ?? [];
  for (const reg of initialClients) deps.clients.register(reg);
  const control = createControl(deps, {
    clients: initialClients,
    autoApprove: settings.autoApprove,
    accessTokenLifetime: settings.accessTokenLifetime,
  });
  const controlEnabled = options.control ?? true;

  const app = new Hono<AppEnv>();
  /** What is answered before the request log and faults: favicon, foreign Host, control API gate, preflights. */
  const gate = (c: AppContext, path: string): Response | undefined => {
    // Browsers ask for it on every page; answering it quietly keeps the request log about the protocol.
    if (path === '/favicon.ico') return c.body(null, 204);
    const host = c.req.header('host');
    const base = configuredBaseUrl();
    if (host !== undefined && !isOwnHost(host, { base, allowedHosts })) {
      return c.json(misdirectedBody(host, base), 421);
    }
    if (path === '/__emulator' || path.startsWith('/__emulator/')) {
      if (!controlEnabled) return c.json({ error: 'not_found' }, 404);
      return refuseForeignControlRequest(c, ownOrigin(c));
    }
    const corsMethod = corsMethodOf(path);
    if (corsMethod !== undefined && c.req.method === 'OPTIONS') return preflightResponse(corsMethod);
    return undefined;
  };
  /** Logs the request on arrival, applies a fault if one is queued, else runs the real handler. */
  const logAndFault = async (c: AppContext, next: Next, path: string): Promise<Response | undefined> => {
    const info = c.get('log');
    const endpoint = endpointOf(path);
    const time = new Date(clock.now()).toISOString();
    const { id } = deps.log.start({ time, method: c.req.method, path, endpoint });
    const arrived = deps.log.list().find((e) => e.id === id);
    if (arrived) options.onRequest?.(arrived);
    const record = (status: number) => deps.log.finish(id, { status, ...info });
    const fault = deps.faults.take(endpoint);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.drop) {
      info.error = 'connection_dropped';
      record(0);
      if (!deps.dropConnection) throw new DroppedConnectionError();
      deps.dropConnection(c.env);
      return new Response(null, { status: 500 });
    }
    if (fault?.status !== undefined) {
      const res = faultResponse({ ...fault, status: fault.status });
      info.error = 'fault';
      record(res.status);
      return res;
    }
    try {
      await next();
    } finally {
      record(c.res.status);
    }
    return undefined;
  };
  app.use('*', async (c, next) => {
    const info: LogInfo = {};
    c.set('log', info);
    const path = new URL(c.req.url).pathname;
    const gated = gate(c, path);
    if (gated) return gated;
    if (path === '/__emulator' || path.startsWith('/__emulator/')) return next();
    const res = await logAndFault(c, next, path);
    if (res) c.res = res;
    // Faults and errors carry CORS too, so that a browser app sees the status instead of a network error.
    if (corsMethodOf(path) !== undefined) c.res = withCorsHeaders(c.res);
  });
  registerAuthorizeRoute(app, deps);
  registerConsentRoute(app, deps);
  registerTokenRoute(app, deps);
  registerRevokeRoute(app, deps);
  registerIntrospectRoute(app, deps);
  registerUserinfoRoute(app, deps);
  registerLogoutRoute(app, deps);
  registerDiscoveryRoutes(app, deps);
  if (controlEnabled) registerControlRoutes(app, control);
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  app.onError((err, c) => {
    if (err instanceof DroppedConnectionError) throw err;
    console.error('aps-auth-emulator: internal error', err);
    return c.json({ error: 'server_error', error_description: 'Internal emulator error' }, 500);
  });

  return {
    app,
    control,
    fetch: async (request, env) => app.fetch(request, env),
  };
}
