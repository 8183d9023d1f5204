import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenStoreError } from '../errors/token-store-error.js';
import { normalizeBaseUrl } from '../inputs/base-url.js';
import { isToken, type Token } from '../token.js';
import type { TokenStore } from '../token-store.js';
import {
  ensurePrivateDir,
  readPrivateFile,
  removePrivateFile,
  tightenDir,
  writePrivateFileAtomic,
} from './atomic-file.js';
import { LOCK_WAIT_MS, type LockLimits, withFileLock } from './file-lock.js';
import { checkHome } from './private-path.js';
import { checkProfileName } from './profile-name.js';

export interface FileTokenStoreOptions {
  /** The aps-auth home (`LoadedConfig.home`); tokens live in `<home>/tokens/<profile>.json`. */
  home: string;
  /** When set, a token saved for another client id is not returned by `load`. */
  clientId?: string | undefined;
  /** When set, a token saved for another server is not returned by `load`. */
  baseUrl?: string | undefined;
  /**
   * Told when a corrupt file is moved aside by `save`, and when `lock` has waited more than a second for
   * another process ("waiting for another aps-auth process (lock …; taken over after 10 s if it died)").
   * Default: nothing.
   */
  onWarning?: ((message: string) => void) | undefined;
  /** How long `lock` waits for another process before failing, in milliseconds. Default 30000. */
  lockWaitMs?: number | undefined;
  /**
   * A lock untouched for this long is stale (its holder died) and taken over, in milliseconds. Default 10000,
   * at least 2000. A lock touched in the future is always stale.
   */
  lockStaleMs?: number | undefined;
  /** A wait on another process longer than this is told (`onWarning`), in milliseconds. Default 1000. */
  lockNoticeMs?: number | undefined;
  /**
   * Stops `lock`'s wait for another process (Ctrl+C, SIGTERM): it rejects with `AbortedError` before its `fn`
   * runs. A `fn` already running (a refresh whose request is out) is never stopped.
   */
  lockSignal?: AbortSignal | undefined;
}

/** The token file on disk. */
export interface TokenFile {
  schemaVersion: 1;
  clientId?: string;
  baseUrl?: string;
  savedAt: string;
  token: Token;
  /**
   * When the server rejected this token's refresh token (`invalid_grant`): the grant is over, sign in again.
   * Written by `markRefreshRejected`; a new save (a sign-in) leaves it out.
   */
  refreshRejectedAt?: string;
}

const noop = (): void => undefined;
const TOKEN_DIRS = ['tokens'] as const;
const normalizeBase = normalizeBaseUrl;

function corrupt(path: string, why: string): TokenStoreError {
  return new TokenStoreError(
    'TOKEN_STORE_CORRUPT',
    path,
    `The token file ${path} is corrupt (${why}): move it away or delete it, then sign in again.`,
  );
}

/** Parses a token file's text; throws `TokenStoreError` (`TOKEN_STORE_CORRUPT`) for anything unexpected. */
export function parseTokenFile(path: string, text: string): TokenFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corrupt(path, text.trim() === '' ? 'empty' : 'not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw corrupt(path, 'not an object');
  const file = data as Record<string, unknown>;
  if (file.schemaVersion !== 1) throw corrupt(path, 'unknown schemaVersion');
  for (const field of ['clientId', 'baseUrl', 'refreshRejectedAt'] as const) {
    if (file[field] !== undefined && typeof file[field] !== 'string')
      throw corrupt(path, `${field} is not a string`);
  }
  if (!isToken(file.token)) throw corrupt(path, 'no valid token');
  return data as TokenFile;
}

export function ioError(path: string, action: string, error: unknown): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new TokenStoreError(
    'TOKEN_STORE_IO',
    path,
    `Could not ${action} ${path} (${code}): check that the directory exists and belongs to you, with permissions 0700.`,
    { cause: new Error(`${action} failed (${code})`) },
  );
}

/**
 * The token store of the CLI and the TUI: one JSON file per profile in `<home>/tokens/`, directory 0700,
 * files 0600, every write atomic and durable, a cross-process lock (proper-lockfile, loaded only when a
 * refresh or a login saves) so that `TokenManager` refreshes once across processes.
 */
export class FileTokenStore implements TokenStore {
  readonly home: string;
  readonly #clientId: string | undefined;
  readonly #baseUrl: string | undefined;
  readonly #onWarning: ((message: string) => void) | undefined;
  readonly #lockLimits: LockLimits;
  readonly #lockSignal: AbortSignal | undefined;

  constructor(options: FileTokenStoreOptions) {
    this.home = options.home;
    this.#clientId = options.clientId;
    this.#baseUrl = options.baseUrl === undefined ? undefined : normalizeBase(options.baseUrl);
    this.#onWarning = options.onWarning;
    this.#lockLimits = {
      waitMs: options.lockWaitMs ?? LOCK_WAIT_MS,
      staleMs: options.lockStaleMs,
      noticeMs: options.lockNoticeMs,
    };
    this.#lockSignal = options.lockSignal;
  }

  /** `<home>/tokens/<profile>.json` (the profile name is checked first). */
  pathFor(profile: string): string {
    return join(this.home, 'tokens', `${checkProfileName(profile)}.json`);
  }

  /**
   * The token file with its metadata, or `undefined` when absent. Throws `TokenStoreError` when corrupt, or
   * unsafe (`TOKEN_STORE_UNSAFE`: a link, another user's file, a home others could write to or replace).
   */
  async loadFile(profile: string): Promise<TokenFile | undefined> {
    const path = this.pathFor(profile);
    let text: string | undefined;
    try {
      await checkHome(this.home, TOKEN_DIRS);
      text = await readPrivateFile(path);
    } catch (error) {
      throw ioError(path, 'read', error);
    }
    return text === undefined ? undefined : parseTokenFile(path, text);
  }

  /** The token, or `undefined` when absent or saved for another client id or server. */
  async load(profile: string): Promise<Token | undefined> {
    const file = await this.loadFile(profile);
    if (file === undefined) return undefined;
    if (this.#clientId !== undefined && file.clientId !== this.#clientId) return undefined;
    if (this.#baseUrl !== undefined && normalizeBase(file.baseUrl ?? '') !== this.#baseUrl) return undefined;
    return file.token;
  }

  /** Writes atomically and durably; a corrupt file in the way is first kept as `<file>.corrupt-<timestamp>`. */
  async save(profile: string, token: Token): Promise<void> {
    const path = this.pathFor(profile);
    try {
      const file: TokenFile = { schemaVersion: 1, savedAt: new Date().toISOString(), token };
      if (this.#clientId !== undefined) file.clientId = this.#clientId;
      if (this.#baseUrl !== undefined) file.baseUrl = this.#baseUrl;
      await checkHome(this.home, TOKEN_DIRS);
      // A corrupt file in the way is moved aside while the new one is written, before it replaces it; the
      // home is made private too (only on write paths: reading a token never changes permissions).
      await writePrivateFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, async () => {
        await Promise.all([this.#moveCorruptAside(path), tightenDir(this.home)]);
      });
    } catch (error) {
      throw ioError(path, 'write', error);
    }
  }

  async delete(profile: string): Promise<void> {
    const path = this.pathFor(profile);
    try {
      await checkHome(this.home, TOKEN_DIRS);
      await removePrivateFile(path);
    } catch (error) {
      throw ioError(path, 'delete', error);
    }
  }

  /**
   * Runs `fn` holding `<file>.lock` (proper-lockfile): other processes wait; a lock untouched for
   * `lockStaleMs` (10 s), or touched in the future, is stale.
   */
  async lock<T>(profile: string, fn: () => Promise<T>): Promise<T> {
    const path = this.pathFor(profile);
    const ready = checkHome(this.home, TOKEN_DIRS)
      .then(() => Promise.all([ensurePrivateDir(join(this.home, 'tokens')), tightenDir(this.home)]))
      .then(noop, (error: unknown) => {
        throw ioError(path, 'create the directory of', error);
      });
    return withFileLock(path, this.#lockLimits, fn, ready, this.#onWarning, this.#lockSignal);
  }

  // ---- The profile session's addition: a refresh rejection recorded durably (see TokenFile.refreshRejectedAt).

  /**
   * Records that the server rejected `refreshToken`, if it is still the stored one (a new sign-in since then
   * is left alone). Call while holding `lock` (`TokenManager`'s `onRefreshRejected` is called inside it).
   */
  async markRefreshRejected(profile: string, refreshToken: string, at: Date = new Date()): Promise<void> {
    const path = this.pathFor(profile);
    const file = await this.loadFile(profile);
    if (file === undefined || file.token.refreshToken !== refreshToken) return;
    const marked: TokenFile = { ...file, refreshRejectedAt: at.toISOString() };
    try {
      await writePrivateFileAtomic(path, `${JSON.stringify(marked, null, 2)}\n`, () => tightenDir(this.home));
    } catch (error) {
      throw ioError(path, 'write', error);
    }
  }

  async #moveCorruptAside(path: string): Promise<void> {
    const text = await readPrivateFile(path);
    if (text === undefined) return;
    try {
      parseTokenFile(path, text);
    } catch {
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        await rename(path, aside);
      } catch (error) {
        // Another process moved it aside (or replaced it) first.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      this.#onWarning?.(`The token file ${path} was corrupt: it was kept as ${aside} and replaced.`);
    }
  }
}
