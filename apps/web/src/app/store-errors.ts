/**
 * `STORE_UNAVAILABLE`: the shared session store (Redis) could not be reached or did not answer in time. `STORE_LOCK_TIMEOUT`: a session's lock stayed taken longer than the store waits
 * (another instance is refreshing that session's token, or crashed while holding the lock). `STORE_LOCK_LOST`:
 * a lock expired while its holder still worked (a pause longer than the lock's expiry), so the holder's write was
 * refused rather than overwrite what another instance may have written since.
 */
export type SessionStoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_LOCK_TIMEOUT' | 'STORE_LOCK_LOST';

const BRAND = Symbol.for('aps-auth.web.SessionStoreError');

/** What a `SessionStore` throws when it cannot serve: the app answers 503 and keeps every session as it was. */
export class SessionStoreError extends Error {
  override readonly name = 'SessionStoreError';
  readonly code: SessionStoreErrorCode;

  constructor(code: SessionStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // A brand the guard recognises across duplicate installs; not part of the declared type.
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** A type guard that works across realms and duplicate installs (no `instanceof`). */
export function isSessionStoreError(value: unknown): value is SessionStoreError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
