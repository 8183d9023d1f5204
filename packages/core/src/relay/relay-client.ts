import type { ApsAuthConfig, ResolvedConfig } from '../config.js';
import { AbortedError } from '../errors/aborted-error.js';
import { checkCallback } from '../parse-callback.js';
import {
  decryptFromRelay,
  RELAY_PAIRINGS_PATH,
  type RelayEnvelope,
  toBase64Url,
  type WebCryptoKey,
  type WebCryptoKeyPair,
} from './envelope.js';
import { RelayError } from './relay-error.js';
import { parseRelayUrl } from './relay-url.js';

/** The fetch the relay client calls (always with a URL string); the global `fetch` or core's `FetchLike` fit. */
export type RelayFetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface CreateRelayPairingOptions {
  fetch?: RelayFetch | undefined;
  signal?: AbortSignal | undefined;
  /** The terminal's clock for `expiresAt` (ms). Default `Date.now`. */
  now?: (() => number) | undefined;
}

export interface WaitForRelayOptions {
  signal?: AbortSignal | undefined;
  /** Seconds each long poll may wait at the relay (at most 30). Default 25. */
  pollSeconds?: number | undefined;
}

/** A pairing with a relay (the terminal side). Its private key never leaves this object. */
export interface RelayPairing {
  pairingId: string;
  /** The relay's `/relay` URL: the `redirect_uri` of this sign-in (it must be registered for the APS app). */
  redirectUri: string;
  /** When the pairing ends (ms, the terminal's clock). */
  expiresAt: number;
  /** The `state` to send in the authorize URL for the terminal's own `state`: `<pairingId>.<state>`. */
  relayState(state: string): string;
  /**
   * Long-polls the relay until the person has signed in, then decrypts the callback's parameters (`code`,
   * `state`, or `error`...). Throws `RelayError`, `AbortedError`.
   */
  waitForCallback(options?: WaitForRelayOptions): Promise<URLSearchParams>;
  /**
   * `waitForCallback`, then `checkCallback` with the relayed state (`relayState(state)`, compared in constant
   * time): the code, or throws `AuthorizationResponseError` (`STATE_MISMATCH`, `INVALID_CALLBACK`, or the
   * server's `error` such as `access_denied`), `RelayError`, `AbortedError`.
   */
  waitForCode(
    config: ApsAuthConfig | ResolvedConfig,
    state: string,
    options?: WaitForRelayOptions,
  ): Promise<string>;
}

interface CreatedPairing {
  pairing_id: string;
  poll_token: string;
  redirect_uri: string;
  expires_in: number;
}

function isCreatedPairing(value: unknown, origin: string): value is CreatedPairing {
  const v = value as Partial<CreatedPairing> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.pairing_id === 'string' &&
    /^[A-Za-z0-9_-]{16,128}$/.test(v.pairing_id) &&
    typeof v.poll_token === 'string' &&
    /^[A-Za-z0-9_-]{16,256}$/.test(v.poll_token) &&
    typeof v.redirect_uri === 'string' &&
    // The callback must be the relay's own page: a relay cannot send the code anywhere else.
    v.redirect_uri === `${origin}/relay` &&
    typeof v.expires_in === 'number' &&
    v.expires_in > 0
  );
}

function aborted(): AbortedError {
  return new AbortedError(undefined, 'Waiting for the relay was aborted.');
}

/**
 * Creates a pairing at a relay (the web app's origin, e.g. `https://auth.example.com`; https, or http for a
 * loopback host only): an ephemeral ECDH P-256 key pair whose private key is not extractable, and a poll token.
 * Web APIs only. Throws `RelayError` (`RELAY_URL_INVALID`, `RELAY_UNAVAILABLE`, `RELAY_RATE_LIMITED`,
 * `RELAY_BAD_RESPONSE`), `AbortedError`.
 *
 * ```ts
 * const pairing = await createRelayPairing('https://auth.example.com');
 * const request = await createAuthorizationRequest(config, { redirectUri: pairing.redirectUri });
 * const url = new URL(request.url);
 * url.searchParams.set('state', pairing.relayState(request.state));
 * show(url.href); // the person opens it on any device
 * const code = await pairing.waitForCode(config, request.state);
 * const token = await exchangeCode(config, { code, codeVerifier: request.codeVerifier, redirectUri: pairing.redirectUri });
 * ```
 */
export async function createRelayPairing(
  relayUrl: string,
  options: CreateRelayPairingOptions = {},
): Promise<RelayPairing> {
  const origin = parseRelayUrl(relayUrl);
  const fetchFn: RelayFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const keys = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ])) as WebCryptoKeyPair;
  const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)));
  let res: Response;
  try {
    res = await fetchFn(`${origin}${RELAY_PAIRINGS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ public_key: publicKey }),
      signal: options.signal,
    });
  } catch {
    if (options.signal?.aborted) throw aborted();
    throw new RelayError('RELAY_UNAVAILABLE', `The relay at ${origin} could not be reached.`, {
      relay: origin,
    });
  }
  if (res.status === 429) {
    throw new RelayError('RELAY_RATE_LIMITED', 'The relay is busy; try again in a minute.', {
      relay: origin,
      status: 429,
    });
  }
  if (res.status !== 201) {
    throw new RelayError(
      'RELAY_UNAVAILABLE',
      `The relay at ${origin} answered ${res.status} to a new pairing: is it an aps-auth web app?`,
      { relay: origin, status: res.status },
    );
  }
  const created: unknown = await res.json().catch(() => undefined);
  if (!isCreatedPairing(created, origin)) {
    throw new RelayError(
      'RELAY_BAD_RESPONSE',
      `The relay at ${origin} answered something that is not a pairing (or with a callback other than ${origin}/relay).`,
      { relay: origin, status: res.status },
    );
  }
  const pairingId = created.pairing_id;
  const poll = { fetchFn, origin, pairingId, pollToken: created.poll_token, privateKey: keys.privateKey };
  const relayState = (state: string) => `${pairingId}.${state}`;
  const waitForCallback = (waitOptions: WaitForRelayOptions = {}) => pollForCallback(poll, waitOptions);
  return {
    pairingId,
    redirectUri: created.redirect_uri,
    expiresAt: now() + created.expires_in * 1000,
    relayState,
    waitForCallback,
    async waitForCode(config, state, waitOptions) {
      const params = await waitForCallback(waitOptions);
      const check = checkCallback(config, params, { state: relayState(state) });
      if (check.kind === 'code') return check.result.code;
      throw check.error;
    },
  };
}

interface Poll {
  fetchFn: RelayFetch;
  origin: string;
  pairingId: string;
  pollToken: string;
  privateKey: WebCryptoKey;
}

function isEnvelope(value: unknown): value is RelayEnvelope {
  const v = value as Partial<RelayEnvelope> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    [v.epk, v.salt, v.iv, v.ciphertext].every((field) => typeof field === 'string')
  );
}

/** Long-polls until the relay has the envelope, then decrypts it with the pairing's private key. */
async function pollForCallback(poll: Poll, waitOptions: WaitForRelayOptions): Promise<URLSearchParams> {
  const { origin, pairingId } = poll;
  const pollSeconds = Math.max(0, Math.min(30, waitOptions.pollSeconds ?? 25));
  const url = `${origin}${RELAY_PAIRINGS_PATH}/${pairingId}?wait=${pollSeconds}`;
  for (;;) {
    if (waitOptions.signal?.aborted) throw aborted();
    let res: Response;
    try {
      res = await poll.fetchFn(url, {
        headers: { authorization: `Bearer ${poll.pollToken}`, accept: 'application/json' },
        signal: waitOptions.signal,
      });
    } catch {
      if (waitOptions.signal?.aborted) throw aborted();
      throw new RelayError('RELAY_UNAVAILABLE', `The relay at ${origin} could not be reached.`, {
        relay: origin,
      });
    }
    if (res.status === 202) {
      await res.body?.cancel().catch(() => undefined);
      continue;
    }
    if (res.status === 404) {
      throw new RelayError(
        'RELAY_PAIRING_EXPIRED',
        'The pairing is gone (expired, or already read) before the sign-in was handed over: start again.',
        { relay: origin, status: 404 },
      );
    }
    if (res.status !== 200) {
      throw new RelayError('RELAY_UNAVAILABLE', `The relay at ${origin} answered ${res.status}.`, {
        relay: origin,
        status: res.status,
      });
    }
    const envelope: unknown = await res.json().catch(() => undefined);
    return decryptParams(poll, envelope);
  }
}

async function decryptParams(poll: Poll, envelope: unknown): Promise<URLSearchParams> {
  const refuse = () =>
    new RelayError(
      'RELAY_DECRYPT_FAILED',
      'The relay handed over something this terminal cannot decrypt (tampered with, or not for this pairing): start again.',
      { relay: poll.origin, status: 200 },
    );
  if (!isEnvelope(envelope)) throw refuse();
  let params: unknown;
  try {
    params = JSON.parse(await decryptFromRelay(poll.privateKey, poll.pairingId, envelope));
  } catch {
    throw refuse();
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw refuse();
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw refuse();
    out.append(name, value);
  }
  return out;
}
