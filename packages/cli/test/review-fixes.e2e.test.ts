import { chmod, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binLogin,
  CLIENT_ID,
  createWorld,
  PUBLIC_CLIENT_ID,
  readTokenFile,
  runBin,
  type TestWorld,
} from './helpers.js';

// The built bin against a real emulator: usage errors, the demo not hijacking explicit flags, --manual's end
// of input, corrupt profile files in `profiles` and `doctor`, a token of another client or server, a wait on
// another process's lock (live, then left by a dead process), and a home made private on write.

let world: TestWorld;
const run = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
  runBin(args, { env: { ...world.env, ...env }, cwd: world.cwd, ...(input === undefined ? {} : { input }) });

beforeAll(async () => {
  world = await createWorld();
  await binLogin(world);
});
afterAll(async () => {
  await world.close();
});

describe('usage errors are exit 2 with the CLI wording', () => {
  it('a malformed --profile or --callback-url, an out-of-range --timeout', async () => {
    for (const [args, message] of [
      [
        ['login', '--profile', '../x'],
        '--profile must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got "../x".',
      ],
      [
        ['token', '--profile', '../x'],
        '--profile must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got "../x".',
      ],
      [
        ['login', '--callback-url', 'not a url'],
        '--callback-url must be an absolute URL such as http://localhost:8080/api/auth/callback, got "not a url".',
      ],
      [['login', '--timeout', '3000000'], '--timeout must be from 1 to 2147483 seconds, got "3000000".'],
      [['login', '--timeout', '0.0001'], '--timeout must be from 1 to 2147483 seconds, got "0.0001".'],
    ] as const) {
      const result = await run([...args]);
      const command = args[0];
      expect(result, args.join(' ')).toEqual({
        code: 2,
        signal: null,
        stdout: '',
        stderr: `aps-auth: ${message}\nRun 'aps-auth ${command} --help' for usage.\n`,
      });
    }
  });
});

describe('login without a client id', () => {
  it('explicit flags are never hijacked by the demo: exit 1, "no APS client id configured"', async () => {
    const home = join(world.root, 'empty-home');
    const env = { PATH: world.env.PATH, HOME: world.root, TMPDIR: world.tmp, APS_AUTH_HOME: home };
    const result = await runBin(
      ['login', '--manual', '--profile', 'work', '--callback-url', 'http://localhost:8080/api/auth/callback'],
      { env, cwd: world.cwd, input: '' },
    );
    expect(result).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr:
        'aps-auth: no APS client id configured: set APS_CLIENT_ID (in the environment or .env) to sign in with --profile, --callback-url, --manual.\n' +
        "Without any of these flags, 'aps-auth login' runs the demo against a local emulator.\n",
    });
    const noOpen = await runBin(['login', '--no-open'], { env, cwd: world.cwd });
    expect(noOpen.code).toBe(1);
    expect(noOpen.stderr).toMatch(/^aps-auth: no APS client id configured: .* with --no-open\.\n/);
    await expect(stat(home)).rejects.toThrow();
  });
});

describe('login --manual: the end of input', () => {
  it('after a line that is not a URL: exit 4, "not the redirected URL"', async () => {
    const result = await run(['login', '--manual'], { APS_AUTH_BROWSER: undefined }, 'hello world\n');
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toContain(
      'The pasted line is not the redirected URL: paste the whole URL from the address bar',
    );
    expect(result.stderr).not.toContain('state does not match');
    expect(result.stderr).toMatch(
      /\naps-auth: The input ended before the redirected URL was pasted; the last line was refused: The pasted line is not the redirected URL: paste the whole URL from the address bar \(it holds code= and state=\)\.\n$/,
    );
  });

  it('after a refused URL (wrong state): exit 4 (cancelled), with the reason', async () => {
    const result = await run(
      ['login', '--manual'],
      { APS_AUTH_BROWSER: undefined },
      `${world.callbackUrl}?code=abc&state=not-this-one\n`,
    );
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toMatch(
      /\naps-auth: The input ended before the redirected URL was pasted; the last line was refused: The pasted URL was refused: its state does not match this sign-in/,
    );
  });
});

describe('corrupt profile files', () => {
  it('profiles still lists (corrupt flagged); doctor fails its config check naming the file', async () => {
    const home = join(world.root, 'corrupt-home');
    await mkdir(join(home, 'profiles'), { recursive: true, mode: 0o700 });
    const file = join(home, 'profiles', 'bad.json');
    await writeFile(file, '{oops', { mode: 0o600 });
    const env = { APS_AUTH_HOME: home, APS_AUTH_PROFILE: 'bad' };
    const json = await run(['profiles', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      home,
      current: 'bad',
      profiles: [
        {
          name: 'bad',
          current: true,
          clientId: null,
          baseUrl: null,
          signedIn: false,
          corrupt: true,
          expiresAt: null,
        },
      ],
    });
    expect(await run(['profiles'], env)).toMatchObject({
      code: 0,
      stdout: 'bad\t\t\tcorrupt\t\tcurrent\n',
    });

    const doctor = await run(['doctor', '--json'], env);
    expect(doctor.code).toBe(1);
    const config = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'config');
    expect(config).toEqual({
      id: 'config',
      status: 'fail',
      message: `The profile file ${file} is corrupt (not valid JSON): move it away or delete it, then sign in again.`,
    });
    expect(await readFile(file, 'utf8')).toBe('{oops');
  });
});

describe('token and exec: a token of another client id or server', () => {
  it('says so instead of "Not signed in" (exit 3)', async () => {
    const other = await run(['token'], { APS_CLIENT_ID: PUBLIC_CLIENT_ID, APS_CLIENT_SECRET: undefined });
    expect(other).toEqual({
      code: 3,
      signal: null,
      stdout: '',
      stderr:
        `aps-auth: The token stored for profile "default" is for another client id ${CLIENT_ID} (configured: ${PUBLIC_CLIENT_ID}): it is not used.\n` +
        "Run 'aps-auth login' to sign in with the configured client and server, or configure the ones it was made for.\n",
    });
    const server = await run(['exec', '--', 'true'], { APS_BASE_URL: 'http://127.0.0.1:9' });
    expect(server.code).toBe(3);
    expect(server.stderr).toBe(
      `aps-auth: The token stored for profile "default" is for another server ${world.emulator.url} (configured: http://127.0.0.1:9): it is not used.\n` +
        "Run 'aps-auth login' to sign in with the configured client and server, or configure the ones it was made for.\n",
    );
  });
});

/** Makes the stored access token expired, so that `token` must refresh (and take the lock). */
async function expireStoredToken() {
  const path = join(world.home, 'tokens', 'default.json');
  const file = await readTokenFile(world.home);
  const expiresAt = Date.now() - 1;
  file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
  await writeFile(path, JSON.stringify(file), { mode: 0o600 });
  return { path, file };
}

describe('a lock held by another process', () => {
  // No wall-clock margin: the lock is live (fresh) until the test sees the notice, then released.
  it('token says it is waiting (stderr), then refreshes once the lock is released', async () => {
    const { path, file } = await expireStoredToken();
    await mkdir(`${path}.lock`);
    let stderr = '';
    const result = await runBin(['token'], {
      env: world.env,
      cwd: world.cwd,
      onSpawn: (child) => {
        child.stderr?.on('data', (chunk: string | Buffer) => {
          stderr += String(chunk);
          if (stderr.includes('waiting for another aps-auth process'))
            void rm(`${path}.lock`, { recursive: true, force: true });
        });
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `aps-auth: waiting for another aps-auth process (lock ${path}.lock; taken over after 10 s if it died)\n`,
    );
    expect(result.stdout).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
    expect(result.stdout).not.toBe(`${file.token.accessToken}\n`);
  });

  it('a lock left by a dead process (older than 10 s) is taken over: token refreshes', async () => {
    const { path, file } = await expireStoredToken();
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    const result = await run(['token']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
    expect(result.stdout).not.toBe(`${file.token.accessToken}\n`);
  });
});

describe('the home directory', () => {
  it('a home made 0755 by hand is made 0700 by a login (a write), not by token (a read)', async () => {
    const home = join(world.root, 'wide-home');
    await mkdir(home);
    await chmod(home, 0o755);
    const env = { ...world.env, APS_AUTH_HOME: home };
    expect((await runBin(['token'], { env, cwd: world.cwd })).code).toBe(3);
    expect((await stat(home)).mode & 0o777).toBe(0o755);
    expect((await runBin(['login'], { env, cwd: world.cwd })).code).toBe(0);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
  });
});
