import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileTokenStore } from '@aps-auth/core/node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authorizeUrls,
  BIN,
  CLIENT_ID,
  createWorld,
  listFiles,
  SECRET,
  TmuxTui,
  type World,
} from './helpers.js';

/** An SGR sequence that sets a foreground colour (30-38, 90-97; 39 is the reset to the default). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: it matches terminal escape sequences on purpose
const COLOUR = /\u001b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  options: { autoApprove?: boolean; columns?: number; args?: string[]; env?: Record<string, string> } = {},
): Promise<{ world: World; tui: TmuxTui }> {
  const world = await createWorld({ autoApprove: options.autoApprove });
  cleanups.push(() => world.close());
  const tui = await TmuxTui.start(world, options);
  cleanups.push(() => tui.close());
  return { world, tui };
}

/** The one authorize URL on the screen: whole on one line, and it opens (the emulator answers it). */
async function checkUrl(world: World, screen: string): Promise<string> {
  const urls = authorizeUrls(screen, world.emulator.url);
  expect(urls.length).toBeGreaterThanOrEqual(1);
  const url = new URL(urls.at(-1)!);
  expect(url.searchParams.get('client_id')).toBe('tui-test-client');
  expect(url.searchParams.get('redirect_uri')).toBe(world.callbackUrl);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const answer = await fetch(url, { redirect: 'manual' });
  await answer.body?.cancel();
  expect(answer.status).toBeLessThan(500);
  return url.href;
}

// Each step waits on the screen (bounded polling); on a loaded machine a whole sign-in can take a while.
describe('aps-auth-tui in a real terminal (tmux) against the emulator', { timeout: 120_000 }, () => {
  it('signs in from the prefilled set-up and shows who is signed in; the token is in the store the CLI reads', async () => {
    const { world, tui } = await setUp();
    const setup = await tui.waitForText('Sign in ⏎');
    expect(setup).toContain('set up profile "default"');
    expect(setup).toMatch(/Client id: tui-test-client\s+from the environment/);
    expect(setup).toContain('Client secret:');
    expect(setup).toContain('configured, from the environment');
    await tui.keys('Enter');
    const signedIn = await tui.waitForText('Signed in · profile "default"');
    expect(signedIn).toContain('User: Ada Lovelace <ada.lovelace@example.com>');
    expect(signedIn).toContain('Scopes: data:read viewables:read');
    expect(signedIn).toMatch(/Access token: expires in 59 min \d\d s/);
    expect(signedIn).toMatch(/Refresh token: issued \d+ s ago, valid for about (14 d 23|15 d 0) h/);
    await checkUrl(world, signedIn);
    expect(signedIn).not.toContain(SECRET);
    expect(await tui.capture({ escapes: true })).toMatch(COLOUR); // colours without NO_COLOR
    await tui.keys('q');
    expect(await tui.exitStatus()).toBe(0);
    expect(await tui.capture()).toContain(
      `Signed in (profile "default"): 'aps-auth token' prints a valid token.`,
    );
    const tokenFile = join(world.home, 'tokens', 'default.json');
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    // The CLI's store (`aps-auth token` reads it the same way).
    const store = new FileTokenStore({ home: world.home, clientId: CLIENT_ID, baseUrl: world.emulator.url });
    expect((await store.load('default'))?.scopes).toEqual(['data:read', 'viewables:read']);
    const log = world.emulator.control.requests();
    expect(log.filter((entry) => entry.endpoint === 'token').map((entry) => entry.grantType)).toEqual([
      'authorization_code',
    ]);
  });

  it('r refreshes, v gets a viewables:read token (copied by OSC 52 here), l signs out and revokes', async () => {
    const { world, tui } = await setUp();
    await tui.waitForText('Sign in ⏎');
    await tui.keys('Enter');
    await tui.waitForText('Signed in · profile');
    await tui.keys('r');
    await tui.waitForText('Refreshed.');
    await tui.keys('v');
    const viewer = await tui.waitForText('viewables:read token (for the Viewer');
    // Ink wraps the notice: compare it with its line breaks as spaces.
    expect(viewer.replace(/\s+/g, ' ')).toContain(
      "sent to the terminal's clipboard (OSC 52; tmux needs set-clipboard on)",
    );
    const grants = () =>
      world.emulator.control
        .requests()
        .filter((entry) => entry.endpoint === 'token')
        .map((entry) => entry.grantType);
    expect(grants()).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    await tui.keys('l');
    const out = await tui.waitForText('Signed out of profile "default": tokens revoked and forgotten.');
    expect(out).toContain('set up profile "default"');
    expect(world.emulator.control.requests().filter((entry) => entry.endpoint === 'revoke')).not.toHaveLength(
      0,
    );
    expect(await listFiles(join(world.home, 'tokens'))).toEqual([]);
    await tui.keys('Escape');
    expect(await tui.exitStatus()).toBe(4);
  });

  it('shows the signing-in screen with the URL and a countdown; Esc cancels with nothing stored (exit 4)', async () => {
    // No auto-approve: the fetch "browser" stops at the consent page, so the sign-in waits.
    const { world, tui } = await setUp({ autoApprove: false, env: { NO_COLOR: '1' } });
    await tui.waitForText('Sign in ⏎');
    await tui.keys('Enter');
    const screen = await tui.waitFor(
      (s) => s.includes('Waiting for you to sign in') && authorizeUrls(s, world.emulator.url).length === 1,
      'the signing-in screen',
    );
    expect(screen).toContain('signing in (profile "default")');
    expect(screen).toMatch(/time left: (4 min \d\d|5 min 00) s/);
    // The fetch "browser" stopped at the consent page: said, with what to do.
    expect(screen).toContain('The browser could not be opened');
    expect(screen).toMatch(/m paste the\s+redirected URL\s+instead/);
    await checkUrl(world, screen);
    await tui.keys('c');
    await tui.waitForText("URL sent to the terminal's clipboard (OSC 52; tmux needs set-clipboard on)");
    await tui.keys('s');
    const qr = await tui.waitForText('QR code printed above');
    const blocks = qr.split('\n').filter((line) => /^[█▀▄ ]{25,}$/.test(line));
    expect(blocks.length).toBeGreaterThanOrEqual(13);
    expect(blocks[0]!.length).toBeLessThanOrEqual(80);
    // The URL is printed again under the QR code, still whole.
    expect(authorizeUrls(qr, world.emulator.url)).toHaveLength(2);
    // NO_COLOR: no colour escape sequences at all.
    expect(await tui.capture({ escapes: true })).not.toMatch(COLOUR);
    await tui.keys('Escape');
    expect(await tui.exitStatus()).toBe(4);
    expect(await tui.capture()).toContain('Cancelled: nothing was stored.');
    expect(await listFiles(world.home)).toEqual([]);
  });

  it('at 60 columns the URL is still one usable line; m switches to pasting the redirected URL', async () => {
    const { world, tui } = await setUp({ autoApprove: false, columns: 60 });
    await tui.waitForText('Sign in ⏎');
    await tui.keys('Enter');
    await tui.waitForText('Waiting for you to sign in');
    await tui.keys('s');
    await tui.waitForText('The terminal is too narrow for the QR code');
    await tui.keys('m');
    const manual = await tui.waitFor(
      (s) => s.includes('Redirected URL:') && s.includes('the previous one no longer works'),
      'the manual mode with a new URL',
    );
    const lines = manual.split('\n').filter((line) => !line.startsWith(world.emulator.url));
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(60);
    const url = authorizeUrls(manual, world.emulator.url).at(-1)!;
    expect(url.length).toBeGreaterThan(60);
    // The person approves in a browser elsewhere; the browser lands on the callback URL (nothing listens).
    world.emulator.control.setAutoApprove(true);
    const answer = await fetch(url, { redirect: 'manual' });
    const redirected = answer.headers.get('location')!;
    expect(redirected.startsWith(world.callbackUrl)).toBe(true);
    // Pasted as a terminal pastes (bracketed, since the TUI asks for it), then Enter.
    await tui.paste(redirected);
    await tui.waitForText('Redirected URL: http://localhost');
    await tui.keys('Enter');
    await tui.waitForText('Signed in · profile "default"');
    await tui.keys('q');
    expect(await tui.exitStatus()).toBe(0);
  });

  it('a callback URL that is not loopback signs in by pasting (manual mode) from the start; Ctrl+C cancels', async () => {
    const { tui } = await setUp({ env: { APS_CALLBACK_URL: 'https://app.example.com/api/auth/callback' } });
    const setup = await tui.waitForText('Sign in ⏎');
    expect(setup).toContain('! Not an http loopback URL');
    await tui.keys('Enter');
    const manual = await tui.waitForText('Redirected URL:');
    expect(manual).toContain('Waiting for the redirected URL');
    // Ctrl+C cancels like Esc (it never just kills the screen).
    await tui.keys('C-c');
    expect(await tui.exitStatus()).toBe(4);
    expect(await tui.capture()).toContain('Cancelled: nothing was stored.');
  });

  it('p switches to another profile (a new one starts at the set-up); the first stays signed in', async () => {
    const { world, tui } = await setUp();
    await tui.waitForText('Sign in ⏎');
    await tui.keys('Enter');
    await tui.waitForText('Signed in · profile "default"');
    await tui.keys('p');
    await tui.waitForText('default (signed in)');
    await tui.keys('work', { literal: true });
    await tui.keys('Enter');
    const work = await tui.waitForText('set up profile "work"');
    expect(work).toMatch(/Client id: tui-test-client\s+from the environment/);
    await tui.keys('Escape');
    expect(await tui.exitStatus()).toBe(4);
    expect(await listFiles(join(world.home, 'tokens'))).toEqual([join(world.home, 'tokens', 'default.json')]);
  });

  it('redraws on resize (and stays interactive where CI is set)', async () => {
    const { tui } = await setUp({ env: { CI: 'true' } });
    await tui.waitForText('Sign in ⏎');
    await tui.keys('Enter');
    await tui.waitForText('Signed in · profile');
    await tui.resize(60, 24);
    const narrow = await tui.waitFor(
      (s) => /r refresh · c copy token · v viewer token · l sign out · p\s*\n/.test(s),
      'the keys wrapped at 60 columns',
    );
    expect(narrow).toContain('Access token: expires in');
    await tui.keys('q');
    expect(await tui.exitStatus()).toBe(0);
  });
});

describe('without a terminal', () => {
  it('refuses with a pointer to aps-auth login (exit 2)', async () => {
    const child = spawn(process.execPath, [BIN], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('needs a terminal');
    expect(stderr).toContain("'aps-auth login'");
  });
});
