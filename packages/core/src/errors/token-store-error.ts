import { ApsAuthError } from './aps-auth-error.js';

export type TokenStoreErrorCode = 'TOKEN_STORE_CORRUPT' | 'TOKEN_STORE_IO';

/**
 * A stored file cannot be used:
 * - `TOKEN_STORE_CORRUPT`: not valid JSON or not of the expected shape (it is never overwritten silently);
 * - `TOKEN_STORE_IO`: it cannot be read, written or locked (permissions, disk, a lock held too long).
 * `path` names the file; the message says what to do next.
 */
export class TokenStoreError extends ApsAuthError {
  declare readonly code: TokenStoreErrorCode;
  readonly path: string;

  constructor(code: TokenStoreErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'TokenStoreError';
    this.path = path;
  }
}
