import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binLogin, CLIENT_ID, PUBLIC_CLIENT_ID, runBin, runIn, useWorld } from './helpers.js';

// A stored token made for another client id or another server than the one configured is never used, and
// every command says so (instead of "Not signed in"), naming both, with the way out; logout leaves it alone.

const world = useWorld({ signedIn: true });
const run = (args: string[], env: Record<string, string | undefined> = {}) => runIn(world, args, env);

/** The key phrases of the "another client id" message: both ids, the token not used, the next step. */
function expectOtherClient(stderr: string, profile: string, loginCommand: string) {
  expect(stderr).toMatch(/^aps-auth: /);
  expect(stderr).toContain(
    `The token stored for profile "${profile}" is for another client id ${CLIENT_ID} (configured: ${PUBLIC_CLIENT_ID}): it is not used.`,
  );
  expect(stderr).toContain(
    `Run '${loginCommand}' to sign in with the configured client and server, or configure the ones it was made for.`,
  );
}

describe('token and exec: a token of another client id or server', () => {
  it('says so instead of "Not signed in" (exit 3)', async () => {
    const other = await run(['token'], { APS_CLIENT_ID: PUBLIC_CLIENT_ID, APS_CLIENT_SECRET: undefined });
    expect(other).toMatchObject({ code: 3, signal: null, stdout: '' });
    expectOtherClient(other.stderr, 'default', 'aps-auth login');
    expect(other.stderr).not.toContain('Not signed in');
    const server = await run(['exec', '--', 'true'], { APS_BASE_URL: 'http://127.0.0.1:9' });
    expect(server).toMatchObject({ code: 3, stdout: '' });
    expect(server.stderr).toContain(
      `The token stored for profile "default" is for another server ${world.emulator.url} (configured: http://127.0.0.1:9): it is not used.`,
    );
    expect(server.stderr).toContain(
      "Run 'aps-auth login' to sign in with the configured client and server, or configure the ones it was made for.",
    );
  });
});

describe('a token of another client id: the same message from every command', () => {
  it('refresh and status name it (exit 3); logout names it and leaves the file', async () => {
    const env = { ...world.env, APS_AUTH_PROFILE: 'otherclient' };
    await binLogin({ ...world, env });
    const path = join(world.home, 'tokens', 'otherclient.json');
    const before = await readFile(path, 'utf8');
    const other = { ...env, APS_CLIENT_ID: PUBLIC_CLIENT_ID, APS_CLIENT_SECRET: undefined };
    const refresh = await runBin(['refresh'], { env: other, cwd: world.cwd });
    expect(refresh).toMatchObject({ code: 3, signal: null, stdout: '' });
    expectOtherClient(refresh.stderr, 'otherclient', 'aps-auth login --profile otherclient');
    const status = await runBin(['status'], { env: other, cwd: world.cwd });
    expect(status.code).toBe(3);
    // The same message as refresh's, word for word.
    expect(status.stderr).toBe(refresh.stderr);
    const logout = await runBin(['logout'], { env: other, cwd: world.cwd });
    expect(logout).toMatchObject({ code: 0, signal: null, stdout: '' });
    expect(logout.stderr).toContain(
      `The token stored for profile "otherclient" is for another client id ${CLIENT_ID} (configured: ${PUBLIC_CLIENT_ID}): not signed out (nothing revoked, the file is left in place).`,
    );
    expect(logout.stderr).toContain(
      'Configure the client id and server it was made for to sign it out, or sign in again to replace it.',
    );
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
