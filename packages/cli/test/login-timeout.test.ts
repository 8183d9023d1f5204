import { createManualTimers } from '@aps-auth/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { visitSignInLink } from '../src/fetch-browser.js';
import { main } from '../src/main.js';
import { captureIo, createWorld, deps, type TestWorld } from './helpers.js';

// `login --timeout SEC` gives up after SEC seconds (exit 4), and says why with the SEC given. In process, with
// timers that expire when the test says so: after the event the message is about, never in a race with it.

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('login --timeout', () => {
  it('a fractional timeout is reported as given: --timeout 1.5 is "1.5 s", not "2 s"', async () => {
    world = await createWorld({ autoApprove: false });
    const io = captureIo({ env: world.env, cwd: world.cwd });
    const timers = createManualTimers();
    // --no-open: nobody visits the authorize URL, so no callback ever comes; time runs out once it is printed.
    const running = main(['login', '--no-open', '--timeout', '1.5'], deps(io, { setTimer: timers.setTimer }));
    await timers.started(1500);
    timers.expire(1500);
    expect(await running).toBe(4);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('within 1.5 s');
    expect(io.err()).not.toContain('within 2 s');
  });

  it('no callback after the browser went to the sign-in: exit 4, not finished or not registered (both said)', async () => {
    world = await createWorld({ autoApprove: false });
    const io = captureIo({ env: world.env, cwd: world.cwd });
    const timers = createManualTimers();
    const pages: number[] = [];
    const running = main(
      ['login', '--timeout', '1'],
      deps(io, {
        setTimer: timers.setTimer,
        // The browser reaches the consent page (nobody clicks Allow); then time runs out.
        openUrl: async (url) => {
          pages.push((await visitSignInLink(url)).status);
          timers.expire(1000);
        },
      }),
    );
    expect(await running).toBe(4);
    expect(pages).toEqual([200]);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('the sign-in was not finished in the browser');
    expect(io.err()).toContain('is not registered');
    expect(io.err()).toContain('aps-auth doctor');
  });
});
