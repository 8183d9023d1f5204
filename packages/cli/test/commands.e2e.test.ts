import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainUsage } from '../src/commands.js';
import {
  BIN,
  binLogin,
  createWorld,
  PUBLIC_CLIENT_ID,
  readTokenFile,
  runBin,
  type TestWorld,
} from './helpers.js';

// The built bin, spawned with the workspace's Node, against a real emulator over HTTP, with a temporary
// APS_AUTH_HOME: every command's success and failure paths, exact stdout, stderr and exit codes.

const EXPIRY = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in (59m \d+s|1h)\)`;

let world: TestWorld;
const run = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
  runBin(args, { env: { ...world.env, ...env }, cwd: world.cwd, ...(input === undefined ? {} : { input }) });
const tokenEntries = () =>
  world.emulator.control.requests().filter((r) => r.endpoint === 'token' && r.status !== 0);

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

describe('global', () => {
  it('--version and --help print on stdout and exit 0', async () => {
    const pkg = JSON.parse(await readFile(join(BIN, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await run(['--version'])).toEqual({
      code: 0,
      signal: null,
      stdout: `${pkg.version}\n`,
      stderr: '',
    });
    expect(await run(['--help'])).toEqual({ code: 0, signal: null, stdout: mainUsage(), stderr: '' });
  });

  it('no command: the usage on stderr, exit 2; an unknown command: exit 2', async () => {
    expect(await run([])).toEqual({ code: 2, signal: null, stdout: '', stderr: mainUsage() });
    expect(await run(['bogus'])).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: `aps-auth: unknown command "bogus"\nRun 'aps-auth --help' for usage.\n`,
    });
  });

  it('every command has --help on stdout, exit 0', async () => {
    for (const verb of [
      'login',
      'token',
      'refresh',
      'status',
      'logout',
      'two-legged',
      'exec',
      'doctor',
      'profiles',
    ]) {
      const result = await run([verb, '--help']);
      expect(result.code, verb).toBe(0);
      expect(result.stdout, verb).toMatch(new RegExp(`^Usage: aps-auth ${verb}`));
      expect(result.stderr, verb).toBe('');
    }
  });

  it('a bad flag is a usage error (exit 2) naming the command help', async () => {
    expect(await run(['token', '--bogus'])).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: `aps-auth: unknown option "--bogus".\nRun 'aps-auth token --help' for usage.\n`,
    });
  });
});

describe('before any sign-in', () => {
  it('token: exit 3, nothing on stdout', async () => {
    expect(await run(['token'])).toEqual({
      code: 3,
      signal: null,
      stdout: '',
      stderr: `aps-auth: Not signed in (profile "default").\nRun 'aps-auth login' to sign in.\n`,
    });
  });

  it('status: the document says signedIn false, exit 3', async () => {
    const result = await run(['status', '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      schemaVersion: 1,
      signedIn: false,
      profile: 'default',
    });
    expect(result.stderr).toBe(`Not signed in. Run 'aps-auth login' to sign in.\n`);
  });

  it('refresh and exec: exit 3; logout: nothing to do, exit 0; profiles: none', async () => {
    expect((await run(['refresh'])).code).toBe(3);
    expect((await run(['exec', '--', 'true'])).code).toBe(3);
    expect(await run(['logout'])).toEqual({
      code: 0,
      signal: null,
      stdout: '',
      stderr: 'Not signed in (profile "default"); nothing to do.\n',
    });
    expect(await run(['profiles'])).toEqual({
      code: 0,
      signal: null,
      stdout: '',
      stderr: `No saved profiles in ${world.home}. Run 'aps-auth login' to create one.\n`,
    });
  });
});

describe('signed in', () => {
  let login: Awaited<ReturnType<typeof binLogin>>;
  beforeAll(async () => {
    login = await binLogin(world);
  });

  it('login: the status on stdout, progress lines on stderr, no spinner in a pipe', async () => {
    expect(login.stdout).toMatch(
      new RegExp(
        `^profile\\tdefault\\nsigned in\\tyes\\nuser\\tAda Lovelace <ada.lovelace@example.com>\\nscopes\\tdata:read viewables:read\\nexpires\\t${EXPIRY}\\nclient id\\tcli-test-client\\nserver\\t${world.emulator.url}\\n$`,
      ),
    );
    const lines = login.stderr.split('\n');
    expect(lines[0]).toBe(`Listening for the callback on ${world.callbackUrl}`);
    expect(lines[1]).toMatch(
      /^Sign-in link: http:\/\/localhost:\d+\/api\/auth\/callback\/start\?id=[A-Za-z0-9_-]{43}$/,
    );
    expect(lines.slice(2)).toEqual([
      'Following the authorize redirect (auto-approve, no browser)',
      'Callback received',
      'Exchanging the code for tokens',
      'Token stored',
      expect.stringMatching(
        new RegExp(
          `^Signed in as Ada Lovelace <ada.lovelace@example.com> \\(profile "default"\\); the access token expires ${EXPIRY}\\.$`,
        ),
      ),
      '',
    ]);
    expect(login.stderr).not.toContain('\r');
  });

  it('token: only the stored access token on stdout, no request to the server', async () => {
    const before = world.emulator.control.requests().length;
    const stored = await readTokenFile(world.home);
    expect(await run(['token'])).toEqual({
      code: 0,
      signal: null,
      stdout: `${stored.token.accessToken}\n`,
      stderr: '',
    });
    expect(world.emulator.control.requests().length).toBe(before);
  });

  it('token --json: one document', async () => {
    const stored = await readTokenFile(world.home);
    const result = await run(['token', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      profile: 'default',
      accessToken: stored.token.accessToken,
      tokenType: 'Bearer',
      expiresAt: new Date(stored.token.expiresAt).toISOString(),
      expiresIn: expect.any(Number),
      scopes: ['data:read', 'viewables:read'],
    });
  });

  it('token --scopes: a down-scoped token, the stored grant keeps its scopes', async () => {
    const result = await run(['token', '--scopes', 'viewables:read']);
    expect(result.code).toBe(0);
    const claims = JSON.parse(Buffer.from(result.stdout.trim().split('.')[1]!, 'base64url').toString()) as {
      scope: string[];
    };
    expect(claims.scope).toEqual(['viewables:read']);
    expect((await readTokenFile(world.home)).token.scopes).toEqual(['data:read', 'viewables:read']);
  });

  it('status: terminal-free lines; --json: the schema', async () => {
    const plain = await run(['status']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(
      /^profile\tdefault\nsigned in\tyes\nuser\tAda Lovelace <ada.lovelace@example.com>\n/,
    );
    const json = await run(['status', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      profile: 'default',
      state: 'valid',
      signedIn: true,
      expired: false,
      refreshable: true,
      problem: null,
      user: {
        id: 'EMU7TESTUSER',
        name: 'Ada Lovelace',
        email: 'ada.lovelace@example.com',
        username: 'ada.lovelace',
      },
      scopes: ['data:read', 'viewables:read'],
      expiresAt: expect.stringMatching(/Z$/),
      expiresIn: expect.any(Number),
      clientId: 'cli-test-client',
      baseUrl: world.emulator.url,
      callbackUrl: world.callbackUrl,
      home: world.home,
      sources: {
        profile: 'default',
        home: 'env',
        clientId: 'env',
        clientSecret: 'env',
        callbackUrl: 'env',
        scopes: 'profile',
        baseUrl: 'env',
      },
    });
  });

  it('refresh: a new token stored, nothing on stdout', async () => {
    const before = (await readTokenFile(world.home)).token;
    const refreshes = tokenEntries().filter((r) => r.grantType === 'refresh_token').length;
    const result = await run(['refresh']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(
      new RegExp(`^Refreshed the token of profile "default"; it expires ${EXPIRY}\\.\\n$`),
    );
    const after = (await readTokenFile(world.home)).token;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(tokenEntries().filter((r) => r.grantType === 'refresh_token').length).toBe(refreshes + 1);
    const json = await run(['refresh', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      profile: 'default',
      scopes: ['data:read', 'viewables:read'],
      expiresAt: expect.any(String),
      expiresIn: expect.any(Number),
    });
  });

  it('profiles: a line per profile in a pipe, a document with --json; no secret', async () => {
    const plain = await run(['profiles']);
    expect(plain.stdout).toMatch(
      new RegExp(`^default\\tcli-test-client\\t${world.emulator.url}\\tyes\\t\\S+Z\\tcurrent\\n$`),
    );
    const json = JSON.parse((await run(['profiles', '--json'])).stdout);
    expect(json).toEqual({
      schemaVersion: 1,
      home: world.home,
      current: 'default',
      profiles: [
        {
          name: 'default',
          current: true,
          clientId: 'cli-test-client',
          baseUrl: world.emulator.url,
          signedIn: true,
          corrupt: false,
          expiresAt: expect.any(String),
        },
      ],
    });
  });

  it('a profile saved at login is enough: token works with only APS_AUTH_HOME', async () => {
    const result = await run(['token'], {
      APS_CLIENT_ID: undefined,
      APS_CLIENT_SECRET: undefined,
      APS_BASE_URL: undefined,
      APS_CALLBACK_URL: undefined,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
  });

  it('two-legged: a client-credentials token on stdout; --json', async () => {
    const result = await run(['two-legged', '--scopes', 'data:read bucket:read']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(tokenEntries().at(-1)).toMatchObject({
      grantType: 'client_credentials',
      clientAuth: 'basic',
      status: 200,
    });
    const json = JSON.parse((await run(['two-legged', '--scopes', 'data:read', '--json'])).stdout);
    expect(json).toMatchObject({ schemaVersion: 1, tokenType: 'Bearer', scopes: ['data:read'] });
  });

  it('two-legged without a secret: exit 1', async () => {
    // The public client: the profile's saved secret belongs to the other client id and is not used.
    expect(
      await run(['two-legged', '--scopes', 'data:read'], {
        APS_CLIENT_ID: PUBLIC_CLIENT_ID,
        APS_CLIENT_SECRET: undefined,
      }),
    ).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr:
        'aps-auth: A two-legged token needs the client secret of a confidential app: set APS_CLIENT_SECRET.\n',
    });
  });

  it('a corrupt token file: exit 1 with the next step, never replaced by token', async () => {
    const path = join(world.home, 'tokens', 'broken.json');
    await writeFile(path, '{not json', { mode: 0o600 });
    const result = await run(['token', '--profile', 'broken']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`The token file ${path} is corrupt`);
    expect(await readFile(path, 'utf8')).toBe('{not json');
  });
});

describe('failures at the server', () => {
  it('refresh: a 503 is exit 5; a rejected refresh token is exit 3 (sign in again)', async () => {
    await binLogin(world, ['--profile', 'flaky']);
    world.emulator.control.addFault({
      endpoint: 'token',
      status: 503,
      body: '{"error":"temporarily_unavailable"}',
    });
    const unavailable = await run(['refresh', '--profile', 'flaky']);
    expect(unavailable).toMatchObject({ code: 5, stdout: '' });
    expect(unavailable.stderr).toMatch(/^aps-auth: /);

    const path = join(world.home, 'tokens', 'flaky.json');
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.token.refreshToken = 'not-a-valid-refresh-token';
    file.token.expiresAt = Date.now() - 1000;
    await writeFile(path, JSON.stringify(file), { mode: 0o600 });
    const rejected = await run(['token', '--profile', 'flaky']);
    expect(rejected).toMatchObject({ code: 3, stdout: '' });
    // The message already says "sign in again": the next line gives the command without repeating it.
    expect(rejected.stderr).toBe(
      "aps-auth: The refresh token was rejected (invalid_grant: The refresh token is invalid or expired): sign in again.\nRun 'aps-auth login --profile flaky'.\n",
    );
  });

  it('no server at all: exit 5', async () => {
    await binLogin(world, ['--profile', 'offline']);
    const result = await run(['refresh', '--profile', 'offline'], { APS_BASE_URL: 'http://127.0.0.1:9' });
    // The token was saved for the emulator's base URL: another base URL does not see it (exit 3) ...
    expect(result.code).toBe(3);
    // ... so close the server for real.
    const offline = await createWorld();
    await binLogin(offline);
    await offline.emulator.close();
    const down = await runBin(['refresh'], { env: offline.env, cwd: offline.cwd });
    expect(down).toMatchObject({ code: 5, stdout: '' });
    await offline.close().catch(() => undefined);
  });

  it('logout: revokes both tokens, then forgets; a failed revocation still forgets and exits 5', async () => {
    await binLogin(world, ['--profile', 'leaving']);
    const revokesBefore = world.emulator.control.requests().filter((r) => r.endpoint === 'revoke').length;
    expect(await run(['logout', '--profile', 'leaving'])).toEqual({
      code: 0,
      signal: null,
      stdout: '',
      stderr: 'Signed out (profile "leaving"): tokens revoked and forgotten.\n',
    });
    const revokes = world.emulator.control.requests().filter((r) => r.endpoint === 'revoke');
    expect(revokes.length - revokesBefore).toBe(2);
    expect((await run(['token', '--profile', 'leaving'])).code).toBe(3);

    await binLogin(world, ['--profile', 'leaving']);
    world.emulator.control.addFault({
      endpoint: 'revoke',
      status: 503,
      times: 2,
      body: '{"error":"temporarily_unavailable"}',
    });
    const failed = await run(['logout', '--profile', 'leaving', '--json']);
    expect(failed.code).toBe(5);
    expect(JSON.parse(failed.stdout)).toEqual({
      schemaVersion: 1,
      profile: 'leaving',
      wasSignedIn: true,
      revoked: false,
      forgotten: true,
    });
    expect(failed.stderr).toMatch(
      /^aps-auth: signed out locally \(profile "leaving"\), but revocation at the server failed:\n {2}refresh token: /,
    );
    expect((await run(['token', '--profile', 'leaving'])).code).toBe(3);
  });
});

describe('doctor', () => {
  it('passes with a registered callback URL whose port is free', async () => {
    const result = await run(['doctor', '--json']);
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ schemaVersion: 1, ok: true, profile: 'default' });
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([
      'config',
      'callback-url',
      'port',
      'server',
      'clock',
      'callback-registered',
      'token-file',
    ]);
  });

  it('fails (exit 1) with an unregistered callback URL, naming the URL to register', async () => {
    const other = 'http://localhost:8765/not/registered';
    const result = await run(['doctor', '--callback-url', other]);
    expect(result.code).toBe(1);
    const line = result.stdout.split('\n').find((l) => l.includes('callback-registered'));
    expect(line).toMatch(/^fail\tcallback-registered\t.*http:\/\/localhost:8765\/not\/registered/);
    expect(result.stderr).toBe('aps-auth: doctor found a problem; see the failed checks above.\n');
  });
});
