import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BANNER } from '../src/demo.js';
import { runBin } from './helpers.js';

// With no client id anywhere, `aps-auth login` is the demo: the emulator in process, a real sign-in over
// HTTP, the status, every stderr line labelled, and nothing left behind (the temporary home is removed).

let root: string;
let env: Record<string, string>;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aps-auth-cli-demo-'));
  await mkdir(join(root, 'tmp'));
  await mkdir(join(root, 'cwd'));
  env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, TMPDIR: join(root, 'tmp') };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the demo', () => {
  it('signs in against the embedded emulator and prints the status', async () => {
    const result = await runBin(['login'], { env, cwd: join(root, 'cwd') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^profile\tdefault\nsigned in\tyes\nuser\tAda Lovelace <ada\.lovelace@example\.com>\nscopes\tdata:read viewables:read user-profile:read\nexpires\t.+\nclient id\taps-auth-demo\nserver\thttp:\/\/127\.0\.0\.1:\d+\n$/,
    );
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`[local emulator] ${DEMO_BANNER}`);
    for (const line of lines) expect(line).toMatch(/^\[local emulator\] /);
    expect(result.stderr).toContain('[local emulator] Signed in as Ada Lovelace <ada.lovelace@example.com>');
    expect(result.stderr).toContain('[local emulator]   export APS_CLIENT_ID=<your client id>');
    // Run as an installed bin (not from the clone's root scripts): the next steps name `aps-auth` and npx.
    expect(result.stderr).toContain('[local emulator]   npx @aps-auth/emulator ');
    expect(result.stderr).toContain('[local emulator]   aps-auth token ');
  });

  it('--json: the status document, marked as the demo', async () => {
    const result = await runBin(['login', '--json'], { env, cwd: join(root, 'cwd') });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      schemaVersion: 1,
      demo: true,
      signedIn: true,
      clientId: 'aps-auth-demo',
      user: { name: 'Ada Lovelace' },
    });
  });

  it('leaves nothing behind: no temporary home, no ~/.config/aps-auth', async () => {
    // Only Node's own compile cache (the bin enables it; it holds compiled code, no state of the demo).
    expect((await readdir(join(root, 'tmp'))).filter((name) => name !== 'node-compile-cache')).toEqual([]);
    expect(await readdir(root)).toEqual(expect.not.arrayContaining(['.config']));
    expect(await readdir(join(root, 'cwd'))).toEqual([]);
  });
});
