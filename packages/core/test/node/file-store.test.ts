import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isAbortedError, isConfigurationError, isTokenStoreError, TokenManager } from '../../src/index.js';
import { writePrivateFileAtomic } from '../../src/node/atomic-file.js';
import {
  deleteProfile,
  FileTokenStore,
  listProfiles,
  loadProfile,
  saveProfile,
} from '../../src/node/index.js';
import { tempDir, testToken as token } from './helpers.js';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('FileTokenStore', () => {
  it('saves and loads per profile: directories 0700, files 0600, the documented layout', async () => {
    const home = join(await tempDir(), 'nested', 'home');
    const store = new FileTokenStore({ home, clientId: 'app', baseUrl: 'http://127.0.0.1:9400/' });
    expect(await store.load('default')).toBeUndefined();
    await store.save('default', token(1));
    await store.save('work', token(2, { idToken: 'id' }));
    expect(await store.load('default')).toEqual(token(1));
    expect(await store.load('work')).toEqual(token(2, { idToken: 'id' }));
    expect(store.pathFor('work')).toBe(join(home, 'tokens', 'work.json'));
    expect(await mode(home)).toBe(0o700);
    expect(await mode(join(home, 'tokens'))).toBe(0o700);
    expect(await mode(store.pathFor('default'))).toBe(0o600);
    const file = JSON.parse(await readFile(store.pathFor('default'), 'utf8'));
    expect(file).toEqual({
      schemaVersion: 1,
      clientId: 'app',
      baseUrl: 'http://127.0.0.1:9400',
      savedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      token: token(1),
    });
    await store.delete('default');
    expect(await store.load('default')).toBeUndefined();
    await store.delete('default');
    expect(await readdir(join(home, 'tokens'))).toEqual(['work.json']);
  });

  it('tightens a directory or file that others could read', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'tokens'), { mode: 0o755 });
    const store = new FileTokenStore({ home });
    await writeFile(
      store.pathFor('default'),
      JSON.stringify({ schemaVersion: 1, savedAt: 'x', token: token() }),
      {
        mode: 0o644,
      },
    );
    expect(await store.load('default')).toEqual(token());
    expect(await mode(store.pathFor('default'))).toBe(0o600);
    await store.save('default', token(2));
    expect(await mode(join(home, 'tokens'))).toBe(0o700);
  });

  it('writes atomically: no temporary file is left, a replaced file is whole', async () => {
    const home = await tempDir();
    const store = new FileTokenStore({ home });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.save('default', token(i, { accessToken: 'a'.repeat(100_000 + i) })),
      ),
    );
    const loaded = await store.load('default');
    expect(loaded?.accessToken).toMatch(/^a{100000,}$/);
    expect(await readdir(join(home, 'tokens'))).toEqual(['default.json']);
  });

  it('save removes temporary files abandoned by dead writers, not those of live ones', async () => {
    const home = await tempDir();
    const store = new FileTokenStore({ home });
    await store.save('default', token(1));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const tokens = join(home, 'tokens');
    await writeFile(join(tokens, `.default.json.${dead}.abcdef.tmp`), 'partial');
    await writeFile(join(tokens, `.default.json.${process.ppid}.abcdef.tmp`), 'in progress elsewhere');
    await writeFile(join(tokens, `.other.json.${dead}.abcdef.tmp`), 'another profile');
    await store.save('default', token(2));
    expect((await readdir(tokens)).sort()).toEqual([
      `.default.json.${process.ppid}.abcdef.tmp`,
      `.other.json.${dead}.abcdef.tmp`,
      'default.json',
    ]);
  });

  it("TokenManager.signOut over a store bound to another app leaves that app's token in place", async () => {
    const home = await tempDir();
    await new FileTokenStore({ home, clientId: 'one', baseUrl: 'http://a' }).save('default', token());
    const store = new FileTokenStore({ home, clientId: 'two', baseUrl: 'http://a' });
    const manager = new TokenManager({ config: { clientId: 'two', baseUrl: 'http://a' }, store });
    expect(await manager.signOut()).toEqual({ wasSignedIn: false });
    expect(await new FileTokenStore({ home, clientId: 'one', baseUrl: 'http://a' }).load('default')).toEqual(
      token(),
    );
  });

  it('a token saved for another client id or server is not returned', async () => {
    const home = await tempDir();
    await new FileTokenStore({ home, clientId: 'one', baseUrl: 'http://a' }).save('default', token());
    expect(
      await new FileTokenStore({ home, clientId: 'two', baseUrl: 'http://a' }).load('default'),
    ).toBeUndefined();
    expect(
      await new FileTokenStore({ home, clientId: 'one', baseUrl: 'http://b' }).load('default'),
    ).toBeUndefined();
    expect(await new FileTokenStore({ home, clientId: 'one', baseUrl: 'http://a/' }).load('default')).toEqual(
      token(),
    );
    expect(await new FileTokenStore({ home }).load('default')).toEqual(token());
  });

  it('a corrupt file is TOKEN_STORE_CORRUPT with the path and the next step', async () => {
    const home = await tempDir();
    const store = new FileTokenStore({ home });
    await mkdir(join(home, 'tokens'), { recursive: true });
    for (const text of [
      '',
      '{',
      '[]',
      '{"schemaVersion":2}',
      '{"schemaVersion":1,"token":{"accessToken":1}}',
      'null',
    ]) {
      await writeFile(store.pathFor('default'), text);
      const error = await store.load('default').catch((e: unknown) => e);
      expect(isTokenStoreError(error), text).toBe(true);
      expect(error).toMatchObject({ code: 'TOKEN_STORE_CORRUPT', path: store.pathFor('default') });
      expect((error as Error).message).toContain(store.pathFor('default'));
      expect((error as Error).message).toContain('move it away or delete it, then sign in again');
    }
  });

  it('save over a corrupt file keeps it aside as <file>.corrupt-<timestamp> and warns', async () => {
    const home = await tempDir();
    const warnings: string[] = [];
    const store = new FileTokenStore({ home, onWarning: (m) => warnings.push(m) });
    await mkdir(join(home, 'tokens'), { recursive: true });
    await writeFile(store.pathFor('default'), '{"half": ');
    await store.save('default', token(7));
    expect(await store.load('default')).toEqual(token(7));
    const names = await readdir(join(home, 'tokens'));
    const aside = names.find((n) => n.startsWith('default.json.corrupt-'));
    expect(aside).toMatch(/^default\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(await readFile(join(home, 'tokens', aside!), 'utf8')).toBe('{"half": ');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(aside);
    // A valid file is simply replaced, without a warning.
    await store.save('default', token(8));
    expect(warnings).toHaveLength(1);
  });

  it('profile names are checked: no path traversal', async () => {
    const home = await tempDir();
    const store = new FileTokenStore({ home });
    for (const name of ['../x', '..', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(65), 'nul\0', '-dash', 'é']) {
      const error = await store.save(name, token()).catch((e: unknown) => e);
      expect(isConfigurationError(error), JSON.stringify(name)).toBe(true);
      expect(error).toMatchObject({ field: 'profile' });
      expect(() => store.pathFor(name)).toThrow();
    }
    for (const name of ['a', 'A.b_c-1', '0', 'x'.repeat(64)]) await store.save(name, token());
  });

  it('a lock left by a killed process is taken over once stale (10 s); a live one makes lock() give up', async () => {
    const home = await tempDir();
    const store = new FileTokenStore({ home, lockWaitMs: 150 });
    await store.save('default', token());
    const lockDir = `${store.pathFor('default')}.lock`;
    await mkdir(lockDir);
    const old = new Date(Date.now() - 20_000);
    await utimes(lockDir, old, old);
    expect(await store.lock('default', async () => 'taken over')).toBe('taken over');
    await mkdir(lockDir);
    const error = await store.lock('default', async () => 'never').catch((e: unknown) => e);
    expect(isTokenStoreError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_IO', path: store.pathFor('default') });
    expect((error as Error).message).toContain('remove the lock directory if no aps-auth process is running');
  });

  it('lockSignal stops a wait for another holder (AbortedError) before fn runs', async () => {
    const home = await tempDir();
    const controller = new AbortController();
    const store = new FileTokenStore({ home, lockSignal: controller.signal });
    await mkdir(join(home, 'tokens'), { recursive: true });
    const lockDir = `${store.pathFor('default')}.lock`;
    await mkdir(lockDir);
    let ran = false;
    const waiting = store
      .lock('default', async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    setImmediate(() => controller.abort());
    const error = await waiting;
    expect(isAbortedError(error)).toBe(true);
    expect((error as Error).message).toBe(`Waiting for the lock ${lockDir} was aborted.`);
    expect(ran).toBe(false);
    // The other holder's lock is left alone.
    expect((await stat(lockDir)).isDirectory()).toBe(true);
  });

  it('a wait on a live holder is told once (onWarning); when the holder dies its lock is taken over', async () => {
    const home = await tempDir();
    const warnings: string[] = [];
    let told!: () => void;
    const notice = new Promise<void>((resolve) => {
      told = resolve;
    });
    const store = new FileTokenStore({
      home,
      lockNoticeMs: 0,
      onWarning: (message) => {
        warnings.push(message);
        told();
      },
    });
    await store.save('default', token());
    const lockDir = `${store.pathFor('default')}.lock`;
    // A live holder: its lock is fresh, so the wait goes on (the 10 s stale time is far off).
    await mkdir(lockDir);
    const taking = store.lock('default', async () => 'taken over');
    await notice;
    // The holder dies: its lock is no longer touched, and (as time passes) becomes stale.
    const old = new Date(Date.now() - 60_000);
    await utimes(lockDir, old, old);
    expect(await taking).toBe('taken over');
    expect(warnings).toEqual([
      `waiting for another aps-auth process (lock ${lockDir}; taken over after 10 s if it died)`,
    ]);
  });

  it('the notice tells the injected stale time, and a wait shorter than the notice time is not told', async () => {
    const home = await tempDir();
    const warnings: string[] = [];
    const store = new FileTokenStore({
      home,
      lockStaleMs: 30_000,
      lockNoticeMs: 0,
      onWarning: (message) => warnings.push(message),
    });
    await store.save('default', token());
    const lockDir = `${store.pathFor('default')}.lock`;
    await mkdir(lockDir);
    const taking = store.lock('default', async () => 'taken over');
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toContain('taken over after 30 s if it died');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockDir, old, old);
    expect(await taking).toBe('taken over');
    // A normal concurrent refresh, well within the notice time, is not told.
    const quiet: string[] = [];
    const patient = new FileTokenStore({ home, lockNoticeMs: 60_000, onWarning: (m) => quiet.push(m) });
    let release!: () => void;
    const holding = patient.lock(
      'default',
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await vi.waitFor(() => expect(release).toBeDefined());
    const second = patient.lock('default', async () => 'second');
    release();
    await holding;
    expect(await second).toBe('second');
    expect(quiet).toEqual([]);
  });

  it('a lock touched in the future (a clock set back, a forged mtime) is stale: taken over at once', async () => {
    const home = await tempDir();
    const warnings: string[] = [];
    const store = new FileTokenStore({
      home,
      lockWaitMs: 60_000,
      lockNoticeMs: 0,
      onWarning: (message) => warnings.push(message),
    });
    await store.save('default', token());
    const lockDir = `${store.pathFor('default')}.lock`;
    await mkdir(lockDir);
    const future = new Date(Date.now() + 3_600_000);
    await utimes(lockDir, future, future);
    expect(await store.lock('default', async () => 'taken over')).toBe('taken over');
    // Taken over on the first retry, without a wait to tell of.
    expect(warnings).toEqual([]);
  });

  it('write paths make an existing home private (0755 -> 0700); reading leaves it alone', async () => {
    for (const write of [
      (home: string) => new FileTokenStore({ home }).save('default', token()),
      (home: string) => new FileTokenStore({ home }).lock('default', async () => undefined),
      (home: string) =>
        saveProfile(home, 'default', {
          clientId: 'c',
          callbackUrl: 'http://localhost:8080/cb',
          scopes: ['data:read'],
          baseUrl: 'http://127.0.0.1:9400',
        }),
    ]) {
      const home = join(await tempDir(), 'home');
      await mkdir(home, { mode: 0o755 });
      await chmod(home, 0o755);
      expect(await new FileTokenStore({ home }).load('default')).toBeUndefined();
      expect(await mode(home)).toBe(0o755);
      await write(home);
      expect(await mode(home)).toBe(0o700);
    }
  });

  it('lock() runs one holder at a time and leaves no lock behind', async () => {
    const home = await tempDir();
    const store = new FileTokenStore({ home });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        store.lock('default', async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((resolve) => setImmediate(resolve));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await readdir(join(home, 'tokens'))).toEqual([]);
  });
});

describe('profiles', () => {
  it('save, load (secret not enumerable), list, delete', async () => {
    const home = await tempDir();
    const settings = {
      clientId: 'app',
      clientSecret: 'shh-secret-value',
      callbackUrl: 'http://localhost:8080/api/auth/callback',
      scopes: ['data:read'],
      baseUrl: 'http://127.0.0.1:9400',
    };
    await saveProfile(home, 'work', settings);
    expect(await mode(join(home, 'profiles', 'work.json'))).toBe(0o600);
    expect(await mode(join(home, 'profiles'))).toBe(0o700);
    const loaded = await loadProfile(home, 'work');
    expect(loaded?.clientSecret).toBe('shh-secret-value');
    expect(JSON.stringify(loaded)).not.toContain('shh');
    expect({ ...loaded, clientSecret: loaded?.clientSecret }).toEqual(settings);
    expect(await loadProfile(home, 'none')).toBeUndefined();

    await new FileTokenStore({ home, clientId: 'app' }).save('work', token(1));
    await new FileTokenStore({ home, clientId: 'other', baseUrl: 'http://x' }).save('tokenonly', token(2));
    await mkdir(join(home, 'tokens'), { recursive: true });
    await writeFile(join(home, 'tokens', 'broken.json'), 'nope');
    await writeFile(join(home, 'tokens', '.work.json.123.abc.tmp'), 'partial');
    // A corrupt profile file with a valid token file: not signed in (the profile cannot be used).
    await writeFile(join(home, 'profiles', 'badprofile.json'), '{oops');
    await new FileTokenStore({ home, clientId: 'app' }).save('badprofile', token(3));
    // A token saved for another client id than the profile's: not signed in (it is not used).
    await saveProfile(home, 'moved', { ...settings, clientId: 'new-app' });
    await new FileTokenStore({ home, clientId: 'app', baseUrl: settings.baseUrl }).save('moved', token(4));
    expect(await listProfiles(home)).toEqual([
      {
        name: 'badprofile',
        clientId: 'app',
        signedIn: false,
        corrupt: true,
        expiresAt: token().expiresAt,
      },
      { name: 'broken', signedIn: false, corrupt: true },
      {
        name: 'moved',
        clientId: 'new-app',
        baseUrl: 'http://127.0.0.1:9400',
        signedIn: false,
        expiresAt: token().expiresAt,
      },
      {
        name: 'tokenonly',
        clientId: 'other',
        baseUrl: 'http://x',
        signedIn: true,
        expiresAt: token().expiresAt,
      },
      {
        name: 'work',
        clientId: 'app',
        baseUrl: 'http://127.0.0.1:9400',
        signedIn: true,
        expiresAt: token().expiresAt,
      },
    ]);
    await deleteProfile(home, 'work');
    expect((await listProfiles(home)).map((p) => p.name)).toEqual([
      'badprofile',
      'broken',
      'moved',
      'tokenonly',
    ]);
    expect(await listProfiles(join(home, 'missing'))).toEqual([]);
    await expect(loadProfile(home, '../etc')).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
  });

  it('a corrupt profile file is TOKEN_STORE_CORRUPT with its path', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'profiles'));
    await writeFile(join(home, 'profiles', 'default.json'), '{"schemaVersion":1}');
    await expect(loadProfile(home, 'default')).rejects.toMatchObject({
      name: 'TokenStoreError',
      code: 'TOKEN_STORE_CORRUPT',
      path: join(home, 'profiles', 'default.json'),
    });
  });
});

describe('writePrivateFileAtomic', () => {
  it('runs beforeReplace while writing, before the rename; if it fails, the old file stays and no temporary is left', async () => {
    const dir = join(await tempDir(), 'new-dir');
    const path = join(dir, 'file.json');
    // No directory yet: it is made (private) before the file lands.
    await writePrivateFileAtomic(path, 'old\n');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await mode(dir)).toBe(0o700);

    let seen: string | undefined;
    await writePrivateFileAtomic(path, 'new\n', async () => {
      seen = await readFile(path, 'utf8');
    });
    expect(seen).toBe('old\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');

    const failure = new Error('could not move it aside');
    await expect(
      writePrivateFileAtomic(path, 'never\n', async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['file.json']);
  });
});
