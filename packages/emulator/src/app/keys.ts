import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * The RS256 keys of this emulator instance: one signs, and every published one verifies. Generated at start;
 * tests rotate them through the control API.
 */
export class KeyRing {
  #keys: SigningKey[];

  private constructor(first: SigningKey) {
    this.#keys = [first];
  }

  static async create(): Promise<KeyRing> {
    return new KeyRing(await createSigningKey());
  }

  /** The key that signs new tokens. */
  get current(): SigningKey {
    return this.#keys[0] as SigningKey;
  }

  /** The public JWK set served at `/authentication/v2/keys`, current key first. */
  jwks(): { keys: JWK[] } {
    return { keys: this.#keys.map((k) => ({ ...k.jwk })) };
  }

  /** The public key for a JWS header, for verification; throws for an unknown `kid`. */
  publicKeyFor(header: JWSHeaderParameters): CryptoKey {
    const key = this.#keys.find((k) => k.kid === header.kid);
    if (!key) throw new Error('unknown kid');
    return key.publicKey;
  }

  /** A new signing key; the old ones stay published (and valid) only if `keepPrevious`. */
  async rotate(keepPrevious: boolean): Promise<string[]> {
    const next = await createSigningKey();
    this.#keys = keepPrevious ? [next, ...this.#keys] : [next];
    return this.#keys.map((k) => k.kid);
  }

  /** Forgets every key but the current one. */
  dropPrevious(): void {
    this.#keys = [this.current];
  }
}
