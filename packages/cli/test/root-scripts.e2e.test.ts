import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runChild } from '@aps-auth/test-utils';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BIN } from './helpers.js';

// The root scripts the READMEs name, on the README's machine: only the system Node and npm, no working pnpm
// on PATH (here a `pnpm` that fails comes first), from this clone. And the newcomer's path: the commands the
// demo prints after `npm start`, run exactly as printed against the emulator they start, up to `token`,
// `status`, `refresh` and `exec`. The test's "browser" is an `xdg-open` on PATH that approves the consent page.

const REPO = join(dirname(BIN), '..', '..', '..');
const TIMEOUT = 240_000;

let root: string;
let env: Record<string, string>;
const started: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aps-auth-root-scripts-'));
  const noPnpm = join(root, 'no-pnpm');
  const browser = join(root, 'browser');
  await mkdir(noPnpm);
  await mkdir(browser);
  await mkdir(join(root, 'tmp'));
  await writeFile(join(noPnpm, 'pnpm'), '#!/bin/sh\necho "pnpm: broken on purpose" >&2\nexit 1\n');
  await chmod(join(noPnpm, 'pnpm'), 0o755);
  // What a browser does at the emulator: follow the redirects, press Allow on the consent page, and load
  // the callback URL (the CLI's loopback listener).
  await writeFile(
    join(browser, 'browse.mjs'),
    `let url = process.argv[2];
// Cookies kept per host and sent back, as a browser does (the sign-in link binds the sign-in to the browser).
const jar = new Map();
const visit = async (target, init = {}) => {
  const host = new URL(target).host;
  const headers = new Headers(init.headers);
  if (jar.has(host)) headers.set('cookie', [...jar.get(host)].map(([k, v]) => k + '=' + v).join('; '));
  const answer = await fetch(target, { ...init, headers, redirect: 'manual' });
  for (const line of answer.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0];
    const at = pair.indexOf('=');
    if (at > 0) jar.set(host, (jar.get(host) ?? new Map()).set(pair.slice(0, at).trim(), pair.slice(at + 1).trim()));
  }
  return answer;
};
for (let hop = 0; hop < 10; hop++) {
  const answer = await visit(url);
  const location = answer.headers.get('location');
  if (location !== null) { await answer.body?.cancel(); url = new URL(location, url).href; continue; }
  const request = /name="request" value="([^"]+)"/.exec(await answer.text())?.[1];
  if (request === undefined) break;
  const decision = await visit(new URL('/authentication/v2/authorize/decision', url).href, { method: 'POST',
    body: new URLSearchParams({ request, decision: 'allow' }) });
  url = new URL(decision.headers.get('location'), url).href;
}
`,
  );
  await writeFile(
    join(browser, 'xdg-open'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(browser, 'browse.mjs'))} "$1"\n`,
  );
  await chmod(join(browser, 'xdg-open'), 0o755);
  env = {
    // The system Node and npm, a pnpm that fails first, and the test's browser.
    PATH: [browser, noPnpm, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: root,
    TMPDIR: join(root, 'tmp'),
    npm_config_update_notifier: 'false',
  };
}, TIMEOUT);

afterAll(async () => {
  for (const child of started) stopGroup(child);
  await rm(root, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `sh -c LINE` in the clone, as a person types it; `onSpawn` sees the child (its own process group). */
function shell(line: string, onSpawn?: (child: ChildProcess) => void): Promise<Outcome> {
  return runChild('sh', ['-c', line], { cwd: REPO, env, detached: true, ...(onSpawn ? { onSpawn } : {}) });
}

/** Starts a long-running LINE and resolves once its stdout shows `ready`. */
function startInBackground(line: string, ready: RegExp): Promise<{ url: string; done: Promise<Outcome> }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const done = shell(line, (child) => {
      started.push(child);
      child.stdout!.on('data', (chunk: string) => {
        out += chunk;
        const match = ready.exec(out);
        if (match) resolve({ url: match[1]!, done });
      });
    });
    void done.then((outcome) => reject(new Error(`${line} ended (${outcome.code}): ${outcome.stderr}`)));
  });
}

/**
 * Holds `port` on 127.0.0.1 while it is free (the loopback listener and the emulator bind there); returns the
 * function that lets it go. A port something else holds already stays busy without this test's help.
 */
function occupy(port: number): Promise<() => Promise<void>> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(async () => undefined));
    server.listen(port, '127.0.0.1', () =>
      resolve(() => new Promise<void>((closed) => server.close(() => closed()))),
    );
  });
}

/** Ends a process group this test started (npm, its shell, run.mjs and the emulator). */
function stopGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

describe('root scripts without a working pnpm on PATH', () => {
  it('every root script a README names with npm goes through scripts/run.mjs (which finds or installs pnpm)', async () => {
    const docs = ['README.md', 'ARCHITECTURE.md'];
    for (const name of await readdir(join(REPO, 'packages'))) docs.push(join('packages', name, 'README.md'));
    const named = new Set<string>();
    for (const doc of docs) {
      const text = await readFile(join(REPO, doc), 'utf8').catch(() => '');
      for (const match of text.matchAll(/\bnpm (start|test|run(?: -s| --silent)? ([\w:-]+))\b/g)) {
        named.add(match[2] ?? match[1]!);
      }
    }
    expect([...named]).toEqual(expect.arrayContaining(['start', 'test', 'emulator', 'aps-auth']));
    const { scripts } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const name of named) expect(scripts[name], name).toBe(`node scripts/run.mjs ${name}`);
  });

  it(
    'npm run emulator starts the emulator; npm run aps-auth runs the CLI (pnpm comes from .tools/)',
    async () => {
      const emulator = await startInBackground(
        'npm run emulator -- --port 0',
        /aps-auth-emulator listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      const discovery = await fetch(`${emulator.url}/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      stopGroup(started.at(-1)!);

      const version = await shell('npm run -s aps-auth -- --version');
      expect(version).toMatchObject({ code: 0 });
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    },
    TIMEOUT,
  );
});

describe("the newcomer's path: the demo's next steps, run as printed", () => {
  it(
    'npm start, then the printed commands: emulator, login, token, status, refresh, exec',
    async () => {
      // The defaults (emulator 9400, callback 8080) held here, whether or not something else holds them
      // already: the demo must print free ports that work as printed, and no other run on this machine can
      // take the ports this test uses.
      const held = [await occupy(9400), await occupy(8080)];
      onTestFinished(async () => {
        for (const release of held) await release();
      });
      const demo = await shell('npm start');
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stderr).toContain('(port 9400 and 8080 are in use here: the lines below use free ones)');
      const printed = demo.stderr
        .slice(demo.stderr.indexOf('To go on against an emulator'), demo.stderr.indexOf('To sign in to APS'))
        .split('\n')
        .map((line) => /^\[local emulator\] {3}(.+?)(?:\s+#.*)?$/.exec(line)?.[1])
        .filter((line): line is string => line !== undefined);
      expect(printed).toEqual([
        expect.stringMatching(
          /^npm run emulator -- --port \d+ --client aps-auth-demo:aps-auth-demo-secret=http:\/\/localhost:\d+\/api\/auth\/callback$/,
        ),
        expect.stringMatching(
          /^export APS_BASE_URL=http:\/\/127\.0\.0\.1:\d+ APS_CLIENT_ID=aps-auth-demo APS_CLIENT_SECRET=aps-auth-demo-secret APS_CALLBACK_URL=http:\/\/localhost:\d+\/api\/auth\/callback$/,
        ),
        'npm run -s aps-auth -- login',
        'npm run -s aps-auth -- token',
      ]);
      const [startEmulator, exportLine, login, token] = printed as [string, string, string, string];
      // One emulator port and one callback URL in both lines, neither a default.
      const port = /--port (\d+)/.exec(startEmulator)![1]!;
      const callback = /=(http:\/\/localhost:\d+\/api\/auth\/callback)$/.exec(startEmulator)![1]!;
      expect(exportLine).toContain(`APS_BASE_URL=http://127.0.0.1:${port} `);
      expect(exportLine).toContain(`APS_CALLBACK_URL=${callback}`);
      expect([port, new URL(callback).port]).not.toContain('9400');
      expect(new URL(callback).port).not.toBe('8080');

      const emulator = await startInBackground(
        startEmulator,
        /aps-auth-emulator listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      expect(emulator.url).toBe(`http://127.0.0.1:${port}`);
      const signedIn = await shell(`${exportLine}\n${login}`);
      expect(signedIn.code, signedIn.stderr).toBe(0);
      expect(signedIn.stdout).toMatch(/^signed in\tyes$/m);

      const first = await shell(`${exportLine}\n${token}`);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);

      const cli = token.replace(/ token$/, '');
      const status = await shell(`${exportLine}\n${cli} status`);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/^signed in\tyes$/m);
      expect(status.stdout).toContain(`server\thttp://127.0.0.1:${port}\n`);

      const refreshed = await shell(`${exportLine}\n${cli} refresh`);
      expect(refreshed.code, refreshed.stderr).toBe(0);
      const second = await shell(`${exportLine}\n${token}`);
      expect(second.stdout).toMatch(/^ey/);
      expect(second.stdout).not.toBe(first.stdout);

      const exec = await shell(
        `${exportLine}\n${cli} exec -- sh -c 'test "$APS_ACCESS_TOKEN" = "$(cat)" && echo same token'`,
        (child) => child.stdin!.end(second.stdout.trim()),
      );
      expect(exec.code, exec.stderr).toBe(0);
      expect(exec.stdout).toBe('same token\n');
    },
    TIMEOUT,
  );
});
