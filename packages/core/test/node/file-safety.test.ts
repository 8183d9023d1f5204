import { spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTokenStoreError } from '../../src/index.js';
import { FileTokenStore, listProfiles, loadProfile, saveProfile } from '../../src/node/index.js';
import { tempDir, testToken as token } from './helpers.js';

// The tests run as root (here and in CI): another owner is simulated with chown to an unused uid.
const OTHER_UID = 4242;
const asRoot = process.getuid?.() === 0;
const posix = process.platform !== 'win32';

const settings = {
  clientId: 'c',
  callbackUrl: 'http://localhost:8080/cb',
  scopes: ['data:read'],
  baseUrl: 'http://127.0.0.1:9400',
};
const mode = async (path: string) => (await stat(path)).mode & 0o7777;

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; reason?: string }> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(isTokenStoreError(error), String(error)).toBe(true);
  return error as Error & { code: string; reason: string };
}

/** A home with a saved token and profile, and a file elsewhere that an attacker wants changed. */
async function homeWithVictim() {
  const root = await tempDir();
  const home = join(root, 'home');
  const store = new FileTokenStore({ home });
  await store.save('default', token());
  await saveProfile(home, 'default', settings);
  const victim = join(root, 'public.html');
  await writeFile(victim, '<h1>public</h1>');
  await chmod(victim, 0o644);
  return { root, home, store, victim };
}

describe.runIf(posix)('token and profile files are never followed through a link', () => {
  it('a token path that is a symlink to another file: load and save refuse, that file is left as it was', async () => {
    const { store, victim } = await homeWithVictim();
    const path = store.pathFor('default');
    await rm(path);
    await symlink(victim, path);
    for (const attempt of [() => store.load('default'), () => store.save('default', token(2))]) {
      const error = await failure(attempt());
      expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'symlink', path });
      expect(error.message).toContain(`The token file ${path} is a symbolic link`);
      expect(error.message).toContain(`rm ${path}`);
    }
    expect(await mode(victim)).toBe(0o644);
    expect(await readFile(victim, 'utf8')).toBe('<h1>public</h1>');
    // The lock path is not a way around it either.
    await expect(store.lock('default', async () => store.load('default'))).rejects.toMatchObject({
      code: 'TOKEN_STORE_UNSAFE',
    });
    expect(await mode(victim)).toBe(0o644);
    // listProfiles flags it rather than throwing.
    expect(await listProfiles(store.home)).toEqual([
      expect.objectContaining({ name: 'default', signedIn: false, unsafe: true }),
    ]);
  });

  it('a profile path that is a symlink is refused on load and save', async () => {
    const { home, victim } = await homeWithVictim();
    const path = join(home, 'profiles', 'default.json');
    await rm(path);
    await symlink(victim, path);
    for (const attempt of [
      () => loadProfile(home, 'default'),
      () => saveProfile(home, 'default', settings),
    ]) {
      const error = await failure(attempt());
      expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'symlink', path });
      expect(error.message).toContain(`The profile file ${path} is a symbolic link`);
    }
    expect(await mode(victim)).toBe(0o644);
  });

  it('a tokens directory that is a symlink is refused; the linked directory keeps its mode', async () => {
    const root = await tempDir();
    const home = join(root, 'home');
    const elsewhere = join(root, 'shared');
    await mkdir(home, { mode: 0o700 });
    await mkdir(elsewhere);
    await chmod(elsewhere, 0o755);
    await symlink(elsewhere, join(home, 'tokens'));
    const store = new FileTokenStore({ home });
    for (const attempt of [() => store.save('default', token()), () => store.load('default')]) {
      const error = await failure(attempt());
      expect(error).toMatchObject({
        code: 'TOKEN_STORE_UNSAFE',
        reason: 'symlink',
        path: join(home, 'tokens'),
      });
    }
    expect(await mode(elsewhere)).toBe(0o755);
  });

  it('a token file that is not a regular file (a FIFO, a directory) is refused without hanging', async () => {
    const { store } = await homeWithVictim();
    const path = store.pathFor('default');
    await rm(path);
    const fifo = spawnSync('mkfifo', [path]);
    if (fifo.status !== 0) await mkdir(path);
    const error = await failure(store.load('default'));
    expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'not_regular_file', path });
    expect(error.message).toContain('is not a regular file');
  });

  it.runIf(asRoot)('a token file of another user is refused and its mode is not changed', async () => {
    const { store } = await homeWithVictim();
    const path = store.pathFor('default');
    await chmod(path, 0o644);
    await chown(path, OTHER_UID, OTHER_UID);
    const error = await failure(store.load('default'));
    expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'foreign_owner', path });
    expect(error.message).toContain(`belongs to another user (uid ${OTHER_UID})`);
    expect(await mode(path)).toBe(0o644);
  });

  it('a readable token file of ours is made private through its handle, and read', async () => {
    const { store } = await homeWithVictim();
    const path = store.pathFor('default');
    await chmod(path, 0o644);
    expect(await store.load('default')).toEqual(token());
    expect(await mode(path)).toBe(0o600);
  });
});

describe.runIf(posix)('a home others could write to or replace is refused, as ssh refuses ~/.ssh', () => {
  it.each(['777', '775', '757'])(
    'a home of mode %s: every use refused, with the chmod that fixes it',
    async (text) => {
      const bits = Number.parseInt(text, 8);
      const { home, store } = await homeWithVictim();
      await chmod(home, bits);
      for (const attempt of [
        () => store.load('default'),
        () => store.save('default', token(2)),
        () => store.lock('default', async () => undefined),
        () => store.delete('default'),
        () => loadProfile(home, 'default'),
        () => saveProfile(home, 'default', settings),
        () => listProfiles(home),
      ]) {
        const error = await failure(attempt());
        expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'loose_permissions', path: home });
        expect(error.message).toContain('is writable by other users');
        expect(error.message).toContain(`chmod 700 ${home}`);
      }
      // Nothing was changed: the mode is the user's to fix, and the token is still there.
      expect(await mode(home)).toBe(bits);
      await chmod(home, 0o700);
      expect(await store.load('default')).toEqual(token());
    },
  );

  it('a group-writable tokens or profiles directory is refused', async () => {
    const { home, store } = await homeWithVictim();
    await chmod(join(home, 'tokens'), 0o770);
    const error = await failure(store.load('default'));
    expect(error).toMatchObject({ reason: 'loose_permissions', path: join(home, 'tokens') });
    expect(error.message).toContain(`chmod 700 ${join(home, 'tokens')}`);
    await chmod(join(home, 'tokens'), 0o700);
    await chmod(join(home, 'profiles'), 0o722);
    await expect(loadProfile(home, 'default')).rejects.toMatchObject({
      code: 'TOKEN_STORE_UNSAFE',
      path: join(home, 'profiles'),
    });
  });

  it('a home readable by others (0755) is still used; a write makes it 0700', async () => {
    const { home, store } = await homeWithVictim();
    await chmod(home, 0o755);
    expect(await store.load('default')).toEqual(token());
    expect(await mode(home)).toBe(0o755);
    await store.save('default', token(2));
    expect(await mode(home)).toBe(0o700);
  });

  it('a parent writable by others without the sticky bit is refused; with it (as /tmp), accepted', async () => {
    const root = await tempDir();
    const parent = join(root, 'shared');
    const home = join(parent, 'home');
    await mkdir(parent);
    await chmod(parent, 0o777);
    const store = new FileTokenStore({ home });
    // Before the home exists too: it would be made in a directory others can change.
    for (const attempt of [() => store.save('default', token()), () => store.load('default')]) {
      const error = await failure(attempt());
      expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'replaceable_parent', path: parent });
      expect(error.message).toContain(`a parent of the aps-auth home ${home}`);
      expect(error.message).toContain(`chmod go-w ${parent}`);
    }
    await chmod(parent, 0o1777);
    await store.save('default', token());
    expect(await store.load('default')).toEqual(token());
  });

  it('a parent reached through a link is checked where it really is', async () => {
    const root = await tempDir();
    const real = join(root, 'real');
    await mkdir(real);
    await chmod(real, 0o777);
    await symlink(real, join(root, 'link'));
    const store = new FileTokenStore({ home: join(root, 'link', 'home') });
    await expect(store.save('default', token())).rejects.toMatchObject({
      code: 'TOKEN_STORE_UNSAFE',
      reason: 'replaceable_parent',
      path: real,
    });
  });

  it.runIf(asRoot)('a home, or a parent, owned by another user is refused', async () => {
    const { root, home, store } = await homeWithVictim();
    await chown(home, OTHER_UID, OTHER_UID);
    const error = await failure(store.load('default'));
    expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'foreign_owner', path: home });
    expect(error.message).toContain(`belongs to another user (uid ${OTHER_UID})`);
    expect(error.message).toContain('set APS_AUTH_HOME');
    await chown(home, 0, 0);
    await chown(root, OTHER_UID, OTHER_UID);
    const parent = await failure(store.load('default'));
    expect(parent).toMatchObject({ code: 'TOKEN_STORE_UNSAFE', reason: 'replaceable_parent', path: root });
    expect(parent.message).toContain(`belongs to another user (uid ${OTHER_UID})`);
    await chown(root, 0, 0);
    expect(await store.load('default')).toEqual(token());
  });
});
