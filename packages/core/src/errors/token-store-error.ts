import { ApsAuthError } from './aps-auth-error.js';

export type TokenStoreErrorCode = 'TOKEN_STORE_CORRUPT' | 'TOKEN_STORE_IO' | 'TOKEN_STORE_UNSAFE';

/**
 * Why a file or directory of the store is unsafe to use (`TOKEN_STORE_UNSAFE`):
 * - `symlink`: a token or profile file (or the `tokens`/`profiles` directory) is a symbolic link;
 * - `not_regular_file`: a token or profile file is something else than a plain file (a FIFO, a directory);
 * - `foreign_owner`: it belongs to another user;
 * - `loose_permissions`: the home (or `tokens`/`profiles`) is writable by the group or by others;
 * - `replaceable_parent`: a parent directory of the home lets another user replace it (writable by others
 *   without the sticky bit, or owned by another user than root).
 */
export type TokenStoreUnsafeReason =
  | 'symlink'
  | 'not_regular_file'
  | 'foreign_owner'
  | 'loose_permissions'
  | 'replaceable_parent';

/**
 * A stored file cannot be used:
 * - `TOKEN_STORE_CORRUPT`: not valid JSON or not of the expected shape (it is never overwritten silently);
 * - `TOKEN_STORE_IO`: it cannot be read, written or locked (permissions, disk, a lock held too long);
 * - `TOKEN_STORE_UNSAFE`: it, its directory or a parent could be read or replaced by another user, or it is
 *   a symbolic link (never followed); `reason` says which. Nothing was read, written or changed.
 * `path` names the file or directory at fault; the message says what to do next (e.g. `chmod 700 <dir>`).
 */
export class TokenStoreError extends ApsAuthError {
  declare readonly code: TokenStoreErrorCode;
  readonly path: string;
  /** Set for `TOKEN_STORE_UNSAFE` only. */
  readonly reason: TokenStoreUnsafeReason | undefined;

  constructor(
    code: TokenStoreErrorCode,
    path: string,
    message: string,
    options?: { cause?: unknown; reason?: TokenStoreUnsafeReason | undefined },
  ) {
    super(code, message, options);
    this.name = 'TokenStoreError';
    this.path = path;
    this.reason = options?.reason;
  }
}
