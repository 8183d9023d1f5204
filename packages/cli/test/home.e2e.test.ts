import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, useWorld } from './helpers.js';

// The home directory (APS_AUTH_HOME) is made private (0700) by the commands that write in it, and left
// alone by those that only read.

const world = useWorld();

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
