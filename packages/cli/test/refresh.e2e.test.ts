import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binLogin, createWorld, readTokenFile, runBin, runIn, useWorld } from './helpers.js';

// `aps-auth refresh`: a new token pair stored (one refresh request), nothing on stdout; the server's failures
// as exit codes: unavailable or unreachable 5, a rejected refresh token 3 (sign in again).

const EXPIRY = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in (59m \d+s|1h)\)`;

const world = useWorld({ signedIn: true });
const run = (args: string[], env: Record<string, string | undefined> = {}) => runIn(world, args, env);
const tokenEntries = () =>
  world.emulator.control.requests().filter((r) => r.endpoint === 'token' && r.status !== 0);

describe('refresh, signed in', () => {
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
    // The server's reason, then the next step: the message already says "sign in again", so the next line
    // gives the command without repeating it.
    expect(rejected.stderr).toContain(
      'The refresh token was rejected (invalid_grant: The refresh token is invalid or expired): sign in again.',
    );
    expect(rejected.stderr).toMatch(/\nRun 'aps-auth login --profile flaky'\.\n$/);
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
});
