import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binLogin, runBin, runIn, useWorld } from './helpers.js';

// `aps-auth logout`: revokes both tokens at the server, then forgets them; a failed revocation still
// forgets (exit 5); a corrupt token file is moved aside, not left to fail every later command.

const world = useWorld();
const run = (args: string[]) => runIn(world, args);

describe('logout', () => {
  it('logout: revokes both tokens, then forgets; a failed revocation still forgets and exits 5', async () => {
    await binLogin(world, ['--profile', 'leaving']);
    const revokesBefore = world.emulator.control.requests().filter((r) => r.endpoint === 'revoke').length;
    const signedOut = await run(['logout', '--profile', 'leaving']);
    expect(signedOut).toMatchObject({ code: 0, signal: null, stdout: '' });
    expect(signedOut.stderr).toContain('Signed out (profile "leaving"): tokens revoked and forgotten.');
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
    // What happened (corrupt, nothing revoked), where the file went, and the outcome.
    expect(result.stderr).toContain(`the token file ${path} was corrupt: nothing could be revoked`);
    expect(result.stderr).toContain(`moved aside to ${document.movedAside}`);
    expect(result.stderr).toContain('(profile "corrupttoken" is signed out locally)');
    expect(await readFile(document.movedAside, 'utf8')).toBe('{oops');
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
