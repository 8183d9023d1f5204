import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { followRedirects } from '../src/fetch-browser.js';
import { main } from '../src/main.js';
import { captureIo, createWorld, deps, readTokenFile, type TestWorld } from './helpers.js';

// The commands in process: `main(argv, deps)` with an injected io (terminal or not) and an injected
// browser, against a real emulator over HTTP.

let world: TestWorld;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

const io = (tty: boolean, extra: { env?: Record<string, string | undefined>; stdin?: string } = {}) =>
  captureIo({
    env: { ...world.env, APS_AUTH_BROWSER: undefined, ...extra.env },
    cwd: world.cwd,
    tty,
    ...(extra.stdin === undefined ? {} : { stdin: extra.stdin }),
  });

describe('in process', () => {
  it('login with an injected browser; a terminal gets the spinner and aligned fields', async () => {
    const opened: string[] = [];
    const terminal = io(true);
    const code = await main(
      ['login'],
      deps(terminal, {
        openUrl: async (url) => {
          opened.push(url);
          await followRedirects(url);
        },
      }),
    );
    expect(code).toBe(0);
    expect(opened).toHaveLength(1);
    expect(terminal.err()).toContain('Opening the browser to sign in. If it does not open, visit:');
    expect(terminal.err()).toContain('\r\x1b[2K✓ Signed in as Ada Lovelace');
    expect(terminal.out()).toMatch(/^profile: {3}default\nsigned in: yes\n/);
  });

  it('status: aligned on a terminal, tab-separated in a pipe, the same facts', async () => {
    const terminal = io(true);
    const pipe = io(false);
    expect(await main(['status'], deps(terminal))).toBe(0);
    expect(await main(['status'], deps(pipe))).toBe(0);
    const facts = (text: string, sep: RegExp) =>
      text
        .trim()
        .split('\n')
        .map((line) => line.split(sep).map((cell) => cell.trim()));
    expect(facts(terminal.out(), /:\s+/)).toEqual(facts(pipe.out(), /\t/));
  });

  it('token: the stored token, printed with nothing else', async () => {
    const pipe = io(false);
    expect(await main(['token'], deps(pipe))).toBe(0);
    expect(pipe.out()).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
    expect(pipe.err()).toBe('');
  });

  it('an injected clock past the expiry makes token refresh once', async () => {
    const before = (await readTokenFile(world.home)).token;
    const pipe = io(false);
    const later = () => before.expiresAt + 1000;
    expect(await main(['token'], deps(pipe, { now: later }))).toBe(0);
    const after = (await readTokenFile(world.home)).token;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(pipe.out()).toBe(`${after.accessToken}\n`);
  });

  it('the first Ctrl+C (the abort signal) cancels a login that waits: exit 4', async () => {
    const controller = new AbortController();
    const pipe = io(false);
    const pending = main(
      ['login', '--no-open', '--profile', 'cancelled'],
      deps(pipe, { signal: controller.signal }),
    );
    await vi.waitFor(() => expect(pipe.err()).toContain('Open this URL in a browser to sign in:'));
    controller.abort();
    expect(await pending).toBe(4);
  });

  it('usage errors are exit 2 and name the command help', async () => {
    const pipe = io(false);
    expect(await main(['status', '--nope'], deps(pipe))).toBe(2);
    expect(pipe.err()).toContain('unknown option "--nope"');
    expect(pipe.err()).toContain("Run 'aps-auth status --help' for usage.");
  });
});

describe('login over SSH', () => {
  it('suggests --manual when the browser would open on this machine', async () => {
    const pipe = io(false, { env: { SSH_CONNECTION: '10.0.0.2 50000 10.0.0.1 22' } });
    const code = await main(
      ['login', '--profile', 'over-ssh'],
      deps(pipe, { openUrl: (url) => followRedirects(url) }),
    );
    expect(code).toBe(0);
    expect(pipe.err()).toContain(
      "Over SSH? A browser on another machine cannot reach this one's callback: use 'aps-auth login --manual'.",
    );
  });
});
