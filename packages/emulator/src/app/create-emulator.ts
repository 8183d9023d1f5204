import { Hono } from 'hono';
import { ClientStore } from './clients.js';
import { createClock } from './clock.js';
import type { AppContext, AppEnv, EmulatorDeps, LiveSettings, LogInfo } from './context.js';
import { createControl, validateLifetime } from './control.js';
import { corsMethodOf, withCorsHeaders } from './cors.js';
import { FaultQueue } from './faults.js';
import { GrantStore } from './grants.js';
import { KeyRing } from './keys.js';
import { createGate, createLogAndFault, DroppedConnectionError, isControlPath } from './middleware.js';
import { RateLimiter, resolveRateLimits } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { registerAuthorizeRoute } from './routes/authorize.js';
import { registerConsentRoute } from './routes/consent.js';
import { registerControlRoutes } from './routes/control.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerIntrospectRoute } from './routes/introspect.js';
import { registerLogoutRoute } from './routes/logout.js';
import { registerRevokeRoute } from './routes/revoke.js';
import { registerTokenRoute } from './routes/token.js';
import { registerUserinfoRoute } from './routes/userinfo.js';
import { TokenSigner } from './tokens.js';
import type { EmulatorControl, EmulatorOptions, EmulatorUser } from './types.js';

export { DroppedConnectionError } from './middleware.js';

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

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new TypeError(`${name} must be a positive integer number of seconds`);
  return v;
}

/**
 * The emulator's own origin: `baseUrl` when known (read per request: the Node server learns it once listening),
 * else the origin of the request (whose `Host` the gate has checked when `allowedHosts` is given).
 */
function resolveOwnOrigin(options: EmulatorOptions) {
  const configuredBase = options.baseUrl;
  if (typeof configuredBase === 'string' && !URL.canParse(configuredBase)) {
    throw new TypeError('baseUrl must be an absolute URL');
  }
  const allowedHosts = options.allowedHosts;
  if (allowedHosts !== undefined && !allowedHosts.every((h) => typeof h === 'string' && h !== '')) {
    throw new TypeError('allowedHosts must be a list of host names');
  }
  const configuredBaseUrl = (): string | undefined =>
    typeof configuredBase === 'function' ? configuredBase() : configuredBase;
  const ownOrigin = (c: AppContext): string => {
    const base = configuredBaseUrl();
    return base === undefined ? new URL(c.req.url).origin : new URL(base).origin;
  };
  return { configuredBaseUrl, ownOrigin, allowedHosts };
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
  const { configuredBaseUrl, ownOrigin, allowedHosts } = resolveOwnOrigin(options);
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
  const gate = createGate({ baseUrl: configuredBaseUrl, allowedHosts, controlEnabled, ownOrigin });
  const logAndFault = createLogAndFault(deps, options.onRequest);
  app.use('*', async (c, next) => {
    const info: LogInfo = {};
    c.set('log', info);
    const path = new URL(c.req.url).pathname;
    const gated = gate(c, path);
    if (gated) return gated;
    if (isControlPath(path)) return next();
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
