import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binLogin, PUBLIC_CLIENT_ID, runBin, useWorld } from './helpers.js';

// `status` tells the truth for every state of the token file (signed in, refresh token rejected, corrupt, of
// another client), as text (exit code, key phrases) and as one JSON document; `token` never prints a token
// the server can no longer renew once it has expired.

const world = useWorld();
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runBin(args, { env: { ...world.env, ...env }, cwd: world.cwd });

describe('signed in', () => {
  it('status: terminal-free lines; --json: the schema', async () => {
    await binLogin(world);
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
});

describe('after the server rejected the refresh token', () => {
  it('status says "sign in again" (exit 3), and token sends the dead refresh token no more', async () => {
    await binLogin(world, ['--profile', 'rejected']);
    const path = join(world.home, 'tokens', 'rejected.json');
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.token.refreshToken = 'a-refresh-token-the-server-rejects';
    file.token.expiresAt = Date.now() - 1000;
    await writeFile(path, JSON.stringify(file), { mode: 0o600 });
    const refreshes = () =>
      world.emulator.control.requests().filter((r) => r.grantType === 'refresh_token').length;

    const first = await run(['token', '--profile', 'rejected']);
    expect(first).toMatchObject({ code: 3, stdout: '' });
    expect(first.stderr).toContain("Run 'aps-auth login --profile rejected'.");
    const sent = refreshes();

    const status = await run(['status', '--profile', 'rejected']);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('signed in\tno (the server rejected the refresh token; sign in again)');
    expect(status.stderr).toContain('The server rejected the refresh token of profile "rejected"');
    expect(status.stderr).toContain("Run 'aps-auth login --profile rejected'.");
    const json = await run(['status', '--profile', 'rejected', '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      schemaVersion: 1,
      state: 'refresh-rejected',
      signedIn: false,
      refreshable: false,
      problem: { code: 'SIGN_IN_REQUIRED' },
    });

    const again = await run(['token', '--profile', 'rejected']);
    expect(again).toMatchObject({ code: 3, stdout: '' });
    expect(again.stderr).toContain('The server rejected the refresh token of profile "rejected"');
    expect(refreshes()).toBe(sent);

    // A new sign-in clears it.
    await binLogin(world, ['--profile', 'rejected']);
    expect((await run(['status', '--profile', 'rejected'])).code).toBe(0);
  });
});

describe('status --json describes failures too', () => {
  it('a corrupt token file: a document (state corrupt, TOKEN_STORE_CORRUPT), exit 1', async () => {
    const path = join(world.home, 'tokens', 'broken.json');
    await writeFile(path, '{not json', { mode: 0o600 });
    const result = await run(['status', '--profile', 'broken', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      schemaVersion: 1,
      profile: 'broken',
      state: 'corrupt',
      signedIn: false,
      problem: { code: 'TOKEN_STORE_CORRUPT', message: expect.stringContaining(path) },
    });
    expect(result.stderr).toContain(`The token file ${path} is corrupt`);
  });

  it('a token of another client id: state other-client, TOKEN_OTHER_CLIENT, exit 3', async () => {
    await binLogin(world, ['--profile', 'mine']);
    const result = await run(['status', '--profile', 'mine', '--json'], {
      APS_CLIENT_ID: PUBLIC_CLIENT_ID,
      APS_CLIENT_SECRET: undefined,
    });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: 'other-client',
      signedIn: false,
      problem: { code: 'TOKEN_OTHER_CLIENT' },
    });
    expect(result.stderr).toContain('is for another client id');
  });
});
