export {
  decryptFromRelay,
  encryptForPairing,
  fromBase64Url,
  importPairingKey,
  RELAY_CALLBACK_PATH,
  RELAY_PAIRING_ID_PATTERN,
  RELAY_PAIRINGS_PATH,
  type RelayEnvelope,
  toBase64Url,
  type WebCryptoKey,
  type WebCryptoKeyPair,
} from './envelope.js';
export {
  type CreateRelayPairingOptions,
  createRelayPairing,
  type RelayFetch,
  type RelayPairing,
  type WaitForRelayOptions,
} from './relay-client.js';
export { isRelayError, RelayError, type RelayErrorCode } from './relay-error.js';
export { parseRelayUrl } from './relay-url.js';
