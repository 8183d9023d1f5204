import { RELAY_CALLBACK_PATH, RELAY_PAIRINGS_PATH } from '@aps-auth/core';
import type { Context, Hono } from 'hono';
import { htmlError, jsonError } from '../errors.js';
import type { WebDeps } from '../options.js';
import { CopyPage, ReturnToTerminalPage } from '../pages/relay.js';
import { PAIRING_ID, Pairings } from '../relay/pairings.js';
import { createRateLimit } from '../relay/rate-limit.js';
import { isSessionStoreError } from '../store-errors.js';

const MAX_WAIT_SECONDS = 30;
const POLL_INTERVAL_MS = 250;
const RELAYED = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss'];

function bearer(c: Context): string {
  return /^Bearer ([A-Za-z0-9_-]+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
}

/**
 * The relay for terminals without a browser. `POST /api/relay/pairings` `{ public_key }` (a P-256 point,
 * base64url) answers `{ pairing_id, poll_token, redirect_uri, expires_in }`; the terminal signs in with
 * `redirect_uri` and `state` = `<pairing_id>.<its own state>`. `GET /relay` encrypts the callback's parameters
 * to the pairing's key (the app never exchanges, never keeps a plain code); without a pairing it is the copy
 * page for `aps-auth login --manual`. `GET /api/relay/pairings/:id?wait=SEC` with `Authorization: Bearer
 * <poll_token>` answers the envelope once (200), `pending` (202), or 404.
 */
export function registerRelayRoutes(app: Hono, deps: WebDeps): void {
  const pairings = new Pairings(deps);
  const limit = createRateLimit({
    name: 'relay-pairings',
    limit: deps.relayRateLimit,
    now: deps.now,
    store: deps.store,
  });

  app.post(RELAY_PAIRINGS_PATH, async (c) => {
    // JSON only: a form on another site cannot send it without a CORS preflight, which this app never grants.
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return jsonError(c, 415, 'invalid_public_key', 'Send a JSON body (content-type: application/json).');
    }
    const wait = await limit();
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      return jsonError(c, 429, 'rate_limited', 'Too many pairings; try again shortly.');
    }
    const body = (await c.req.json().catch(() => undefined)) as { public_key?: unknown } | undefined;
    const publicKey = body?.public_key;
    try {
      if (typeof publicKey !== 'string') throw new TypeError('public_key');
      const created = await pairings.create(publicKey);
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          pairing_id: created.pairingId,
          poll_token: created.pollToken,
          redirect_uri: `${deps.origin}${RELAY_CALLBACK_PATH}`,
          expires_in: Math.floor(deps.relayTtlMs / 1000),
        },
        201,
      );
    } catch (error) {
      if (isSessionStoreError(error)) throw error;
      return jsonError(
        c,
        400,
        'invalid_public_key',
        'public_key must be a P-256 public key (raw point, base64url).',
      );
    }
  });

  app.get(`${RELAY_PAIRINGS_PATH}/:id`, (c) => pollPairing(c, pairings));
  app.get(RELAY_CALLBACK_PATH, (c) => landOnRelay(c, deps, pairings));
}

/** The terminal's long poll: the envelope once (200), `pending` (202) after `wait` seconds, or 404. */
async function pollPairing(c: Context, pairings: Pairings): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const token = bearer(c);
  const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number(c.req.query('wait') ?? 0) || 0));
  const rounds = Math.ceil((wait * 1000) / POLL_INTERVAL_MS);
  for (let round = 0; ; round += 1) {
    const result = await pairings.read(id, token);
    if (result.kind === 'unknown') {
      return jsonError(c, 404, 'pairing_not_found', 'No such pairing (unknown, expired or already read).');
    }
    if (result.kind === 'ready') {
      c.header('Cache-Control', 'no-store');
      return c.json(result.envelope);
    }
    if (round >= rounds) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  c.header('Cache-Control', 'no-store');
  return c.json({ status: 'pending' }, 202);
}

/** APS's redirect to `/relay`: encrypt the answer to the pairing, or the copy page without a pairing. */
async function landOnRelay(c: Context, deps: WebDeps, pairings: Pairings): Promise<Response> {
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  const query = new URL(c.req.url).searchParams;
  const state = query.get('state') ?? '';
  const pairingId = state.split('.', 1)[0] ?? '';
  if (!state.includes('.') || !PAIRING_ID.test(pairingId)) {
    return c.html(<CopyPage banner={deps.banner} url={`${deps.origin}/relay${new URL(c.req.url).search}`} />);
  }
  const params: Record<string, string> = {};
  for (const name of RELAYED) {
    const value = query.get(name);
    if (value !== null) params[name] = value;
  }
  if (!(await pairings.deliver(pairingId, params))) {
    return htmlError(
      c,
      deps,
      410,
      'pairing_used',
      'This sign-in link has expired',
      'It was already used, or your terminal stopped waiting. Start the sign-in again in your terminal.',
    );
  }
  return c.html(<ReturnToTerminalPage banner={deps.banner} denied={params.error !== undefined} />);
}
