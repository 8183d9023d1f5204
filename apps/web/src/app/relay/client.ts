import {
  decryptFromRelay,
  type RelayEnvelope,
  toBase64Url,
  type WebCryptoKey,
  type WebCryptoKeyPair,
} from './crypto.js';

/** Why the relay could not hand over a sign-in (stable codes; the terminal decides what to tell the person). */
export type RelayErrorCode =
  | 'RELAY_UNAVAILABLE'
  | 'RELAY_RATE_LIMITED'
  | 'RELAY_PAIRING_EXPIRED'
  | 'RELAY_DECRYPT_FAILED'
  | 'RELAY_ABORTED';

export class RelayError extends Error {
  readonly code: RelayErrorCode;
  constructor(code: RelayErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'RelayError';
  }
}

export interface CreateRelayPairingOptions {
  fetch?: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  signal?: AbortSignal | undefined;
}

export interface WaitForRelayOptions {
  signal?: AbortSignal | undefined;
  /** Seconds each long poll may wait at the relay (at most 30). Default 25. */
  pollSeconds?: number | undefined;
}

/** A pairing with a relay (the terminal side). */
export interface RelayPairing {
  pairingId: string;
  /** The relay's `/relay` URL: use it as the `redirectUri` of this sign-in (it must be registered for the app). */
  redirectUri: string;
  /** When the pairing ends (ms, the terminal's clock). */
  expiresAt: number;
  /** The `state` to send in the authorize URL for the terminal's own `state`: `<pairingId>.<state>`. */
  relayState(state: string): string;
  /**
   * Long-polls the relay until the person has signed in, then decrypts the callback's parameters (`code`,
   * `state`, or `error`...): pass them to core's `parseCallback` with the relayed state, then `exchangeCode`
   * with the terminal's own verifier and `redirectUri`. Throws `RelayError`.
   */
  waitForCallback(options?: WaitForRelayOptions): Promise<URLSearchParams>;
}

/**
 * Creates a pairing at a relay (the web app's origin, e.g. `https://auth.example.com`): an ephemeral ECDH P-256
 * key pair whose private key never leaves this process, and a poll token. Web APIs only.
 *
 * ```ts
 * const pairing = await createRelayPairing('https://auth.example.com');
 * const request = await createAuthorizationRequest({ ...config, redirectUri: pairing.redirectUri });
 * const state = pairing.relayState(request.state);
 * const url = new URL(request.url); url.searchParams.set('state', state);
 * show(url.href);                                     // the person opens it on any device
 * const params = await pairing.waitForCallback();
 * const { code } = parseCallback(config, params, { state });
 * const token = await exchangeCode(config, { code, codeVerifier: request.codeVerifier, redirectUri: pairing.redirectUri });
 * ```
 */
export async function createRelayPairing(
  relayUrl: string,
  options: CreateRelayPairingOptions = {},
): Promise<RelayPairing> {
  const fetchFn = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const base = new URL(relayUrl).origin;
  const keys = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ])) as WebCryptoKeyPair;
  const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)));
  let res: Response;
  try {
    res = await fetchFn(`${base}/api/relay/pairings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ public_key: publicKey }),
      signal: options.signal,
    });
  } catch {
    throw new RelayError('RELAY_UNAVAILABLE', `The relay at ${base} could not be reached.`);
  }
  if (res.status === 429)
    throw new RelayError('RELAY_RATE_LIMITED', 'The relay is busy; try again in a minute.');
  if (res.status !== 201) throw new RelayError('RELAY_UNAVAILABLE', `The relay answered ${res.status}.`);
  const created = (await res.json()) as {
    pairing_id: string;
    poll_token: string;
    redirect_uri: string;
    expires_in: number;
  };
  const pairingId = created.pairing_id;
  const expiresAt = Date.now() + created.expires_in * 1000;
  return {
    pairingId,
    redirectUri: created.redirect_uri,
    expiresAt,
    relayState: (state) => `${pairingId}.${state}`,
    waitForCallback: (waitOptions = {}) =>
      waitForCallback(fetchFn, base, pairingId, created.poll_token, keys.privateKey, waitOptions),
  };
}

/** Long-polls until the relay has the envelope, then decrypts it with the pairing's private key. */
async function waitForCallback(
  fetchFn: (input: string, init?: RequestInit) => Promise<Response>,
  base: string,
  pairingId: string,
  pollToken: string,
  privateKey: WebCryptoKey,
  waitOptions: WaitForRelayOptions,
): Promise<URLSearchParams> {
  const pollSeconds = Math.min(30, waitOptions.pollSeconds ?? 25);
  for (;;) {
    if (waitOptions.signal?.aborted)
      throw new RelayError('RELAY_ABORTED', 'Waiting for the relay was aborted.');
    let poll: Response;
    try {
      poll = await fetchFn(`${base}/api/relay/pairings/${pairingId}?wait=${pollSeconds}`, {
        headers: { authorization: `Bearer ${pollToken}` },
        signal: waitOptions.signal,
      });
    } catch {
      if (waitOptions.signal?.aborted)
        throw new RelayError('RELAY_ABORTED', 'Waiting for the relay was aborted.');
      throw new RelayError('RELAY_UNAVAILABLE', `The relay at ${base} could not be reached.`);
    }
    if (poll.status === 202) continue;
    if (poll.status === 404) {
      throw new RelayError(
        'RELAY_PAIRING_EXPIRED',
        'The pairing expired before the sign-in finished: start again.',
      );
    }
    if (poll.status !== 200) throw new RelayError('RELAY_UNAVAILABLE', `The relay answered ${poll.status}.`);
    const envelope = (await poll.json()) as RelayEnvelope;
    let text: string;
    try {
      text = await decryptFromRelay(privateKey, pairingId, envelope);
    } catch {
      throw new RelayError(
        'RELAY_DECRYPT_FAILED',
        'The relay handed over something this terminal cannot decrypt.',
      );
    }
    return new URLSearchParams(JSON.parse(text) as Record<string, string>);
  }
}
