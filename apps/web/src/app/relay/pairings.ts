import {
  encryptForPairing,
  importPairingKey,
  RELAY_PAIRING_ID_PATTERN,
  type RelayEnvelope,
} from '@aps-auth/core';
import type { WebDeps } from '../options.js';
import { randomId } from '../random.js';

/** A pairing as stored: the terminal's public key and the token it polls with. */
interface PairingRecord {
  publicKey: string;
  pollToken: string;
  expiresAt: number;
}

export interface CreatedPairing {
  pairingId: string;
  pollToken: string;
  expiresAt: number;
}

export type ReadResult =
  | { kind: 'ready'; envelope: RelayEnvelope }
  | { kind: 'pending' }
  | { kind: 'unknown' };

const pairingKey = (id: string) => `relay:${id}`;
/** Present until the pairing's callback arrives: taken once, so a pairing relays one callback only. */
const openKey = (id: string) => `relay-open:${id}`;
const resultKey = (id: string) => `relay-result:${id}`;

export const PAIRING_ID = RELAY_PAIRING_ID_PATTERN;

function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Pairings in the session store: created by a terminal, filled once by `/relay`, read once by the terminal. */
export class Pairings {
  readonly #deps: WebDeps;

  constructor(deps: WebDeps) {
    this.#deps = deps;
  }

  /** Throws `TypeError`/`DOMException` when the public key is not a P-256 point. */
  async create(publicKey: string): Promise<CreatedPairing> {
    await importPairingKey(publicKey);
    const pairingId = randomId();
    const pollToken = randomId();
    const ttl = this.#deps.relayTtlMs;
    const expiresAt = this.#deps.now() + ttl;
    const record: PairingRecord = { publicKey, pollToken, expiresAt };
    await this.#deps.store.set(pairingKey(pairingId), JSON.stringify(record), ttl);
    await this.#deps.store.set(openKey(pairingId), '1', ttl);
    return { pairingId, pollToken, expiresAt };
  }

  /**
   * Encrypts the callback's parameters to the pairing's key and keeps only the ciphertext. False when the
   * pairing is unknown, expired or already used.
   */
  async deliver(pairingId: string, params: Record<string, string>): Promise<boolean> {
    if ((await this.#deps.store.take(openKey(pairingId))) === undefined) return false;
    const text = await this.#deps.store.get(pairingKey(pairingId));
    if (text === undefined) return false;
    const record = JSON.parse(text) as PairingRecord;
    const envelope = await encryptForPairing(
      await importPairingKey(record.publicKey),
      pairingId,
      JSON.stringify(params),
    );
    const ttl = Math.max(1, record.expiresAt - this.#deps.now());
    await this.#deps.store.set(resultKey(pairingId), JSON.stringify(envelope), ttl);
    return true;
  }

  /** The ciphertext, once, to the holder of the poll token; `unknown` for anyone else (nothing is revealed). */
  async read(pairingId: string, pollToken: string): Promise<ReadResult> {
    const text = await this.#deps.store.get(pairingKey(pairingId));
    if (text === undefined) return { kind: 'unknown' };
    const record = JSON.parse(text) as PairingRecord;
    if (!equalConstantTime(record.pollToken, pollToken)) return { kind: 'unknown' };
    const envelope = await this.#deps.store.take(resultKey(pairingId));
    if (envelope === undefined) return { kind: 'pending' };
    await this.#deps.store.delete(pairingKey(pairingId));
    return { kind: 'ready', envelope: JSON.parse(envelope) as RelayEnvelope };
  }
}
