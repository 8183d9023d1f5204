/**
 * The terminal side of the relay lives in core's runtime-agnostic entry (the CLI and the TUI use it from
 * there); re-exported here so that `@aps-auth/web`'s users keep `createRelayPairing`.
 */
export {
  type CreateRelayPairingOptions,
  createRelayPairing,
  RelayError,
  type RelayErrorCode,
  type RelayPairing,
  type WaitForRelayOptions,
} from '@aps-auth/core';
