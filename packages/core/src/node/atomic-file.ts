import { type FileHandle, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkReplaceable, openDirectory, openPrivateFile } from './private-path.js';

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;
let temporaryCount = 0;

/**
 * Creates `dir` (and its parents) private to the user; tightens it, through a handle opened without following
 * a link, when it exists with wider permissions. A link there is refused (`TOKEN_STORE_UNSAFE`).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  if (process.platform === 'win32') return;
  await tightenThrough(await openDirectory(dir, false));
}

/**
 * Makes an existing directory private to the user when it is wider (e.g. an `APS_AUTH_HOME` made by hand with
 * 0755), through a handle (the home may be a link the user made: its target is the home). A directory that
 * does not exist yet, or that belongs to someone else, is left as it is (`checkHome` refuses the latter).
 */
export async function tightenDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle;
  try {
    handle = await openDirectory(dir, true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return;
  }
  await tightenThrough(handle);
}

async function tightenThrough(handle: FileHandle): Promise<void> {
  try {
    const { mode, uid } = await handle.stat();
    if ((mode & 0o077) !== 0 && uid === process.getuid?.()) await handle.chmod(PRIVATE_DIR);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file as text, or `undefined` when it does not exist. It is opened without following a link and
 * must be a regular file of the user's (else `TOKEN_STORE_UNSAFE`); one others could read (left by another
 * tool or an older version) is made private first, through the handle.
 */
export async function readPrivateFile(path: string): Promise<string | undefined> {
  const handle = await openPrivateFile(path);
  if (handle === undefined) return undefined;
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes `text` to `path` so that a reader sees either the old content or the new one, never a part: the text
 * goes to a private temporary file beside it (0600 from its creation), is flushed to disk, then renamed over
 * the target, and the directory entry is flushed too. A process killed at any point leaves the old file whole.
 */
export async function writePrivateFileAtomic(
  path: string,
  text: string,
  beforeReplace?: () => Promise<void>,
): Promise<void> {
  const dir = dirname(path);
  // The directory is made (or made private) while the temporary file is created in it when it exists, and
  // always before the rename: no token appears under its name in a directory others can read. Work that must
  // end before the rename too (e.g. moving a corrupt target aside) and the removal of other writers'
  // abandoned temporaries run while this one is written and flushed (the flush waits on the disk).
  const ensuring = settled(ensurePrivateDir(dir));
  const before = settled(
    Promise.all([
      ensuring.then((outcome) => {
        if (outcome !== undefined) throw outcome.error;
      }),
      removeAbandonedTemporaries(path),
      // A link (or another user's file) under the target's name is refused, not replaced.
      checkReplaceable(path),
      beforeReplace?.(),
    ]),
  );
  // Unique enough with 'wx' (an exclusive create fails rather than share a file); no node:crypto, which
  // would cost the CLI's token path a few milliseconds of start-up.
  const unique = `${Date.now().toString(36)}${(temporaryCount++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${unique}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx', PRIVATE_FILE).catch(async (error: unknown) => {
      // No directory yet: once it is made, create the file again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const outcome = await ensuring;
      if (outcome !== undefined) throw outcome.error;
      return open(temporary, 'wx', PRIVATE_FILE);
    });
  } catch (error) {
    await before;
    throw error;
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    await before;
    throw error;
  }
  // The directory is opened (to flush the rename) while the file is closed.
  const opening = openForSync(dir);
  opening.catch(() => undefined);
  await handle.close();
  try {
    const outcome = await before;
    if (outcome !== undefined) throw outcome.error;
    await rename(temporary, path);
  } catch (error) {
    await (await opening.catch(() => undefined))?.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(await opening);
}

/** Resolves with `undefined` once `promise` is fulfilled, or with its error: never rejects. */
function settled(promise: Promise<unknown>): Promise<{ error: unknown } | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
}

/** The directory, open for an fsync of its entries (none on Windows, which cannot open a directory). */
async function openForSync(dir: string): Promise<FileHandle | undefined> {
  if (process.platform === 'win32') return undefined;
  return open(dir, 'r');
}

async function syncDirectory(handle: FileHandle | undefined): Promise<void> {
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/** Temporary files of writers that died mid-write (their pid no longer runs) hold tokens: remove them. */
async function removeAbandonedTemporaries(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) {
      await rm(join(dirname(path), name), { force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a file; absent is fine. */
export async function removePrivateFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
