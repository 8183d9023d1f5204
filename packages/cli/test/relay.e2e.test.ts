import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { visitSignInLink } from '@aps-auth/core/node';
import { startEmulator } from '@aps-auth/emulator/node';
import { runChild, startRelay, waitForOutput } from '@aps-auth/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, readTokenFile } from './helpers.js';

// `aps-auth login --relay` and the relay's copy page for `login --manual`, with the built CLI as a child process,
// the real web app (apps/web, from its sources: the CLI does not depend on it) and the emulator on 127.0.0.1.

const TERMINAL_CLIENT = 'cli-relay-client';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The web app on a free port, the emulator (auto-approve) with `<relay>/relay` registered, and a CLI home. */
async function startWorld() {
  const world = await startRelay(startEmulator, TERMINAL_CLIENT);
  closers.push(() => world.close());
  const { emu } = world;
  const root = await mkdtemp(join(tmpdir(), 'aps-auth-cli-relay-'));
  closers.push(() => rm(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  await mkdir(join(root, 'cwd'));
  await mkdir(join(root, 'tmp'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    TMPDIR: join(root, 'tmp'),
    APS_AUTH_HOME: home,
    APS_CLIENT_ID: TERMINAL_CLIENT,
    APS_BASE_URL: emu.url,
    APS_SCOPES: 'data:read',
  };
  return { relay: world.url, emu, home, cwd: join(root, 'cwd'), env };
}

/** Runs the built CLI; `during` gets the child as soon as it runs. */
function runCli(
  args: readonly string[],
  world: { env: Record<string, string>; cwd: string },
  during: (child: ChildProcess) => Promise<void>,
) {
  let duringDone: Promise<void> = Promise.resolve();
  const result = runChild(process.execPath, [BIN, ...args], {
    env: world.env,
    cwd: world.cwd,
    onSpawn: (child) => {
      duringDone = during(child);
    },
  });
  return result.then(async (done) => {
    await duringDone;
    return done;
  });
}

const AUTHORIZE_URL = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/authentication\/v2\/authorize\?\S+)$/m;

describe('login --relay', () => {
  it('prints the authorize URL for any device; the browser lands on /relay; the CLI stores the token (exit 0)', async () => {
    const world = await startWorld();
    let landed = '';
    let shown = '';
    const result = await runCli(['login', '--relay', world.relay], world, async (child) => {
      const [, url] = await waitForOutput(child, AUTHORIZE_URL);
      shown = url as string;
      const page = await visitSignInLink(shown);
      landed = page.url;
      expect(page.body).toContain('terminal');
    });
    expect(result.stderr).toContain('on any device');
    // The wait is the shorter of the login timeout (5 min by default) and the pairing's life (10 min here).
    expect(result.stderr).toContain('Waiting for the sign-in through the relay, at most 5m');
    expect(result.code, result.stderr).toBe(0);
    const authorize = new URL(shown);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${world.relay}/relay`);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
    expect(landed.startsWith(`${world.relay}/relay?`)).toBe(true);
    expect(result.stderr).toContain('Token stored');
    const stored = await readTokenFile(world.home);
    expect(stored.token.accessToken.length).toBeGreaterThan(0);
    const exchanges = world.emu.control
      .requests()
      .filter((entry) => entry.endpoint === 'token' && entry.grantType === 'authorization_code');
    expect(exchanges.map((entry) => [entry.clientId, entry.status])).toEqual([[TERMINAL_CLIENT, 200]]);
  });

  it('refuses plain http to a host that is not a loopback one, and --relay with --manual (usage, exit 2)', async () => {
    const world = await startWorld();
    const http = await runChild(process.execPath, [BIN, 'login', '--relay', 'http://auth.example.com'], {
      env: world.env,
      cwd: world.cwd,
    });
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('must use https');
    const both = await runChild(process.execPath, [BIN, 'login', '--relay', world.relay, '--manual'], {
      env: world.env,
      cwd: world.cwd,
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('drop --manual');
  });
});

describe('login --manual with the relay as callback URL (the copy page)', () => {
  it('the browser lands on /relay without a pairing; the URL shown there, pasted, signs in (exit 0)', async () => {
    const world = await startWorld();
    const callback = `${world.relay}/relay`;
    const result = await runCli(['login', '--manual', '--callback-url', callback], world, async (child) => {
      const [, url] = await waitForOutput(child, AUTHORIZE_URL);
      const page = await visitSignInLink(url as string);
      expect(page.url.startsWith(`${callback}?`)).toBe(true);
      expect(page.body).toContain('Copy this address');
      const shown = /<textarea[^>]*>\s*([^<]+?)\s*<\/textarea>/.exec(page.body)?.[1] ?? '';
      expect(shown.startsWith(`${callback}?`)).toBe(true);
      child.stdin?.end(`${shown.replaceAll('&amp;', '&')}\n`);
    });
    expect(result.code, result.stderr).toBe(0);
    expect((await readTokenFile(world.home)).token.accessToken.length).toBeGreaterThan(0);
  });

  it('accepts a relay callback on another host over https in manual mode (nothing listens)', async () => {
    const world = await startWorld();
    const callback = 'https://auth.example.com/relay';
    const result = await runCli(['login', '--manual', '--callback-url', callback], world, async (child) => {
      const [, url] = await waitForOutput(child, AUTHORIZE_URL);
      expect(new URL(url as string).searchParams.get('redirect_uri')).toBe(callback);
      child.stdin?.end();
    });
    // Accepted: it waited for a paste, and the end of stdin is a cancel (4), not a usage error (2).
    expect(result.code).toBe(4);
  });
});
