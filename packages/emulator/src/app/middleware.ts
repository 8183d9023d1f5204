import type { Next } from 'hono';
import type { AppContext, EmulatorDeps } from './context.js';
import { corsMethodOf, preflightResponse } from './cors.js';
import { isOwnHost, misdirectedBody } from './host-check.js';
import { endpointOf } from './request-log.js';
import { refuseForeignControlRequest } from './routes/control.js';
import type { Fault, RequestLogEntry } from './types.js';

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

export function isControlPath(path: string): boolean {
  return path === '/__emulator' || path.startsWith('/__emulator/');
}

export interface GateOptions {
  /** The own base URL when known (read per request: the Node server learns it once listening). */
  baseUrl: () => string | undefined;
  allowedHosts: readonly string[] | undefined;
  controlEnabled: boolean;
  ownOrigin: (c: AppContext) => string;
}

/**
 * What is answered before the request log and faults: the favicon, a foreign `Host` (DNS rebinding), the
 * control API's gate (switched off, foreign `Origin`, non-JSON body) and CORS preflights.
 */
export function createGate(options: GateOptions): (c: AppContext, path: string) => Response | undefined {
  return (c, path) => {
    // Browsers ask for it on every page; answering it quietly keeps the request log about the protocol.
    if (path === '/favicon.ico') return c.body(null, 204);
    const host = c.req.header('host');
    const base = options.baseUrl();
    if (host !== undefined && !isOwnHost(host, { base, allowedHosts: options.allowedHosts })) {
      return c.json(misdirectedBody(host, base), 421);
    }
    if (isControlPath(path)) {
      if (!options.controlEnabled) return c.json({ error: 'not_found' }, 404);
      return refuseForeignControlRequest(c, options.ownOrigin(c));
    }
    const corsMethod = corsMethodOf(path);
    if (corsMethod !== undefined && c.req.method === 'OPTIONS') return preflightResponse(corsMethod);
    return undefined;
  };
}

/**
 * Logs a request on arrival, then applies a queued fault (delay, drop, or an answer of its own) or runs the
 * real handler. Returns the fault's response, if any.
 */
export function createLogAndFault(
  deps: EmulatorDeps,
  onRequest: ((entry: RequestLogEntry) => void) | undefined,
): (c: AppContext, next: Next, path: string) => Promise<Response | undefined> {
  return async (c, next, path) => {
    const info = c.get('log');
    const endpoint = endpointOf(path);
    const time = new Date(deps.clock.now()).toISOString();
    const { id } = deps.log.start({ time, method: c.req.method, path, endpoint });
    const arrived = deps.log.list().find((e) => e.id === id);
    if (arrived) onRequest?.(arrived);
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
}
