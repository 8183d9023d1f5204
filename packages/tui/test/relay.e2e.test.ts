import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore, visitSignInLink } from '@aps-auth/core/node';
import { startEmulator } from '@aps-auth/emulator/node';
import { startRelay } from '@aps-auth/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeUrls, createWorld, freePort, listFiles, TmuxTui, type World } from './helpers.js';

// `aps-auth-tui --relay`: the built bin in tmux, the real web app (apps/web, from its sources) as the relay and the
// emulator (auto-approve) whose terminal client has the relay's /relay registered; a fetch "browser" on the other
// device follows the URL read from the screen through the consent to the relay's page.

const TERMINAL_CLIENT = 'tui-relay-client';
/** The relay web app's own APS client (`startRelay`): it must never exchange the terminal's code. */
const WEB_CLIENT = 'relay-web-app';
/** A block of a QR code as the TUI draws it (half blocks, quiet zone included). */
const QR_LINE = /^[█▀▄ ]{25,}$/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The relay (web app + emulator) and a TUI world around its emulator: a public terminal client, an empty home. */
async function startRelayWorld(): Promise<{ world: World; relay: string }> {
  const running = await startRelay(startEmulator, TERMINAL_CLIENT);
  const root = await mkdtemp(join(tmpdir(), 'aps-auth-tui-relay-'));
  cleanups.push(async () => {
    await running.close();
    await rm(root, { recursive: true, force: true });
  });
  const home = join(root, 'home');
  const cwd = join(root, 'cwd');
  await mkdir(cwd);
  const world: World = {
    emulator: running.emu,
    root,
    home,
    cwd,
    callbackUrl: 'http://localhost:8080/api/auth/callback',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: root,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      APS_AUTH_HOME: home,
      APS_CLIENT_ID: TERMINAL_CLIENT,
      APS_BASE_URL: running.emu.url,
    },
    close: async () => undefined,
  };
  return { world, relay: running.url };
}

async function startTui(world: World, args: string[]): Promise<TmuxTui> {
  const tui = await TmuxTui.start(world, { args });
  cleanups.push(() => tui.close());
  return tui;
}

/** Enter on the prefilled set-up, then the relay's signing-in screen with its URL (one whole line) on the screen. */
async function waitForRelayUrl(
  world: World,
  tui: TmuxTui,
  relay: string,
): Promise<{ screen: string; url: URL }> {
  const setup = await tui.waitForText('Sign in ⏎');
  expect(setup.replace(/\s+/g, ' ')).toContain(
    `relay: ${relay} (the sign-in comes back through ${relay}/relay`,
  );
  await tui.keys('Enter');
  const screen = await tui.waitFor(
    (s) =>
      s.includes('Waiting for the sign-in through the relay') &&
      s.includes('under its QR code') &&
      authorizeUrls(s, world.emulator.url).length === 1,
    'the relay signing-in screen with its URL',
  );
  return { screen, url: new URL(authorizeUrls(screen, world.emulator.url)[0]!) };
}

describe('aps-auth-tui --relay in a real terminal (tmux) with the web app as relay', {
  timeout: 120_000,
}, () => {
  it('shows the URL whole and its QR code; a browser elsewhere signs in; the terminal exchanges the code (exit 0)', async () => {
    const { world, relay } = await startRelayWorld();
    const tui = await startTui(world, ['--relay', relay, '--no-open']);
    const { screen, url } = await waitForRelayUrl(world, tui, relay);
    expect(url.searchParams.get('client_id')).toBe(TERMINAL_CLIENT);
    expect(url.searchParams.get('redirect_uri')).toBe(`${relay}/relay`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    // The pairing id, then this sign-in's own state.
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
    const flat = screen.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Open this on any device (phone or another computer) and sign in; this terminal finishes by itself.',
    );
    expect(flat).toContain('The URL is printed above, under its QR code');
    expect(screen).toMatch(/time left: (4 min \d\d|5 min 00) s/);
    // The QR code printed above the screen, directly over the URL's line.
    const lines = screen.split('\n');
    const urlLine = lines.findIndex((line) => line.trim() === url.href);
    expect(QR_LINE.test(lines[urlLine - 1] ?? '')).toBe(true);
    expect(lines.filter((line) => QR_LINE.test(line)).length).toBeGreaterThanOrEqual(13);
    // --no-open: no browser here, so no `o`; nothing to paste either.
    expect(flat).toContain('c copy the URL · s print the QR code again · Esc cancel');
    expect(flat).not.toContain('o open');
    expect(flat).not.toContain('m paste');

    // The other device: follows the URL through the emulator's consent (auto-approve) to the relay's page.
    const page = await visitSignInLink(url.href);
    expect(page.url.startsWith(`${relay}/relay?`)).toBe(true);
    expect(page.body).toContain('terminal');
    const signedIn = await tui.waitForText('Signed in · profile "default"');
    expect(signedIn).toContain('Scopes: data:read viewables:read');
    await tui.keys('q');
    expect(await tui.exitStatus()).toBe(0);

    const store = new FileTokenStore({
      home: world.home,
      clientId: TERMINAL_CLIENT,
      baseUrl: world.emulator.url,
    });
    expect((await store.load('default'))?.accessToken.length).toBeGreaterThan(0);
    const tokenRequests = world.emulator.control.requests().filter((entry) => entry.endpoint === 'token');
    // One code exchange, by the terminal's client; the relay (its own client) never touched the token endpoint.
    expect(
      tokenRequests
        .filter((entry) => entry.grantType === 'authorization_code')
        .map((entry) => [entry.clientId, entry.status]),
    ).toEqual([[TERMINAL_CLIENT, 200]]);
    expect(tokenRequests.filter((entry) => entry.clientId === WEB_CLIENT)).toEqual([]);
  });

  it('Esc while waiting for the relay cancels: exit 4, nothing stored', async () => {
    const { world, relay } = await startRelayWorld();
    const tui = await startTui(world, ['--relay', relay, '--no-open']);
    await waitForRelayUrl(world, tui, relay);
    await tui.keys('Escape');
    expect(await tui.exitStatus()).toBe(4);
    expect(await tui.capture()).toContain('Cancelled: nothing was stored.');
    expect(await listFiles(world.home)).toEqual([]);
    expect(world.emulator.control.requests().filter((entry) => entry.endpoint === 'token')).toEqual([]);
  });

  it("a relay that cannot be reached: the error screen with core's RELAY_UNAVAILABLE and its next step (exit 5)", async () => {
    const world = await createWorld();
    cleanups.push(() => world.close());
    const relay = `http://127.0.0.1:${await freePort()}`;
    const tui = await TmuxTui.start(world, { args: ['--relay', relay, '--no-open'], env: { NO_COLOR: '1' } });
    cleanups.push(() => tui.close());
    await tui.waitForText('Sign in ⏎');
    await tui.keys('Enter');
    const error = await tui.waitForText('✗ RELAY_UNAVAILABLE');
    const flat = error.replace(/\s+/g, ' ');
    expect(flat).toContain(`The relay at ${relay} could not be reached.`);
    expect(flat).toContain('Next: Check the relay URL and that the aps-auth web app answers there');
    await tui.keys('q');
    expect(await tui.exitStatus()).toBe(5);
    expect(await tui.capture()).toContain('RELAY_UNAVAILABLE: ');
    expect(await listFiles(world.home)).toEqual([]);
  });
});
