import { describe, expect, it } from 'vitest';
import { runIn, useWorld } from './helpers.js';

// Every command before any sign-in (an empty APS_AUTH_HOME): "not signed in" with the next step, exit 3 for
// the commands that need a token; nothing to do for logout and profiles (exit 0).

const world = useWorld();
const run = (args: string[]) => runIn(world, args);

describe('before any sign-in', () => {
  it('token: exit 3, nothing on stdout', async () => {
    const result = await run(['token']);
    expect(result).toMatchObject({ code: 3, signal: null, stdout: '' });
    expect(result.stderr).toContain('Not signed in (profile "default")');
    expect(result.stderr).toContain("Run 'aps-auth login' to sign in.");
  });

  it('status: the document says signedIn false, exit 3', async () => {
    const result = await run(['status', '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      schemaVersion: 1,
      signedIn: false,
      profile: 'default',
    });
    expect(result.stderr).toContain("Not signed in. Run 'aps-auth login' to sign in.");
  });

  it('refresh and exec: exit 3; logout: nothing to do, exit 0; profiles: none', async () => {
    expect((await run(['refresh'])).code).toBe(3);
    expect((await run(['exec', '--', 'true'])).code).toBe(3);
    const logout = await run(['logout']);
    expect(logout).toMatchObject({ code: 0, signal: null, stdout: '' });
    expect(logout.stderr).toContain('Not signed in (profile "default"); nothing to do.');
    const profiles = await run(['profiles']);
    expect(profiles).toMatchObject({ code: 0, signal: null, stdout: '' });
    expect(profiles.stderr).toContain(`No saved profiles in ${world.home}.`);
    expect(profiles.stderr).toContain("Run 'aps-auth login' to create one.");
  });
});
