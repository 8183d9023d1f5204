import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitForOutput } from '@aps-auth/test-utils';
import { describe, expect, it } from 'vitest';
import {
  binLogin,
  CORE_DIST,
  expireStoredToken,
  holdLock,
  readTokenFile,
  runBin,
  runIn,
  useWorld,
} from './helpers.js';

// The store lock across processes, with the built bin against a real emulator: a wait on another process's
// live lock (told on stderr, then the refresh once it is released), a lock left by a dead process taken
// over, a signal during the wait, and logout holding the lock against a refresh in another process.
// No wall-clock margin: a live lock is held by a real holder process (kept fresh) until the test lets it go.

const WAITING = 'waiting for another aps-auth process';

const world = useWorld({ signedIn: true });

describe('a lock held by another process', () => {
  it('token says it is waiting (stderr), then refreshes once the lock is released', async () => {
    const { path, file } = await expireStoredToken(world.home);
    const holder = await holdLock(world.home);
    let released: Promise<number | null> | undefined;
    const result = await runBin(['token'], {
      env: world.env,
      cwd: world.cwd,
      onSpawn: (child) => {
        void waitForOutput(child, new RegExp(WAITING)).then(() => {
          released = holder.release();
        });
      },
    });
    expect(await released).toBe(0);
    expect(result.code, result.stderr).toBe(0);
    // The notice names the lock and how long a dead holder's lock is kept.
    expect(result.stderr).toContain(`${WAITING} (lock ${path}.lock; taken over after 10 s if it died)`);
    expect(result.stdout).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
    expect(result.stdout).not.toBe(`${file.token.accessToken}\n`);
  });

  it('a lock left by a dead process (older than 10 s) is taken over: token refreshes', async () => {
    const { path, file } = await expireStoredToken(world.home);
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    const result = await runIn(world, ['token']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
    expect(result.stdout).not.toBe(`${file.token.accessToken}\n`);
  });
});

describe('exec: a signal during a wait for the lock', () => {
  it('cancels at once (exit 4), says no refresh is in flight, sends no token request', async () => {
    const env = { APS_AUTH_PROFILE: 'locked' };
    await binLogin({ ...world, env: { ...world.env, ...env } });
    const { path, file } = await expireStoredToken(world.home, 'locked');
    // Another process holds the lock (live): exec waits for it.
    const holder = await holdLock(world.home, 'locked');
    world.emulator.control.clearRequests();
    const node = process.execPath;
    let signalled = false;
    const result = await runBin(['exec', '--', node, '-e', 'process.stdout.write("ran")'], {
      env: { ...world.env, ...env },
      cwd: world.cwd,
      onSpawn: (child) => {
        // SIGTERM once exec says it is waiting for the lock.
        void waitForOutput(child, new RegExp(WAITING)).then(() => {
          signalled = true;
          child.kill('SIGTERM');
        });
      },
    });
    expect(signalled).toBe(true);
    expect(result).toMatchObject({ code: 4, signal: null, stdout: '' });
    expect(result.stderr).toContain(`${WAITING} (lock ${path}.lock; taken over after 10 s if it died)`);
    // The next line says that the command never ran, naming it.
    expect(result.stderr).toMatch(new RegExp(`\\naps-auth: cancelled before ${node} started\\.\\n$`));
    expect(result.stderr).not.toContain('refresh in flight');
    expect(world.emulator.control.requests().filter((r) => r.endpoint === 'token')).toEqual([]);
    // The other process's lock is left as it was (it still holds it); the token too.
    expect((await stat(`${path}.lock`)).isDirectory()).toBe(true);
    expect(await holder.release()).toBe(0);
    expect((await readTokenFile(world.home, 'locked')).token.refreshToken).toBe(file.token.refreshToken);
  });
});

describe('logout holds the store lock', () => {
  it('a refresh in another process that holds the lock cannot sign the user in again after the logout', async () => {
    const env = { ...world.env, APS_AUTH_PROFILE: 'race' };
    await binLogin({ ...world, env });
    const path = join(world.home, 'tokens', 'race.json');
    // Another process: takes the lock, refreshes (rotating the refresh token), waits for "go", then saves.
    const core = pathToFileURL(join(CORE_DIST, 'node.js')).href;
    const coreMain = pathToFileURL(join(CORE_DIST, 'index.js')).href;
    const script = `
      const { FileTokenStore } = await import(${JSON.stringify(core)});
      const { refreshToken } = await import(${JSON.stringify(coreMain)});
      const store = new FileTokenStore({ home: process.env.APS_AUTH_HOME, clientId: process.env.APS_CLIENT_ID, baseUrl: process.env.APS_BASE_URL });
      await store.lock('race', async () => {
        const current = await store.load('race');
        const fresh = await refreshToken({ clientId: process.env.APS_CLIENT_ID, clientSecret: process.env.APS_CLIENT_SECRET, redirectUri: process.env.APS_CALLBACK_URL, scopes: current.scopes, baseUrl: process.env.APS_BASE_URL }, { refreshToken: current.refreshToken });
        process.stdout.write('locked\\n');
        await new Promise((resolve) => process.stdin.once('data', resolve));
        await store.save('race', fresh);
        process.stdout.write('saved\\n');
      });
      process.exit(0);
    `;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let holderOut = '';
    const holderDone = new Promise<number | null>((resolve) => holder.once('exit', resolve));
    await new Promise<void>((resolve) =>
      holder.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        holderOut += chunk;
        if (holderOut.includes('locked')) resolve();
      }),
    );
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      holder.stdin.end('go\n');
    };
    // "go" once logout waits for the lock (its notice), or has ended without waiting.
    const logout = await runBin(['logout', '--json'], {
      env,
      cwd: world.cwd,
      onSpawn: (child) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes(WAITING)) release();
        });
        child.once('exit', release);
      },
    });
    expect(await holderDone).toBe(0);
    expect(holderOut).toBe('locked\nsaved\n');
    expect(logout.code, logout.stderr).toBe(0);
    expect(JSON.parse(logout.stdout)).toEqual({
      schemaVersion: 1,
      profile: 'race',
      wasSignedIn: true,
      revoked: true,
      forgotten: true,
    });
    // Signed out: no token file, and the grant the other process rotated to is revoked.
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
    const revoked = world.emulator.control
      .requests()
      .filter((r) => r.endpoint === 'revoke' && r.status === 200);
    expect(revoked.length).toBeGreaterThanOrEqual(2);
    const refresh = await runBin(['refresh'], { env, cwd: world.cwd });
    expect(refresh.code).toBe(3);
  });
});
