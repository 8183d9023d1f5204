import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, listFiles, TmuxTui, type World } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** No APS variable anywhere, an empty home, and a TMPDIR of the test's own (to see what the demo leaves). */
async function setUp(command?: { argv: string[]; cwd: string }) {
  const world: World = await createWorld();
  cleanups.push(() => world.close());
  const tmp = join(world.root, 'tmp');
  await mkdir(tmp);
  const tui = await TmuxTui.start(world, {
    noApsEnv: true,
    env: { TMPDIR: tmp, NO_COLOR: '1' },
    columns: 100,
    rows: 30,
    ...(command === undefined ? { args: ['--demo'] } : { command }),
  });
  cleanups.push(() => tui.close());
  return { world, tui, tmp };
}

/** The demo's temporary homes left in `tmp` (Node's compile cache may live there too: not the demo's). */
async function demoHomes(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((name) => name.startsWith('aps-auth-tui-demo-'));
}

describe('the demo (no APS credentials configured): the embedded emulator, labelled', {
  timeout: 180_000,
}, () => {
  it('aps-auth-tui --demo signs in against the local emulator and leaves nothing behind', async () => {
    const { world, tui, tmp } = await setUp();
    const setup = await tui.waitForText('Sign in ⏎');
    expect(setup.replace(/\s+/g, ' ')).toContain(
      '[local emulator] no APS credentials configured: a demo against a local APS emulator',
    );
    expect(setup).toMatch(/Client id: aps-auth-demo/);
    expect(setup).toMatch(/server: http:\/\/127\.0\.0\.1:\d+/);
    expect(await demoHomes(tmp)).toHaveLength(1);
    await tui.keys('Enter');
    const signedIn = await tui.waitForText('Signed in · profile "default"');
    expect(signedIn).toContain('[local emulator]');
    expect(signedIn).toContain('User: Ada Lovelace');
    await tui.keys('q');
    expect(await tui.exitStatus()).toBe(0);
    expect(await tui.capture()).toContain('The demo is over: its token and profile were in a temporary home');
    expect(await demoHomes(tmp)).toEqual([]);
    // The user's own home was never written.
    expect(await listFiles(world.home)).toEqual([]);
  });

  it('with a client id configured, --demo is the real sign-in (no emulator of its own)', async () => {
    const world = await createWorld();
    cleanups.push(() => world.close());
    const tui = await TmuxTui.start(world, { args: ['--demo'], env: { NO_COLOR: '1' } });
    cleanups.push(() => tui.close());
    const setup = await tui.waitForText('Sign in ⏎');
    expect(setup).not.toContain('[local emulator]');
    expect(setup).toContain(`server: ${world.emulator.url}`);
    await tui.keys('Escape');
    expect(await tui.exitStatus()).toBe(4);
  });

  it('npm start on a terminal opens the TUI demo (built through the root script)', async () => {
    const { tui, tmp } = await setUp({ argv: ['npm', 'start'], cwd: ROOT });
    // The first run may build the TUI (turbo's cache makes it quick afterwards).
    await tui.waitFor((s) => s.includes('Sign in ⏎'), 'the set-up', 2400);
    expect((await tui.capture()).replace(/\s+/g, ' ')).toContain('[local emulator] no APS credentials');
    await tui.keys('Escape');
    expect(await tui.exitStatus()).toBe(4);
    expect(await tui.capture()).toContain('Cancelled: nothing was stored.');
    expect(await demoHomes(tmp)).toEqual([]);
  });
});
