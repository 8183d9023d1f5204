/** The relay's envelope format lives in core (one definition for the web app and the terminals). */
export {
  decryptFromRelay,
  encryptForPairing,
  fromBase64Url,
  importPairingKey,
  RELAY_PAIRING_ID_PATTERN,
  type RelayEnvelope,
  toBase64Url,
  type WebCryptoKey,
  type WebCryptoKeyPair,
} from '@aps-auth/core';
