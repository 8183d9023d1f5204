/**
 * The relay's encryption (Web Crypto only): ECDH P-256 between an ephemeral key of the web app and the terminal's
 * pairing key, HKDF-SHA256 to an AES-256-GCM key, the pairing id as associated data. Only the holder of the
 * pairing's private key (the terminal) can read what the relay stores.
 */

/** What the relay stores and the terminal reads: every field base64url. */
export interface RelayEnvelope {
  /** The web app's ephemeral ECDH public key (raw, uncompressed point). */
  epk: string;
  salt: string;
  iv: string;
  ciphertext: string;
}

const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** The pairing API's path on the relay (the web app): `POST` creates, `GET /<id>?wait=SEC` long-polls. */
export const RELAY_PAIRINGS_PATH = '/api/relay/pairings';
/** The relay's callback page: the `redirect_uri` of a relayed sign-in. */
export const RELAY_CALLBACK_PATH = '/relay';
/** A pairing id: 256 random bits, base64url. `state` is `<pairing id>.<the terminal's state>`. */
export const RELAY_PAIRING_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Web Crypto's key type, named the same way under the DOM library and Node's types. */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
export interface WebCryptoKeyPair {
  publicKey: WebCryptoKey;
  privateKey: WebCryptoKey;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Imports a terminal's public key (base64url raw point); throws on anything that is not a P-256 point. */
export function importPairingKey(publicKey: string): Promise<WebCryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64Url(publicKey), CURVE, true, []);
}

async function aesKey(
  privateKey: WebCryptoKey,
  publicKey: WebCryptoKey,
  salt: Uint8Array<ArrayBuffer>,
  pairingId: string,
): Promise<WebCryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: new TextEncoder().encode(`aps-auth relay v1 ${pairingId}`) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Encrypts `plaintext` to the pairing's public key (the web app side). */
export async function encryptForPairing(
  pairingKey: WebCryptoKey,
  pairingId: string,
  plaintext: string,
): Promise<RelayEnvelope> {
  const ephemeral = (await crypto.subtle.generateKey(CURVE, true, ['deriveBits'])) as WebCryptoKeyPair;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(ephemeral.privateKey, pairingKey, salt, pairingId);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(pairingId) },
    key,
    new TextEncoder().encode(plaintext),
  );
  const epk = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  return {
    epk: toBase64Url(epk),
    salt: toBase64Url(salt),
    iv: toBase64Url(iv),
    ciphertext: toBase64Url(new Uint8Array(ciphertext)),
  };
}

/** Decrypts an envelope with the pairing's private key (the terminal side); throws if it was tampered with. */
export async function decryptFromRelay(
  privateKey: WebCryptoKey,
  pairingId: string,
  envelope: RelayEnvelope,
): Promise<string> {
  const epk = await crypto.subtle.importKey('raw', fromBase64Url(envelope.epk), CURVE, false, []);
  const key = await aesKey(privateKey, epk, fromBase64Url(envelope.salt), pairingId);
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(envelope.iv), additionalData: new TextEncoder().encode(pairingId) },
    key,
    fromBase64Url(envelope.ciphertext),
  );
  return new TextDecoder().decode(plaintext);
}
