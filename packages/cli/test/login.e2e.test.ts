import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { TestBrowser, type Visited } from '@aps-auth/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { binLogin, createWorld, readTokenFile, runBin, runIn, type TestWorld } from './helpers.js';

// `login`: what it prints in a pipe; the paths that need a hand in the middle: --manual (the redirected URL
// pasted on stdin, or the input ending first), --no-open, consent denied, a sign-in that never comes back, a
// busy callback port; and no client id with explicit flags (never the demo).

const EXPIRY = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in (59m \d+s|1h)\)`;

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Resolves with the authorize URL as soon as the CLI prints it on stderr. */
function authorizeUrlOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^ {2}(http:\/\/\S+\/authentication\/v2\/authorize\?\S+)$/m.exec(text);
      if (match) resolve(match[1]!);
    });
  });
}

/** Resolves with the one-time sign-in link (the loopback's start link) as soon as the CLI prints it. */
function signInLinkOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^ {2}(http:\/\/localhost:\d+\/\S+\/start\?id=\S+)$/m.exec(text);
      if (match) resolve(match[1]!);
    });
  });
}

/** What a browser would do at the emulator: follow to the callback URL without loading it. */
async function redirectedUrl(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<string> {
  const first = await fetch(authorizeUrl, { redirect: 'manual' });
  if (decision === undefined) return first.headers.get('location')!;
  const page = await first.text();
  const requestId = /name="request" value="([^"]+)"/.exec(page)![1]!;
  const answer = await fetch(new URL('/authentication/v2/authorize/decision', authorizeUrl), {
    method: 'POST',
    body: new URLSearchParams({ request: requestId, decision }),
    redirect: 'manual',
  });
  return answer.headers.get('location')!;
}

describe('login in a pipe', () => {
  it('login: the status on stdout, progress lines on stderr, no spinner in a pipe', async () => {
    world = await createWorld();
    const login = await binLogin(world);
    expect(login.stdout).toMatch(
      new RegExp(
        `^profile\\tdefault\\nsigned in\\tyes\\nuser\\tAda Lovelace <ada.lovelace@example.com>\\nscopes\\tdata:read viewables:read\\nexpires\\t${EXPIRY}\\nclient id\\tcli-test-client\\nserver\\t${world.emulator.url}\\n$`,
      ),
    );
    const lines = login.stderr.split('\n');
    expect(lines[0]).toBe(`Listening for the callback on ${world.callbackUrl}`);
    expect(lines[1]).toMatch(
      /^Sign-in link: http:\/\/localhost:\d+\/api\/auth\/callback\/start\?id=[A-Za-z0-9_-]{43}$/,
    );
    expect(lines.slice(2)).toEqual([
      'Following the authorize redirect (auto-approve, no browser)',
      'Callback received',
      'Exchanging the code for tokens',
      'Token stored',
      expect.stringMatching(
        new RegExp(
          `^Signed in as Ada Lovelace <ada.lovelace@example.com> \\(profile "default"\\); the access token expires ${EXPIRY}\\.$`,
        ),
      ),
      '',
    ]);
    expect(login.stderr).not.toContain('\r');
  });
});

describe('login without a client id', () => {
  it('explicit flags are never hijacked by the demo: exit 1, "no APS client id configured"', async () => {
    world = await createWorld();
    const home = join(world.root, 'empty-home');
    const env = { PATH: world.env.PATH, HOME: world.root, TMPDIR: world.tmp, APS_AUTH_HOME: home };
    const result = await runBin(
      ['login', '--manual', '--profile', 'work', '--callback-url', 'http://localhost:8080/api/auth/callback'],
      { env, cwd: world.cwd, input: '' },
    );
    expect(result).toMatchObject({ code: 1, signal: null, stdout: '' });
    // What is missing, where to set it, and the flags that ruled out the demo.
    expect(result.stderr).toContain(
      'no APS client id configured: set APS_CLIENT_ID (in the environment or .env) to sign in with --profile, --callback-url, --manual.',
    );
    expect(result.stderr).toContain(
      "Without any of these flags, 'aps-auth login' runs the demo against a local emulator.",
    );
    const noOpen = await runBin(['login', '--no-open'], { env, cwd: world.cwd });
    expect(noOpen.code).toBe(1);
    expect(noOpen.stderr).toMatch(/^aps-auth: no APS client id configured: .* with --no-open\.\n/);
    await expect(stat(home)).rejects.toThrow();
  });
});

describe('login --manual: the end of input', () => {
  it('after a line that is not a URL: exit 4, "not the redirected URL"', async () => {
    world = await createWorld();
    const result = await runIn(
      world,
      ['login', '--manual'],
      { APS_AUTH_BROWSER: undefined },
      { input: 'hello world\n' },
    );
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toContain(
      'The pasted line is not the redirected URL: paste the whole URL from the address bar',
    );
    expect(result.stderr).not.toContain('state does not match');
    expect(result.stderr).toMatch(
      /\naps-auth: The input ended before the redirected URL was pasted; the last line was refused: The pasted line is not the redirected URL: paste the whole URL from the address bar \(it holds code= and state=\)\.\n$/,
    );
  });

  it('after a refused URL (wrong state): exit 4 (cancelled), with the reason', async () => {
    world = await createWorld();
    const result = await runIn(
      world,
      ['login', '--manual'],
      { APS_AUTH_BROWSER: undefined },
      { input: `${world.callbackUrl}?code=abc&state=not-this-one\n` },
    );
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toMatch(
      /\naps-auth: The input ended before the redirected URL was pasted; the last line was refused: The pasted URL was refused: its state does not match this sign-in/,
    );
  });
});

describe('login --manual', () => {
  it('reads the full redirected URL from stdin; a wrong line first is ignored', async () => {
    world = await createWorld();
    const w = world;
    const result = await runBin(['login', '--manual'], {
      env: { ...w.env, APS_AUTH_BROWSER: undefined },
      cwd: w.cwd,
      onSpawn: (child) => {
        void authorizeUrlOf(child).then(async (url) => {
          const location = await redirectedUrl(url);
          const wrongState = location.replace(/state=[^&]+/, 'state=not-the-state');
          child.stdin!.write(`${wrongState}\n`);
          child.stdin!.end(`${location}\n`);
        });
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Paste the full URL from its address bar (or just its query) and press Enter:',
    );
    expect(result.stderr).toContain('Ignored a callback: ');
    expect(result.stdout).toMatch(/^profile\tdefault\nsigned in\tyes\n/);
    expect((await readTokenFile(w.home)).token.accessToken).toMatch(/^ey/);
  });

  it('accepts just the query', async () => {
    world = await createWorld();
    const w = world;
    const result = await runBin(['login', '--manual', '--json'], {
      env: { ...w.env, APS_AUTH_BROWSER: undefined },
      cwd: w.cwd,
      onSpawn: (child) => {
        void authorizeUrlOf(child).then(async (url) => {
          child.stdin!.end(`${new URL(await redirectedUrl(url)).search}\n`);
        });
      },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ schemaVersion: 1, signedIn: true });
  });

  it('consent denied: exit 4, nothing stored', async () => {
    world = await createWorld({ autoApprove: false });
    const w = world;
    const result = await runBin(['login', '--manual'], {
      env: { ...w.env, APS_AUTH_BROWSER: undefined },
      cwd: w.cwd,
      onSpawn: (child) => {
        void authorizeUrlOf(child).then(async (url) =>
          child.stdin!.end(`${await redirectedUrl(url, 'deny')}\n`),
        );
      },
    });
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toMatch(/access_denied|denied/i);
    await expect(readTokenFile(w.home)).rejects.toThrow();
  });

  it('stdin closed before a URL: exit 4', async () => {
    world = await createWorld();
    const result = await runBin(['login', '--manual'], {
      env: { ...world.env, APS_AUTH_BROWSER: undefined },
      cwd: world.cwd,
      input: '',
    });
    expect(result).toMatchObject({ code: 4, stdout: '' });
  });
});

describe('login, other paths', () => {
  it('--no-open prints the URL and waits for the callback here', async () => {
    world = await createWorld();
    const w = world;
    const result = await runBin(['login', '--no-open'], {
      env: w.env,
      cwd: w.cwd,
      onSpawn: (child) => {
        // The test is the browser: it opens the sign-in link (start link → authorize → the CLI's loopback
        // listener, with the start link's cookie), and is shown the page once the token is saved.
        void signInLinkOf(child).then(async (link) => {
          const page = await new TestBrowser().follow(link);
          expect(page.status).toBe(200);
          expect(page.headers.get('referrer-policy')).toBe('no-referrer');
          expect(page.body).toContain('You are signed in');
        });
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Open this URL in a browser to sign in:\n  http://');
    // The printed link holds nothing secret: no state, no PKCE challenge.
    expect(result.stderr).not.toMatch(/state=|code_challenge=/);
  });

  it('a refused code: the browser is told it failed and to start again, not "signed in"', async () => {
    world = await createWorld();
    const w = world;
    w.emulator.control.addFault({
      endpoint: 'token',
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'The code is spent' }),
    });
    let page: Visited | undefined;
    const result = await runBin(['login', '--no-open'], {
      env: w.env,
      cwd: w.cwd,
      onSpawn: (child) => {
        void signInLinkOf(child).then(async (link) => {
          page = await new TestBrowser().follow(link);
        });
      },
    });
    expect(result.code).toBe(1);
    await expect.poll(() => page?.status).toBe(400);
    expect(page?.body).toContain('The code was refused by the server: start the sign-in again.');
    expect(page?.body).not.toContain('You are signed in');
  });

  it('a busy callback port: exit 1, naming the port', async () => {
    world = await createWorld();
    const port = Number(new URL(world.callbackUrl).port);
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runBin(['login'], { env: world.env, cwd: world.cwd });
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toContain(String(port));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
