import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator } from '@aps-auth/emulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binLogin,
  CLIENT_ID,
  createWorld,
  PUBLIC_CLIENT_ID,
  runBin,
  SECRET,
  type TestWorld,
} from './helpers.js';

// Second-pass review fixes, with the built bin against real emulators.

const CORE_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'dist');

let world: TestWorld;
const run = (
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string; input?: string } = {},
) =>
  runBin(args, {
    env: { ...world.env, ...env },
    cwd: options.cwd ?? world.cwd,
    ...(options.input === undefined ? {} : { input: options.input }),
  });

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

describe('a .env server never re-points a saved profile', () => {
  it('login refuses (exit 1), keeps the profile and its secret, and no secret reaches the .env server', async () => {
    // The other server: an emulator that knows the same client id (as a public app) and callback.
    const other = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      autoApprove: true,
      rateLimits: false,
      clients: [{ clientId: CLIENT_ID, redirectUris: [world.callbackUrl] }],
    });
    try {
      const home = join(world.root, 'dotenv-home');
      const env = { APS_AUTH_HOME: home, APS_AUTH_PROFILE: 'dotenv' };
      await binLogin({ ...world, env: { ...world.env, ...env } });
      const profileFile = join(home, 'profiles', 'dotenv.json');
      const before = await readFile(profileFile, 'utf8');
      expect(JSON.parse(before)).toMatchObject({ baseUrl: world.emulator.url, clientSecret: SECRET });

      const project = join(world.root, 'project');
      await mkdir(project);
      await writeFile(join(project, '.env'), `APS_BASE_URL=${other.url}\n`);
      // No secret and no server in the environment: only the .env names a server.
      const result = await run(
        ['login'],
        { ...env, APS_BASE_URL: undefined, APS_CLIENT_SECRET: undefined },
        { cwd: project },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `aps-auth: ${join(project, '.env')} would replace the saved profile "dotenv"'s server ${world.emulator.url} with ${other.url} (APS_BASE_URL): refused`,
      );
      expect(result.stderr).toContain('set APS_BASE_URL in the environment');
      expect(await readFile(profileFile, 'utf8')).toBe(before);
      expect(other.control.requests()).toEqual([]);

      // Outside the project, a secret from the environment goes to the profile's own server only.
      const twoLegged = await run(
        ['two-legged', '--scopes', 'data:read'],
        { ...env, APS_BASE_URL: undefined },
        { cwd: world.cwd },
      );
      expect(twoLegged.code).toBe(0);
      expect(other.control.requests()).toEqual([]);

      // Deliberately, from the environment: allowed; the withheld secret is said to be dropped.
      const deliberate = await run(
        ['login'],
        { ...env, APS_BASE_URL: other.url, APS_CLIENT_SECRET: undefined },
        { cwd: project },
      );
      expect(deliberate.code, deliberate.stderr).toBe(0);
      expect(deliberate.stderr).toContain(
        `aps-auth: the client secret saved in profile "dotenv" (for client id ${CLIENT_ID} at ${world.emulator.url}) is not kept: this sign-in is for client id ${CLIENT_ID} at ${other.url}.`,
      );
    } finally {
      await other.close();
    }
  });
});

describe('exec: a signal during a wait for the lock', () => {
  it('cancels at once (exit 4), says no refresh is in flight, sends no token request', async () => {
    const env = { APS_AUTH_PROFILE: 'locked' };
    await binLogin({ ...world, env: { ...world.env, ...env } });
    const path = join(world.home, 'tokens', 'locked.json');
    const file = JSON.parse(await readFile(path, 'utf8'));
    const expiresAt = Date.now() - 1;
    file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
    await writeFile(path, JSON.stringify(file), { mode: 0o600 });
    // A lock left by a dead process just now: taken over only after 10 s.
    await mkdir(`${path}.lock`);
    world.emulator.control.clearRequests();
    const node = process.execPath;
    let signalled = false;
    const result = await runBin(['exec', '--', node, '-e', 'process.stdout.write("ran")'], {
      env: { ...world.env, ...env },
      cwd: world.cwd,
      onSpawn: (child) => {
        // SIGTERM once exec says it is waiting for the lock.
        child.stderr!.on('data', (chunk: Buffer) => {
          if (!signalled && chunk.toString().includes('waiting for another aps-auth process')) {
            signalled = true;
            child.kill('SIGTERM');
          }
        });
      },
    });
    expect(signalled).toBe(true);
    expect(result).toEqual({
      code: 4,
      signal: null,
      stdout: '',
      stderr:
        `aps-auth: waiting for another aps-auth process (lock ${path}.lock; taken over after 10 s if it died)\n` +
        `aps-auth: cancelled before ${node} started.\n`,
    });
    expect(world.emulator.control.requests().filter((r) => r.endpoint === 'token')).toEqual([]);
    // The stale lock is left as it was; the token too.
    expect(JSON.parse(await readFile(path, 'utf8')).token.refreshToken).toBe(file.token.refreshToken);
    await rm(`${path}.lock`, { recursive: true });
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
          if (chunk.toString().includes('waiting for another aps-auth process')) release();
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

describe('a token of another client id: the same message from every command', () => {
  it('refresh and status name it (exit 3); logout names it and leaves the file', async () => {
    const env = { ...world.env, APS_AUTH_PROFILE: 'otherclient' };
    await binLogin({ ...world, env });
    const path = join(world.home, 'tokens', 'otherclient.json');
    const before = await readFile(path, 'utf8');
    const other = { ...env, APS_CLIENT_ID: PUBLIC_CLIENT_ID, APS_CLIENT_SECRET: undefined };
    const message =
      `aps-auth: The token stored for profile "otherclient" is for another client id ${CLIENT_ID} (configured: ${PUBLIC_CLIENT_ID}): it is not used.\n` +
      "Run 'aps-auth login --profile otherclient' to sign in with the configured client and server, or configure the ones it was made for.\n";
    const refresh = await runBin(['refresh'], { env: other, cwd: world.cwd });
    expect(refresh).toEqual({ code: 3, signal: null, stdout: '', stderr: message });
    const status = await runBin(['status'], { env: other, cwd: world.cwd });
    expect(status.code).toBe(3);
    expect(status.stderr).toBe(message);
    const logout = await runBin(['logout'], { env: other, cwd: world.cwd });
    expect(logout).toEqual({
      code: 0,
      signal: null,
      stdout: '',
      stderr: `aps-auth: The token stored for profile "otherclient" is for another client id ${CLIENT_ID} (configured: ${PUBLIC_CLIENT_ID}): not signed out (nothing revoked, the file is left in place). Configure the client id and server it was made for to sign it out, or sign in again to replace it.\n`,
    });
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});

describe('logout with a corrupt token file', () => {
  it('moves it aside and says where (exit 0), instead of failing', async () => {
    const env = { ...world.env, APS_AUTH_PROFILE: 'corrupttoken' };
    const path = join(world.home, 'tokens', 'corrupttoken.json');
    await mkdir(join(world.home, 'tokens'), { recursive: true });
    await writeFile(path, '{oops', { mode: 0o600 });
    const result = await runBin(['logout', '--json'], { env, cwd: world.cwd });
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toEqual({
      schemaVersion: 1,
      profile: 'corrupttoken',
      wasSignedIn: false,
      revoked: null,
      forgotten: true,
      movedAside: expect.stringMatching(/corrupttoken\.json\.corrupt-/),
    });
    expect(result.stderr).toBe(
      `aps-auth: the token file ${path} was corrupt: nothing could be revoked; it was moved aside to ${document.movedAside} (profile "corrupttoken" is signed out locally).\n`,
    );
    expect(await readFile(document.movedAside, 'utf8')).toBe('{oops');
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('an invalid profile name from APS_AUTH_PROFILE', () => {
  it('says where it came from; doctor --json still prints its document (exit 1)', async () => {
    const suffix =
      'Invalid profile name "../x": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
    const token = await run(['token'], { APS_AUTH_PROFILE: '../x' });
    expect(token).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `aps-auth: APS_AUTH_PROFILE (from the environment): ${suffix}\n`,
    });
    const project = join(world.root, 'badprofile-project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, '.env'), 'APS_AUTH_PROFILE=../x\n');
    const doctor = await run(['doctor', '--json'], {}, { cwd: project });
    expect(doctor.code).toBe(1);
    const document = JSON.parse(doctor.stdout);
    expect(document).toMatchObject({ schemaVersion: 1, ok: false, profile: null });
    expect(document.checks[0]).toEqual({
      id: 'config',
      status: 'fail',
      message: `APS_AUTH_PROFILE (from ${join(project, '.env')}): ${suffix}`,
    });
    expect(document.checks.slice(1).map((c: { status: string }) => c.status)).toEqual([
      'skip',
      'skip',
      'skip',
      'skip',
      'skip',
      'skip',
    ]);
  });
});
