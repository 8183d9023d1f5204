import type { Stats } from 'node:fs';
// `constants` from `node:fs/promises`: importing `node:fs` in ESM reads all its exports, whose lazy getters
// load the stream modules (a few milliseconds of `aps-auth token`).
import { constants, type FileHandle, lstat, open, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { TokenStoreError, type TokenStoreUnsafeReason } from '../errors/token-store-error.js';

// The rules of this module are those of ssh for `~/.ssh`: what holds secrets belongs to the user, nobody
// else can write to it or replace it, and no symbolic link is followed to a file that holds secrets.
// Windows has neither modes nor these links' risks here: every check is skipped there.

const WINDOWS = process.platform === 'win32';
/** No-follow (a symbolic link fails with ELOOP) and non-blocking (a FIFO does not hang the open). */
const NO_FOLLOW = WINDOWS ? 0 : constants.O_NOFOLLOW;
const READ_FILE_FLAGS = constants.O_RDONLY | NO_FOLLOW | (WINDOWS ? 0 : constants.O_NONBLOCK);
const STICKY = 0o1000;

const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
const currentUid = (): number | undefined => process.getuid?.();

/** A `TOKEN_STORE_UNSAFE` error: what is wrong with `path`, and what to do. */
export function unsafe(reason: TokenStoreUnsafeReason, path: string, message: string): TokenStoreError {
  return new TokenStoreError('TOKEN_STORE_UNSAFE', path, message, { reason });
}

/** "The token file x", "The profile file x": what a store path is, for messages. */
function describeFile(path: string): string {
  const kind = basename(dirname(path)) === 'profiles' ? 'profile file' : 'token file';
  return `The ${kind} ${path}`;
}

/**
 * Opens a token or profile file for reading without following a symbolic link, checks that it is a regular
 * file of the user's, and makes it private (0600) through the handle when it is wider. `undefined` when the
 * file does not exist. Throws `TokenStoreError` (`TOKEN_STORE_UNSAFE`) for a link, another kind of file or a
 * file of another user: nothing is read or changed then.
 */
export async function openPrivateFile(path: string): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    if (WINDOWS && (await lstat(path)).isSymbolicLink()) throw linkError(path);
    handle = await open(path, READ_FILE_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw linkError(path);
    throw error;
  }
  try {
    const info = await handle.stat();
    checkFile(path, info);
    if (!WINDOWS && (info.mode & 0o077) !== 0) await handle.chmod(0o600);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Refuses what must not be replaced by a write: a link, another kind of file, a file of another user. */
export async function checkReplaceable(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (info.isSymbolicLink()) throw linkError(path);
  checkFile(path, info);
}

function checkFile(path: string, info: Stats): void {
  if (!info.isFile()) {
    throw unsafe(
      'not_regular_file',
      path,
      `${describeFile(path)} is not a regular file: move it away (it is not used), then sign in again.`,
    );
  }
  const uid = currentUid();
  if (!WINDOWS && uid !== undefined && info.uid !== uid) {
    throw unsafe(
      'foreign_owner',
      path,
      `${describeFile(path)} belongs to another user (uid ${info.uid}), who could read or change it: remove it (rm ${path}), then sign in again.`,
    );
  }
}

function linkError(path: string): TokenStoreError {
  return unsafe(
    'symlink',
    path,
    `${describeFile(path)} is a symbolic link: aps-auth never follows one (it could make it read or change another file). Remove the link (rm ${path}), then sign in again.`,
  );
}

/**
 * Opens a directory of the store for a change of mode, without following a link when `followLink` is false
 * (`tokens`, `profiles`); the home itself may be a link the user made. Throws `TOKEN_STORE_UNSAFE` for a
 * link.
 */
export async function openDirectory(dir: string, followLink: boolean): Promise<FileHandle> {
  try {
    return await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | (followLink ? 0 : NO_FOLLOW));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') {
      throw unsafe(
        'symlink',
        dir,
        `The directory ${dir} is a symbolic link: aps-auth never follows one there. Replace it with a directory of your own (rm ${dir} && mkdir -m 700 ${dir}).`,
      );
    }
    throw error;
  }
}

/**
 * Refuses a home that another user could read, change or replace, as ssh refuses a loose `~/.ssh`:
 * the home and its `subdirs` (those that exist) must be directories of the user's that neither the group
 * nor others may write to (`tokens` and `profiles` must not be links either); every parent directory up to
 * the root must belong to the user or to root, and must not be writable by others unless sticky (as `/tmp`).
 * Throws `TokenStoreError` (`TOKEN_STORE_UNSAFE`) whose message says how to fix it.
 */
export async function checkHome(home: string, subdirs: readonly string[]): Promise<void> {
  const uid = currentUid();
  if (WINDOWS || uid === undefined) return;
  const real = await realLocation(home);
  const parents: string[] = [];
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    parents.push(dir);
    if (dirname(dir) === dir) break;
  }
  const [homeInfo, ...parentInfos] = await Promise.all([real, ...parents].map((dir) => statOrUndefined(dir)));
  parentInfos.forEach((info, index) => {
    if (info !== undefined) checkParent(parents[index]!, home, info, uid);
  });
  // Something else than a directory is left to the reads and writes, which fail with TOKEN_STORE_IO.
  if (homeInfo === undefined || !homeInfo.isDirectory()) return;
  checkPrivateDir(home, homeInfo, uid, 'The aps-auth home');
  const subInfos = await Promise.all(subdirs.map((sub) => statOrUndefined(join(real, sub), true)));
  subInfos.forEach((info, index) => {
    const dir = join(home, subdirs[index]!);
    if (info === undefined || !(info.isDirectory() || info.isSymbolicLink())) return;
    if (info.isSymbolicLink()) {
      throw unsafe(
        'symlink',
        dir,
        `The directory ${dir} is a symbolic link: aps-auth never follows one there. Replace it with a directory of your own (mkdir -m 700), moving its files into it.`,
      );
    }
    checkPrivateDir(dir, info, uid, 'The directory');
  });
}

function checkPrivateDir(dir: string, info: Stats, uid: number, what: string): void {
  if (info.uid !== uid) {
    throw unsafe(
      'foreign_owner',
      dir,
      `${what} ${dir} belongs to another user (uid ${info.uid}), who could read or replace your tokens: use a directory of your own (set APS_AUTH_HOME), or have it given to you (chown ${uid} ${dir} && chmod 700 ${dir}).`,
    );
  }
  if ((info.mode & 0o022) !== 0) {
    throw unsafe(
      'loose_permissions',
      dir,
      `${what} ${dir} is writable by other users (mode ${octal(info.mode)}), who could replace your tokens: fix it with chmod 700 ${dir}`,
    );
  }
}

function checkParent(parent: string, home: string, info: Stats, uid: number): void {
  if (info.uid !== uid && info.uid !== 0) {
    throw unsafe(
      'replaceable_parent',
      parent,
      `${parent}, a parent of the aps-auth home ${home}, belongs to another user (uid ${info.uid}), who could replace the home: choose a home under a directory of your own (set APS_AUTH_HOME).`,
    );
  }
  if ((info.mode & 0o022) !== 0 && (info.mode & STICKY) === 0) {
    throw unsafe(
      'replaceable_parent',
      parent,
      `${parent}, a parent of the aps-auth home ${home}, is writable by other users (mode ${octal(info.mode)}), who could replace the home: fix it with chmod go-w ${parent} (or chmod +t ${parent} for a shared directory), or choose another home (APS_AUTH_HOME).`,
    );
  }
}

/** `stat` (or `lstat`), or `undefined` when it does not exist. */
async function statOrUndefined(path: string, noFollow = false): Promise<Stats | undefined> {
  try {
    return await (noFollow ? lstat(path) : stat(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Where `path` really is: its links resolved, for the part that exists. */
async function realLocation(path: string): Promise<string> {
  for (let existing = path; ; existing = dirname(existing)) {
    try {
      return join(await realpath(existing), relative(existing, path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(existing) === existing) return path;
    }
  }
}
