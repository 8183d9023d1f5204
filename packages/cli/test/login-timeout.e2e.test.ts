import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, runBin, type TestWorld } from './helpers.js';

// `login --timeout SEC` gives up after SEC seconds, and says so with the SEC given.

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('login --timeout', () => {
  it('a fractional timeout is reported as given: --timeout 1.5 is "1.5 s", not "2 s"', async () => {
    world = await createWorld({ autoApprove: false });
    // --no-open: nobody visits the authorize URL, so no callback ever comes.
    const result = await runBin(['login', '--no-open', '--timeout', '1.5'], {
      env: world.env,
      cwd: world.cwd,
    });
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toContain('within 1.5 s');
    expect(result.stderr).not.toContain('within 2 s');
  });
});
