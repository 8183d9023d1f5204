import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenStoreError } from '../errors/token-store-error.js';
import { normalizeBaseUrl } from '../inputs/base-url.js';
import { readPrivateFile, removePrivateFile, tightenDir, writePrivateFileAtomic } from './atomic-file.js';
import { FileTokenStore, ioError } from './file-token-store.js';
import { checkHome } from './private-path.js';
import { checkProfileName, PROFILE_NAME_PATTERN } from './profile-name.js';

/** What a profile remembers after a successful login (`<home>/profiles/<profile>.json`). */
export interface ProfileSettings {
  clientId: string;
  /** Non-enumerable in what `loadProfile` returns: logging or spreading a profile never shows it. */
  clientSecret?: string | undefined;
  callbackUrl: string;
  scopes: string[];
  baseUrl: string;
  /**
   * `'dotenv'`: the server came from a `.env` when the profile was saved. It then never receives a secret from
   * the environment or a flag (only the one saved with it, which came from that `.env`).
   */
  baseUrlFrom?: 'dotenv' | undefined;
}

/** One row of `listProfiles`. */
export interface ProfileSummary {
  name: string;
  clientId?: string;
  baseUrl?: string;
  /**
   * A token file exists and is readable, the profile file is not corrupt, and the token was saved for the
   * profile's client id and server (a token of another one is not used, so it does not count).
   */
  signedIn: boolean;
  /** The stored access token's expiry (ms since the epoch). */
  expiresAt?: number;
  /**
   * The profile or token file is corrupt (`signedIn` is then false). A corrupt profile file must be moved away
   * or deleted by hand (`loadConfig`, and so `aps-auth login`, refuse it); a corrupt token file is moved aside
   * by the next save (a login) or by `aps-auth logout`.
   */
  corrupt?: boolean;
  /**
   * The profile or token file is unsafe to use (a symbolic link, another user's file: `TOKEN_STORE_UNSAFE`);
   * `signedIn` is then false. Loading it throws an error that says what to do.
   */
  unsafe?: boolean;
}

/** Marks a row whose file could not be used: unsafe, or else corrupt. */
function flag(row: ProfileSummary, error: unknown): void {
  if ((error as { code?: unknown }).code === 'TOKEN_STORE_UNSAFE') row.unsafe = true;
  else row.corrupt = true;
}

const PROFILE_DIRS = ['profiles'] as const;

export function profilePath(home: string, profile: string): string {
  return join(home, 'profiles', `${checkProfileName(profile)}.json`);
}

function corruptProfile(path: string, why: string): TokenStoreError {
  return new TokenStoreError(
    'TOKEN_STORE_CORRUPT',
    path,
    `The profile file ${path} is corrupt (${why}): move it away or delete it, then sign in again.`,
  );
}

function parseProfile(path: string, text: string): ProfileSettings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corruptProfile(path, 'not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw corruptProfile(path, 'not an object');
  const p = data as Record<string, unknown>;
  const ok =
    p.schemaVersion === 1 &&
    typeof p.clientId === 'string' &&
    (p.clientSecret === undefined || typeof p.clientSecret === 'string') &&
    typeof p.callbackUrl === 'string' &&
    typeof p.baseUrl === 'string' &&
    (p.baseUrlFrom === undefined || p.baseUrlFrom === 'dotenv') &&
    Array.isArray(p.scopes) &&
    p.scopes.every((s) => typeof s === 'string');
  if (!ok) throw corruptProfile(path, 'not of the expected shape');
  const settings: ProfileSettings = {
    clientId: p.clientId as string,
    callbackUrl: p.callbackUrl as string,
    scopes: [...(p.scopes as string[])],
    baseUrl: p.baseUrl as string,
    ...(p.baseUrlFrom === 'dotenv' ? { baseUrlFrom: 'dotenv' as const } : {}),
  };
  Object.defineProperty(settings, 'clientSecret', {
    value: p.clientSecret,
    enumerable: false,
    writable: true,
  });
  return settings;
}

/** Saves a profile (atomic, 0600). Call after a successful login. */
export async function saveProfile(home: string, profile: string, settings: ProfileSettings): Promise<void> {
  const path = profilePath(home, profile);
  const data: Record<string, unknown> = { schemaVersion: 1, clientId: settings.clientId };
  if (settings.clientSecret !== undefined) data.clientSecret = settings.clientSecret;
  Object.assign(data, {
    callbackUrl: settings.callbackUrl,
    scopes: [...settings.scopes],
    baseUrl: settings.baseUrl,
    ...(settings.baseUrlFrom === 'dotenv' ? { baseUrlFrom: 'dotenv' } : {}),
    updatedAt: new Date().toISOString(),
  });
  try {
    await checkHome(home, PROFILE_DIRS);
    await writePrivateFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`, () => tightenDir(home));
  } catch (error) {
    throw ioError(path, 'write', error);
  }
}

/** The saved profile, or `undefined`. Throws `TokenStoreError` (`TOKEN_STORE_CORRUPT`) for a corrupt file. */
export async function loadProfile(home: string, profile: string): Promise<ProfileSettings | undefined> {
  const path = profilePath(home, profile);
  let text: string | undefined;
  try {
    await checkHome(home, PROFILE_DIRS);
    text = await readPrivateFile(path);
  } catch (error) {
    throw ioError(path, 'read', error);
  }
  return text === undefined ? undefined : parseProfile(path, text);
}

/** Forgets a profile: its settings and its token (no revocation: `TokenManager.signOut` does that). */
export async function deleteProfile(home: string, profile: string): Promise<void> {
  const path = profilePath(home, profile);
  const store = new FileTokenStore({ home });
  try {
    await checkHome(home, PROFILE_DIRS);
    await removePrivateFile(path);
  } catch (error) {
    throw ioError(path, 'delete', error);
  }
  await store.delete(profile);
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((name) => PROFILE_NAME_PATTERN.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw ioError(dir, 'list', error);
  }
}

/**
 * Every profile with settings or a token, sorted by name. Corrupt or unsafe files are flagged, never thrown;
 * an unsafe home (`TOKEN_STORE_UNSAFE`) is thrown.
 */
export async function listProfiles(home: string): Promise<ProfileSummary[]> {
  try {
    await checkHome(home, ['profiles', 'tokens']);
  } catch (error) {
    throw ioError(home, 'list', error);
  }
  const names = new Set([
    ...(await namesIn(join(home, 'profiles'))),
    ...(await namesIn(join(home, 'tokens'))),
  ]);
  const store = new FileTokenStore({ home });
  const out: ProfileSummary[] = [];
  for (const name of [...names].sort()) {
    const row: ProfileSummary = { name, signedIn: false };
    let settings: ProfileSettings | undefined;
    try {
      settings = await loadProfile(home, name);
      if (settings !== undefined) {
        row.clientId = settings.clientId;
        row.baseUrl = settings.baseUrl;
      }
    } catch (error) {
      flag(row, error);
    }
    try {
      const file = await store.loadFile(name);
      if (file !== undefined) {
        const base = normalizeBaseUrl;
        const forOther =
          settings !== undefined &&
          ((file.clientId !== undefined && file.clientId !== settings.clientId) ||
            (file.baseUrl !== undefined && base(file.baseUrl) !== base(settings.baseUrl)));
        row.signedIn = row.corrupt !== true && row.unsafe !== true && !forOther;
        row.expiresAt = file.token.expiresAt;
        if (row.clientId === undefined && file.clientId !== undefined) row.clientId = file.clientId;
        if (row.baseUrl === undefined && file.baseUrl !== undefined) row.baseUrl = file.baseUrl;
      }
    } catch (error) {
      flag(row, error);
    }
    out.push(row);
  }
  return out;
}
