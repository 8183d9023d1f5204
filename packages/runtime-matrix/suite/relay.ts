/**
 * The relay's envelope on the runtime under test: core's terminal side (`createRelayPairing`: the ephemeral ECDH
 * P-256 key pair, the poll, the decryption) against the web app's sealing, which is core's `importPairingKey` and
 * `encryptForPairing` (what apps/web's relay calls on `/relay`). The relay's two HTTP answers are played through
 * `createRelayPairing`'s `fetch` seam, so the case runs anywhere (a page included) without a web app; the relay
 * over HTTP is covered on Node by core's relay-client tests and apps/web's relay tests.
 */
import {
  createRelayPairing,
  encryptForPairing,
  fromBase64Url,
  importPairingKey,
  RELAY_CALLBACK_PATH,
  RELAY_PAIRINGS_PATH,
  type RelayEnvelope,
  toBase64Url,
} from '@aps-auth/core';
import { check, checkEqual, checkRejects } from './check.js';

/** A loopback relay origin: plain http is allowed there, and nothing is ever sent to it (the seam answers). */
const RELAY = 'http://127.0.0.1:8443';
const CONFIG = {
  clientId: 'matrix-relay',
  redirectUri: `${RELAY}${RELAY_CALLBACK_PATH}`,
  scopes: ['data:read'],
};

/** How the played relay spoils the envelope it hands over (an attacker between relay and terminal). */
type Spoil = (envelope: RelayEnvelope, pairingId: string) => Promise<RelayEnvelope> | RelayEnvelope;

/**
 * The relay's pairing API through the `fetch` seam: `POST` keeps the terminal's public key and answers a
 * pairing; the poll answers the relayed parameters sealed to that key, as the web app's `/relay` seals them.
 */
function playRelay(params: (pairingId: string) => Record<string, string>, spoil?: Spoil) {
  const pairingId = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const pollToken = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const seen: { publicKey?: string; pollAuthorization?: string } = {};
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    if (url === `${RELAY}${RELAY_PAIRINGS_PATH}` && init?.method === 'POST') {
      seen.publicKey = (JSON.parse(String(init.body)) as { public_key: string }).public_key;
      const created = {
        pairing_id: pairingId,
        poll_token: pollToken,
        redirect_uri: `${RELAY}${RELAY_CALLBACK_PATH}`,
        expires_in: 600,
      };
      return Response.json(created, { status: 201 });
    }
    if (url.startsWith(`${RELAY}${RELAY_PAIRINGS_PATH}/${pairingId}?wait=`) && seen.publicKey !== undefined) {
      seen.pollAuthorization = new Headers(init?.headers).get('authorization') ?? '';
      const key = await importPairingKey(seen.publicKey);
      const sealed = await encryptForPairing(key, pairingId, JSON.stringify(params(pairingId)));
      return Response.json(spoil === undefined ? sealed : await spoil(sealed, pairingId));
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, seen, pollToken };
}

/** Flips one bit of the ciphertext (AES-GCM must refuse it). */
function flipBit(envelope: RelayEnvelope): RelayEnvelope {
  const bytes = fromBase64Url(envelope.ciphertext);
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return { ...envelope, ciphertext: toBase64Url(bytes) };
}

/** Seals the same parameters for another pairing id (the id is the associated data: it must not open). */
async function sealForAnotherPairing(_envelope: RelayEnvelope, pairingId: string, publicKey: string) {
  const other = `${pairingId.slice(1)}A`;
  return encryptForPairing(await importPairingKey(publicKey), other, '{"code":"c","state":"s"}');
}

export async function relayEnvelope(): Promise<void> {
  const state = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const relay = playRelay((id) => ({ code: 'relayed-code', state: `${id}.${state}` }));
  const pairing = await createRelayPairing(RELAY, { fetch: relay.fetch });
  const publicKey = fromBase64Url(relay.seen.publicKey ?? '');
  check(publicKey.length === 65 && publicKey[0] === 4, 'the pairing key is an uncompressed P-256 point');
  checkEqual(pairing.redirectUri, `${RELAY}${RELAY_CALLBACK_PATH}`, 'the pairing redirect_uri');
  checkEqual(pairing.relayState(state), `${pairing.pairingId}.${state}`, 'the relayed state');
  const code = await pairing.waitForCode(CONFIG, state, { pollSeconds: 0 });
  checkEqual(code, 'relayed-code', 'the code opened from the envelope');
  checkEqual(relay.seen.pollAuthorization, `Bearer ${relay.pollToken}`, 'the poll authorization');

  const tampered = playRelay((id) => ({ code: 'c', state: `${id}.${state}` }), flipBit);
  const spoiled = await createRelayPairing(RELAY, { fetch: tampered.fetch });
  await checkRejects(spoiled.waitForCallback({ pollSeconds: 0 }), { code: 'RELAY_DECRYPT_FAILED' });

  const misdirected = playRelay(
    () => ({}),
    (envelope, id) => sealForAnotherPairing(envelope, id, misdirected.seen.publicKey ?? ''),
  );
  const other = await createRelayPairing(RELAY, { fetch: misdirected.fetch });
  await checkRejects(other.waitForCallback({ pollSeconds: 0 }), { code: 'RELAY_DECRYPT_FAILED' });
}
