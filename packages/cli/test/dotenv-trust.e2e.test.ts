import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '@aps-auth/emulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binLogin,
  CLIENT_ID,
  createWorld,
  type Emulator,
  runBin,
  runIn,
  SECRET,
  type TestWorld,
} from './helpers.js';

// A cloned repository's .env must never get the user's secret (issue 8, items 1 and 2), through the built bin:
// one emulator plays the user's server, another the repository's; the latter's request log must show no
// secret (no Basic header, no client_secret) and, where the .env is ignored, no request at all.

let world: TestWorld;
let repoServer: Emulator;

/** What the repository's server saw with a client secret: Basic, a body secret, or both. */
const withSecret = () =>
  repoServer.control
    .requests()
    .filter((r) => r.clientAuth === 'basic' || r.clientAuth === 'body' || r.clientAuth === 'both');

beforeAll(async () => {
  world = await createWorld();
  repoServer = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: true,
    rateLimits: false,
    // Knows the user's client id as a public app (no secret needed there), and the tutorial's.
    clients: [
      { clientId: CLIENT_ID, redirectUris: [world.callbackUrl] },
      { clientId: 'tutorial-client', redirectUris: [world.callbackUrl] },
    ],
  });
});
afterAll(async () => {
  await repoServer.close();
  await world.close();
});

/** A fresh checkout of a repository whose files are given. */
async function repository(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(world.root, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('a .env never chooses APS_AUTH_HOME', () => {
  it("the repository's home (its profile, its server, its token) is ignored by every command", async () => {
    // The user: signed in once, in the default home (no APS_AUTH_HOME), with the secret in the environment.
    const user = {
      PATH: world.env.PATH!,
      HOME: world.root,
      TMPDIR: world.tmp,
      APS_AUTH_BROWSER: 'fetch',
      APS_CLIENT_ID: CLIENT_ID,
      APS_CLIENT_SECRET: SECRET,
    };
    await binLogin({
      ...world,
      env: { ...user, APS_BASE_URL: world.emulator.url, APS_CALLBACK_URL: world.callbackUrl },
    });
    const repo = await repository('home-repo', {
      '.env': 'APS_AUTH_HOME=.aps\n',
      '.aps/profiles/default.json': JSON.stringify({
        schemaVersion: 1,
        clientId: CLIENT_ID,
        callbackUrl: world.callbackUrl,
        scopes: ['data:read'],
        baseUrl: repoServer.url,
      }),
      '.aps/tokens/default.json': JSON.stringify({
        schemaVersion: 1,
        clientId: CLIENT_ID,
        baseUrl: repoServer.url,
        savedAt: new Date().toISOString(),
        token: {
          accessToken: 'the-repository-token',
          tokenType: 'Bearer',
          expiresAt: Date.now() + 3_600_000,
          issuedAt: Date.now(),
          refreshToken: 'the-repository-refresh-token',
          scopes: ['data:read'],
        },
      }),
    });
    const run = (args: string[]) => runBin(args, { env: user, cwd: repo });

    const token = await run(['token']);
    expect(token.code).toBe(0);
    expect(token.stdout).not.toContain('the-repository-token');
    expect(token.stderr).toContain(`APS_AUTH_HOME in ${join(repo, '.env')} is ignored`);
    const exec = await run([
      'exec',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write(process.env.APS_ACCESS_TOKEN)',
    ]);
    expect(exec.code).toBe(0);
    expect(exec.stdout).toBe(token.stdout.trim());
    for (const args of [['refresh'], ['two-legged', '--scopes', 'data:read'], ['logout'], ['login']]) {
      const result = await run(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    expect(repoServer.control.requests()).toEqual([]);
  });
});

describe('what a .env chooses never receives a secret from outside that .env', () => {
  it('login, token, refresh, logout and exec against a .env server send no secret; two-legged refuses', async () => {
    const repo = await repository('server-repo', { '.env': `APS_BASE_URL=${repoServer.url}\n` });
    const env = { ...world.env, APS_AUTH_HOME: join(world.root, 'server-home'), APS_BASE_URL: undefined };
    const run = (args: string[]) => runBin(args, { env, cwd: repo });
    repoServer.control.clearRequests();

    const login = await run(['login']);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(
      'The client secret from the environment is not used: APS_BASE_URL comes from',
    );
    expect((await run(['refresh'])).code).toBe(0);
    const token = await run(['token']);
    expect(token.code).toBe(0);
    const exec = await run([
      'exec',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write(process.env.APS_ACCESS_TOKEN)',
    ]);
    expect(exec.stdout).toBe(token.stdout.trim());
    const twoLegged = await run(['two-legged', '--scopes', 'data:read']);
    expect(twoLegged.code).toBe(1);
    expect(twoLegged.stderr).toContain('the configured one is withheld');
    expect((await run(['logout'])).code).toBe(0);

    const grants = repoServer.control.requests().map((r) => r.grantType ?? r.endpoint);
    expect(grants).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'revoke']));
    expect(grants).not.toContain('client_credentials');
    expect(withSecret()).toEqual([]);
  });

  it("a profile saved from a .env: its server never gets the environment's secret, nor serves another client id", async () => {
    const repo = await repository('tutorial', {
      '.env': `APS_CLIENT_ID=tutorial-client\nAPS_BASE_URL=${repoServer.url}\n`,
    });
    const home = join(world.root, 'tutorial-home');
    const base = { ...world.env, APS_AUTH_HOME: home, APS_BASE_URL: undefined, APS_CLIENT_SECRET: undefined };
    const first = await runBin(['login'], { env: { ...base, APS_CLIENT_ID: undefined }, cwd: repo });
    expect(first.code, first.stderr).toBe(0);
    repoServer.control.clearRequests();

    // Later, anywhere: the same client id with a secret from the environment.
    const same = await runBin(['two-legged', '--scopes', 'data:read'], {
      env: { ...base, APS_CLIENT_ID: 'tutorial-client', APS_CLIENT_SECRET: SECRET },
      cwd: world.cwd,
    });
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('was saved from a .env');
    const refreshed = await runBin(['refresh'], {
      env: { ...base, APS_CLIENT_ID: 'tutorial-client', APS_CLIENT_SECRET: SECRET },
      cwd: world.cwd,
    });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(withSecret()).toEqual([]);

    // Another client id never inherits the saved server: APS's own is configured instead.
    const other = await runBin(['status', '--json'], {
      env: { ...base, APS_CLIENT_ID: 'real-client', APS_CLIENT_SECRET: SECRET },
      cwd: world.cwd,
    });
    expect(JSON.parse(other.stdout)).toMatchObject({
      baseUrl: 'https://developer.api.autodesk.com',
      sources: { baseUrl: 'default' },
    });
    expect(repoServer.control.requests().filter((r) => r.endpoint !== 'token')).toEqual([]);
  });
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
      const result = await runIn(
        world,
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
      const twoLegged = await runIn(
        world,
        ['two-legged', '--scopes', 'data:read'],
        { ...env, APS_BASE_URL: undefined },
        { cwd: world.cwd },
      );
      expect(twoLegged.code).toBe(0);
      expect(other.control.requests()).toEqual([]);

      // Deliberately, from the environment: allowed; the withheld secret is said to be dropped.
      const deliberate = await runIn(
        world,
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
