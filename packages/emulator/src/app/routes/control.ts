import type { Hono } from 'hono';
import { RegistrationError } from '../clients.js';
import type { AppContext, AppEnv } from '../context.js';
import { FaultError } from '../faults.js';
import type { EmulatorControl } from '../types.js';

function badRequest(c: AppContext, message: string): Response {
  return c.json({ error: 'invalid_request', error_description: message }, 400);
}

async function readJson(c: AppContext): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/**
 * The control API changes the emulator's state, so a web page the developer happens to visit must not be able
 * to drive it (a `text/plain` or form POST is a "simple" cross-site request that a browser sends without a
 * preflight). A request whose `Origin` is present and is not the emulator's own is refused with 403, and a
 * body must be `application/json` (400 otherwise). Test code (Node's fetch, curl) sends no `Origin`.
 */
export function refuseForeignControlRequest(c: AppContext, ownOrigin: string): Response | undefined {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== ownOrigin) {
    return c.json(
      {
        error: 'access_denied',
        error_description: `The control API only accepts requests from its own origin (${ownOrigin}), not from ${origin}`,
      },
      403,
    );
  }
  const contentType = c.req.header('content-type');
  const length = c.req.header('content-length');
  const hasBody =
    contentType !== undefined ||
    (length !== undefined && length !== '0') ||
    c.req.header('transfer-encoding') !== undefined;
  if (hasBody && !/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    return badRequest(c, "A control API body must be sent with 'content-type: application/json'");
  }
  return undefined;
}

/** Runs a control operation, answering 400 with the validation message when the input is wrong. */
function guarded(c: AppContext, run: () => Response): Response {
  try {
    return run();
  } catch (err) {
    if (err instanceof RegistrationError || err instanceof FaultError || err instanceof TypeError) {
      return badRequest(c, err.message);
    }
    throw err;
  }
}

/** The JSON control API under `/__emulator/`, for tests. */
export function registerControlRoutes(app: Hono<AppEnv>, control: EmulatorControl): void {
  const base = '/__emulator';
  app.get(`${base}/requests`, (c) => c.json({ requests: control.requests() }));
  app.delete(`${base}/requests`, (c) => {
    control.clearRequests();
    return c.body(null, 204);
  });
  app.get(`${base}/clients`, (c) => c.json({ clients: control.listClients() }));
  app.post(`${base}/clients`, async (c) => {
    const body = await readJson(c);
    return guarded(c, () => c.json(control.registerClient(body as never), 201));
  });
  app.delete(`${base}/clients/:clientId`, (c) => {
    if (!control.removeClient(c.req.param('clientId'))) return c.json({ error: 'not_found' }, 404);
    return c.body(null, 204);
  });
  app.post(`${base}/faults`, async (c) => {
    const body = await readJson(c);
    return guarded(c, () => {
      control.addFault(body as never);
      return c.body(null, 201);
    });
  });
  app.delete(`${base}/faults`, (c) => {
    control.clearFaults();
    return c.body(null, 204);
  });
  app.get(`${base}/clock`, (c) => c.json(control.clock()));
  app.post(`${base}/clock`, async (c) => {
    const body = (await readJson(c)) as { advanceSeconds?: unknown } | undefined;
    const seconds = body?.advanceSeconds;
    if (typeof seconds !== 'number') return badRequest(c, 'advanceSeconds must be a number');
    return guarded(c, () => c.json(control.advanceClock(seconds)));
  });
  app.post(`${base}/settings`, async (c) => {
    const body = await readJson(c);
    if (typeof body !== 'object' || body === null) return badRequest(c, 'the body must be a JSON object');
    const { autoApprove, accessTokenLifetime } = body as Record<string, unknown>;
    return guarded(c, () => {
      // Validate both before changing either.
      if (autoApprove !== undefined && typeof autoApprove !== 'boolean') {
        throw new TypeError('autoApprove must be a boolean');
      }
      if (accessTokenLifetime !== undefined) control.setAccessTokenLifetime(accessTokenLifetime as number);
      if (autoApprove !== undefined) control.setAutoApprove(autoApprove);
      return c.body(null, 204);
    });
  });
  app.post(`${base}/keys/rotate`, async (c) => {
    const text = await c.req.text();
    let body: unknown = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      return badRequest(c, 'the body must be JSON');
    }
    const keepPrevious = (body as { keepPrevious?: unknown } | null)?.keepPrevious;
    if (keepPrevious !== undefined && typeof keepPrevious !== 'boolean') {
      return badRequest(c, 'keepPrevious must be a boolean');
    }
    return c.json(await control.rotateKeys(keepPrevious === undefined ? {} : { keepPrevious }));
  });
  app.post(`${base}/reset`, (c) => {
    control.reset();
    return c.body(null, 204);
  });
  app.all(`${base}/*`, (c) => c.json({ error: 'not_found' }, 404));
}
